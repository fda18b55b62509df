import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { systemClock } from '../shared/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestDatabase, testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { describeDemoPeople } from './demo-people.ts';
import { openDatabase } from '../storage/index.ts';
import { databaseIsEmpty, seedDemo, seedDemoIfEmpty } from './seed.ts';
import { demoPatients } from './patients.ts';
import { LONG_TERM_INS, longTermRecord } from './long-term-record.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';

describe.each(testDialects)('demo data on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(() => database.destroy());

  async function context(): Promise<AppContext> {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ CARNET_DATA_DIR: database.dataDir });
    return { config, db: database.db, dialect, clock: systemClock };
  }

  it('seeds every demo person in the state the demo promises, and a second run changes nothing', async () => {
    const ctx = await context();
    expect(await databaseIsEmpty(ctx)).toBe(true);
    const first = await seedDemo(ctx);
    expect(first.imported).toBe(demoPatients.length);
    const people = await describeDemoPeople(ctx);
    for (const demo of demoPatients) {
      const seeded = people.patients.find((p) => p.ins === demo.record.ins);
      expect(seeded?.state, demo.record.ins).toBe(demo.state);
    }
    expect(people.patients.find((p) => p.ins === '279035121518989')).toMatchObject({
      insOid: '1.2.250.1.213.1.4.10',
      birthName: 'PAT-TROIS',
      state: 'activated',
    });
    const second = await seedDemo(ctx);
    expect(second.activated).toBe(0);
    expect(await ctx.db.selectFrom('patients').select('id').execute()).toHaveLength(demoPatients.length);
  });

  // SQLite serves one instance (several workers share it through one primary that seeds first).
  it.runIf(dialect === 'postgres')(
    'seeds once when several instances start together on an empty database',
    async () => {
      const ctx = await context();
      // A second instance: its own connections to the same database.
      const other = openDatabase({ databaseUrl: database.databaseUrl, sqlitePath: '' });
      try {
        // A year of Hélène Brunet's record rather than ten: enough to see it deposited once, not twice.
        const options = { longTerm: { years: 1 } };
        const reports = await Promise.all([
          seedDemoIfEmpty(ctx, options),
          seedDemoIfEmpty({ ...ctx, db: other.db }, options),
        ]);
        expect(reports.filter((r) => r !== undefined)).toHaveLength(1);
        expect(await ctx.db.selectFrom('patients').select('id').execute()).toHaveLength(demoPatients.length);
        const helene = (await findInsuredByIns(ctx.db, LONG_TERM_INS as Ins))!;
        const planned = longTermRecord(ctx.clock.now(), options.longTerm).flatMap((s) => s.documents);
        const documents = await ctx.db
          .selectFrom('documents')
          .select('id')
          .where('patient_id', '=', helene.id)
          .execute();
        expect(documents).toHaveLength(planned.length);
      } finally {
        await other.close();
      }
    },
  );

  it('lets the minor be managed by the parent who activated her', async () => {
    const ctx = await context();
    await seedDemo(ctx);
    const chloe = await ctx.db
      .selectFrom('patients')
      .selectAll()
      .where('ins', '=', '215027511520318')
      .executeTakeFirstOrThrow();
    expect(chloe.profile_state).toBe('activated');
    expect(
      await ctx.db.selectFrom('accounts').select('id').where('patient_id', '=', chloe.id).execute(),
    ).toEqual([]);
  });
});
