// The demo people as principals (demo data, tests).
import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal, ProfessionalPrincipal, ProfessionalSignIn } from '../access/index.ts';
import { demoProfessionals } from './professionals.ts';
import { nationalIdOfRpps, type Ins, type PatientId } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { findProfessionalByNationalId } from '../professionals/index.ts';

export const demoIns = {
  jean: '168047505611243',
  marie: '271096912304585',
  emilie: '290063306307802',
  chloe: '215027511520318',
  lea: '299083417201149',
  helene: '255042123104707',
} as const;

export async function demoPerson(ctx: AppContext, name: keyof typeof demoIns): Promise<InsuredPerson> {
  return (await findInsuredByIns(ctx.db, demoIns[name] as Ins))!;
}

export const patientPrincipal = (person: InsuredPerson, actsFor: PatientId[] = []): PatientPrincipal => ({
  kind: 'patient',
  patientId: person.id,
  ins: person.ins,
  actsFor: [person.id, ...actsFor],
});

const demoRegulator = (rpps: string) => demoProfessionals.find((p) => p.rpps === rpps)?.regulator === true;

export async function demoProfessional(
  ctx: AppContext,
  rpps = '10001000115',
  signIn: ProfessionalSignIn = { regulator: demoRegulator(rpps), declaredEmergency: undefined },
): Promise<ProfessionalPrincipal> {
  const demo = demoProfessionals.find((p) => p.rpps === rpps)!;
  const known = (await findProfessionalByNationalId(ctx.db, nationalIdOfRpps(demo.rpps)))!;
  return {
    kind: 'professional',
    professionalId: known.id,
    nationalId: known.nationalId,
    rpps: demo.rpps,
    professionCode: demo.professionCode,
    specialtyCode: demo.specialtyCode,
    givenName: demo.givenName,
    familyName: demo.familyName,
    signIn,
    structure: { nationalId: demo.structure.nationalId, name: demo.structure.name },
  };
}
