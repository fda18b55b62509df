import type { Principal } from '../src/access/principal.ts';
import type { AppContext } from '../src/app/context.ts';
import { principalOf } from '../src/auth/professional/principal.ts';
import { loadConfig } from '../src/config/index.ts';
import { demoPatients } from '../src/demo/patients.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { issueDevAccessToken } from '../src/idp/dev-token.ts';
import { nationalIdOfRpps, type Ins, type Rpps } from '../src/identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../src/insured/index.ts';
import { findProfessionalByNationalId } from '../src/professionals/index.ts';
import { systemClock } from '../src/shared/clock.ts';
import type { Dialect } from '../src/storage/index.ts';
import { createBenchDatabase, type BenchDatabase } from './database.ts';
import { serverEnvironment } from './server.ts';

/** The demo general practitioner (Dr Martin): deposits and searches are made with their token. */
export const DOCTOR_RPPS = '10001000115' as Rpps;

export interface BenchSetup {
  readonly database: BenchDatabase;
  /** Environment of the server child process (same data folder, port and database as `ctx`). */
  readonly env: Record<string, string>;
  readonly ctx: AppContext;
  readonly token: string;
  readonly doctor: Principal;
  /** The searched patient: gets exactly the planned number of documents. */
  readonly target: InsuredPerson;
  /** Every other demo patient whose record is open: deposits go round-robin over them. */
  readonly depositPatients: readonly InsuredPerson[];
}

const open = (p: InsuredPerson | undefined): p is InsuredPerson =>
  p !== undefined && (p.profileState === 'activated' || p.profileState === 'created');

/** A fresh database with the demo people (seeded in-process, through the same paths as `carnet seed-demo`). */
export async function prepareBench(dialect: Dialect): Promise<BenchSetup> {
  const database = await createBenchDatabase(dialect);
  try {
    const env = await serverEnvironment(database);
    const ctx: AppContext = { config: loadConfig(env), db: database.db, dialect, clock: systemClock };
    await seedDemo(ctx);
    const token = await issueDevAccessToken(ctx, { rpps: DOCTOR_RPPS });
    const professional = await findProfessionalByNationalId(ctx.db, nationalIdOfRpps(DOCTOR_RPPS));
    if (!professional) throw new Error('the demo doctor was not seeded');
    const people = await Promise.all(demoPatients.map((p) => findInsuredByIns(ctx.db, p.record.ins as Ins)));
    const target = people.find((p) => p?.profileState === 'activated');
    if (!target) throw new Error('no activated demo patient to search');
    const depositPatients = people.filter(open).filter((p) => p.id !== target.id);
    return { database, env, ctx, token, doctor: principalOf(professional), target, depositPatients };
  } catch (error) {
    await database.destroy();
    throw error;
  }
}
