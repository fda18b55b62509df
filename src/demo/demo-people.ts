import type { AppContext } from '../app/index.ts';
import { professionLabel } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { demoPatients, DEMO_PASSWORD } from './patients.ts';
import { demoProfessionals } from './professionals.ts';

export interface DemoPeople {
  readonly password: string;
  readonly patients: ReadonlyArray<{
    ins: string;
    insOid: string;
    firstNames: string;
    birthName: string;
    usedName: string | null;
    birthDate: string;
    sex: 'M' | 'F';
    /** The profile's state in the database, or `not-seeded`. */
    state: string;
    login: string | null;
    vitaleSerial: string;
    email: string;
    representatives: string[];
    note: string;
  }>;
  readonly professionals: ReadonlyArray<{
    rpps: string;
    nationalId: string;
    professionCode: string;
    professionLabel: string;
    specialtyCode: string | null;
    givenName: string;
    familyName: string;
    structure: string;
    mssanteAddress: string;
  }>;
}

/** The demo people as they stand in the database (state) and as defined (logins, notes). */
export async function describeDemoPeople(ctx: AppContext): Promise<DemoPeople> {
  const patients = await Promise.all(
    demoPatients.map(async ({ record, login, note }) => {
      const person = await findInsuredByIns(ctx.db, record.ins as never);
      return {
        ins: record.ins,
        insOid: record.ins_oid ?? '1.2.250.1.213.1.4.8',
        firstNames: record.first_names,
        birthName: record.birth_name,
        usedName: record.used_name ?? null,
        birthDate: record.birth_date,
        sex: record.sex,
        state: person?.profileState ?? 'not-seeded',
        login: login ?? null,
        vitaleSerial: record.vitale_serial,
        email: record.email,
        representatives: record.representative_ins?.split('|') ?? [],
        note,
      };
    }),
  );
  return {
    password: DEMO_PASSWORD,
    patients,
    professionals: demoProfessionals.map((p) => ({
      rpps: p.rpps,
      nationalId: `8${p.rpps}`,
      professionCode: p.professionCode,
      professionLabel: professionLabel(p.professionCode),
      specialtyCode: p.specialtyCode ?? null,
      givenName: p.givenName,
      familyName: p.familyName,
      structure: p.structure.name,
      mssanteAddress: p.mssanteAddress,
    })),
  };
}

/** A table for people, in the terminal. */
export function formatDemoPeople(people: DemoPeople, baseUrl: string): string {
  const lines = [
    'Demo patients (patient space: ' + `${baseUrl}/` + '):',
    ...people.patients.map(
      (p) =>
        `  ${p.ins}  ${(p.firstNames + ' ' + (p.usedName ?? p.birthName)).padEnd(32)} ${p.birthDate}  ${p.state.padEnd(10)}` +
        (p.login ? `  login ${p.login}` : `  Vitale ${p.vitaleSerial}`),
    ),
    `  Activated patients sign in with their login and the password "${people.password}", then the one-time code`,
    `  e-mailed to them; the others activate with their NIR, Vitale serial and the code provisoire e-mailed to them.`,
    `  Read those e-mails at ${baseUrl}/dev/mailbox`,
    '',
    `Demo professionals (portal: ${baseUrl}/pro/, sign in with the development e-CPS):`,
    ...people.professionals.map(
      (p) =>
        `  RPPS ${p.rpps}  ${(p.givenName + ' ' + p.familyName).padEnd(18)} ${p.professionCode} ${p.professionLabel}` +
        (p.specialtyCode ? ` (${p.specialtyCode})` : '') +
        ` — ${p.structure}`,
    ),
  ];
  return lines.join('\n');
}
