import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { readCareHistory } from '../insurer/index.ts';
import { readProfile, type VaccinationData } from '../medical-profile/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { seedDemoInsurerFeed } from './insurer-seed.ts';
import { seedDemo } from './seed.ts';

describe.each(testDialects)('demo Assurance Maladie feed on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('gives the diabetic demo patient two years of follow-up, and seeding again adds nothing', async () => {
    const first = await seedDemoInsurerFeed(ctx);
    expect(first.careAdded).toBeGreaterThan(50);
    expect(first.attestationsAdded).toBe(1);
    expect(first.aldAdded).toBe(2);
    const again = await seedDemoInsurerFeed(ctx);
    expect(again.careAdded + again.vaccinationsAdded + again.attestationsAdded + again.aldAdded).toBe(0);
    const marie = (await findInsuredByIns(ctx.db, '271096912304585' as Ins))!;
    const principal = { kind: 'patient' as const, patientId: marie.id, ins: marie.ins, actsFor: [marie.id] };
    const history = await readCareHistory(ctx, principal, marie.id, { category: 'biologie' });
    expect(history.total).toBeGreaterThanOrEqual(8);
    expect(history.facets.years.length).toBeGreaterThanOrEqual(2);
    expect(history.items[0]!.label).toMatch(/HbA1c/);
    // Flu shots, reimbursed and in the profile, fall in a vaccination campaign, never in summer.
    const flu = await readCareHistory(ctx, principal, marie.id, { category: 'vaccin' });
    const profile = await readProfile(ctx, principal, marie.id);
    const days = [
      ...flu.items.filter((i) => /grippe/.test(i.label)).map((i) => i.date),
      ...profile.entries.flatMap((e) =>
        e.section === 'vaccinations' && (e.data as VaccinationData).vaccineCode === 'grippe'
          ? [(e.data as VaccinationData).date]
          : [],
      ),
    ];
    expect(days.length).toBeGreaterThanOrEqual(4);
    for (const day of days) expect(['10', '11', '12', '01']).toContain(day.slice(5, 7));
  });
});
