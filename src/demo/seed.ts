import { sql } from 'kysely';
import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { type Ins, nationalIdOfRpps } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import {
  importInsured,
  activateChildProfile,
  completeActivation,
  issueActivationCode,
  verifyActivation,
} from '../profile/index.ts';
import { upsertProfessional } from '../professionals/index.ts';
import { demoPatients, DEMO_PASSWORD } from './patients.ts';
import { demoProfessionals } from './professionals.ts';
import { seedDemoCatalogue } from '../catalogue/index.ts';
import { seedDemoProfiles } from './profile-seed.ts';
import { seedDemoInsurerFeed } from './insurer-seed.ts';
import { seedDemoAgenda } from './demo-agenda.ts';
import { seedDemoVsms } from './vsm-seed.ts';
import { seedDemoMessages } from './messaging-seed.ts';
import { seedDemoLongTermRecord } from './long-term-seed.ts';
import type { LongTermOptions } from './long-term-record.ts';

export interface DemoSeedReport {
  readonly imported: number;
  readonly activated: number;
  readonly professionals: number;
}

const SEED_IP = 'demo-seed';

/**
 * Seeds the demo people through the same paths as real life: the Assurance Maladie import (which e-mails
 * codes provisoires), then activation with a code for those the demo shows as activated, and a parent
 * activating their child. Running it again changes nothing.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoSeedReport> {
  const now = ctx.clock.now().toISOString();
  for (const p of demoProfessionals) {
    await upsertProfessional(
      ctx.db,
      {
        nationalId: nationalIdOfRpps(p.rpps),
        rpps: p.rpps,
        familyName: p.familyName,
        givenName: p.givenName,
        professionCode: p.professionCode,
        specialtyCode: p.specialtyCode,
        mssanteAddress: p.mssanteAddress,
        structure: p.structure,
      },
      now,
    );
  }

  const lines = demoPatients.map((p) => JSON.stringify(p.record)).join('\n');
  const report = await importInsured(ctx, lines, 'demo-patients.jsonl');
  if (report.rejected.length > 0) {
    throw new Error(`demo data rejected by the importer: ${JSON.stringify(report.rejected)}`);
  }

  let activated = 0;
  for (const demo of demoPatients.filter((p) => p.state === 'activated')) {
    const person = await findInsuredByIns(ctx.db, demo.record.ins as Ins);
    if (!person || person.profileState !== 'created') continue;
    const code = await issueActivationCode(ctx, person.id);
    if (demo.activatedBy) {
      const representative = await findInsuredByIns(ctx.db, demo.activatedBy as Ins);
      if (!representative) throw new Error('demo representative missing');
      const principal: PatientPrincipal = {
        kind: 'patient',
        patientId: representative.id,
        ins: representative.ins,
        actsFor: [representative.id],
      };
      await activateChildProfile(ctx, principal, { childNir: person.ins, code, ip: SEED_IP });
    } else {
      const { ticket } = await verifyActivation(ctx, {
        nir: person.ins,
        vitaleSerial: demo.record.vitale_serial,
        code,
        ip: SEED_IP,
      });
      await completeActivation(ctx, { ticket, login: demo.login ?? person.ins, password: DEMO_PASSWORD });
    }
    activated++;
  }
  await seedDemoCatalogue(ctx);
  return { imported: report.accepted, activated, professionals: demoProfessionals.length };
}

/**
 * What the demo people have lived (run after `seedDemo`): Marie Morel's medical profile, the Assurance
 * Maladie's feed of reimbursed care and vaccinations, appointments in the agenda, the VSMs their GP wrote, a message
 * from Marie's GP she has not read yet. Kept apart from the people
 * so that tests start from blank records and add only what they assert on. Idempotent.
 */
export async function seedDemoContent(ctx: AppContext): Promise<void> {
  await seedDemoProfiles(ctx);
  await seedDemoInsurerFeed(ctx);
  await seedDemoAgenda(ctx);
  await seedDemoVsms(ctx);
  await seedDemoMessages(ctx);
}

/**
 * `serve --demo`: seeds the people and what they lived (Hélène Brunet's thousand documents included) into an
 * empty database, and returns the report; undefined when it was not empty. Several instances starting at once on one PostgreSQL would each find it empty and collide
 * on the same people: the check and the seeding run under an advisory lock of the schema, so the others wait, then
 * find it seeded. `options.longTerm` shortens Hélène Brunet's record (tests).
 */
export async function seedDemoIfEmpty(
  ctx: AppContext,
  options: { readonly longTerm?: LongTermOptions } = {},
): Promise<(DemoSeedReport & { readonly longTermDocuments: number }) | undefined> {
  const seed = async () => {
    if (!(await databaseIsEmpty(ctx))) return undefined;
    const report = await seedDemo(ctx);
    await seedDemoContent(ctx);
    // Kept out of seedDemoContent, which many tests run: a thousand deposits are for people trying the demo.
    const longTerm = await seedDemoLongTermRecord(ctx, options.longTerm);
    return { ...report, longTermDocuments: longTerm.documents };
  };
  if (ctx.dialect !== 'postgres') return seed();
  // A session lock on one connection of the pool; the seeding itself runs on the others.
  return ctx.db.connection().execute(async (connection) => {
    const key = sql`hashtext(current_schema() || ':demo-seed')`;
    await sql`select pg_advisory_lock(${key})`.execute(connection);
    try {
      return await seed();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}

/** True when no insured person is stored yet: `serve --demo` seeds only then. */
export async function databaseIsEmpty(ctx: AppContext): Promise<boolean> {
  const row = await ctx.db.selectFrom('patients').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
