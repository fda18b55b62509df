import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoProfessional, seedDemo, seedDemoContent } from '../demo/index.ts';
import { depositCountsByMonth } from '../record/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { professionalIndicators } from './indicators.ts';
import { buildIndicatorMonth, expectedMonth, MARTIN_RPPS, OTHER_RPPS } from './test-month.ts';

/**
 * One constructed month of Dr Martin's activity (March 2026, src/indicators/test-month.ts), with what must not
 * count around it, checked number by number: consultations from the insurer's feed, deposits within and outside
 * the 30 days, messages, VSMs for a patient in ALD and for one whose ALD has ended, and an attachment a patient
 * filed from his message.
 */
describe.each(testDialects)('professional indicators on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let now = '2026-01-05T09:00:00.000Z';

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock: { now: () => new Date(now) } }));
    await seedDemo(ctx);
    await buildIndicatorMonth(ctx, (instant) => (now = instant), '2026-03');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('counts reimbursed consultations and what followed them within 30 days, and VSMs apart for ALD', async () => {
    expect(now).toBe('2026-04-25T07:00:00.000Z');
    const martin = await demoProfessional(ctx, MARTIN_RPPS);
    const figures = await professionalIndicators(ctx, martin, 3);
    expect(figures.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
    const [february, march, april] = figures.months;
    expect(february).toMatchObject({ ...expectedMonth.previous, provisional: false });
    // Still provisional on 25 April: a deposit on 30 April would count for a consultation of 31 March.
    expect(march).toEqual({ month: '2026-03', ...expectedMonth.month, provisional: true });
    expect(april).toMatchObject({ ...expectedMonth.next, provisional: true });
    expect(figures.thresholds).toEqual({ deposit: 0.2, message: 0.05 });

    // « Mes dépôts »: Émilie's filing of his report is not Dr Martin's deposit.
    expect(await depositCountsByMonth(ctx, martin)).toEqual([
      { month: '2026-04', count: 1 },
      { month: '2026-03', count: 4 },
    ]);
    // Another doctor sees only their own consultation.
    const leroy = await professionalIndicators(ctx, await demoProfessional(ctx, OTHER_RPPS), 2);
    expect(leroy.months.map((m) => m.consultations)).toEqual([1, 0]);
    await expect(professionalIndicators(ctx, martin, 0)).rejects.toMatchObject({ code: 'months-invalid' });
  });

  it('keeps the feed’s nature, executant and ALD periods', async () => {
    const care = await ctx.db
      .selectFrom('insurer_care')
      .select(['source_ref', 'nature', 'executant_national_id'])
      .where('source_ref', 'in', ['T2-2026-03', 'T7-2026-03', 'T8-2026-03'])
      .orderBy('source_ref')
      .execute();
    expect(care).toEqual([
      { source_ref: 'T2-2026-03', nature: 'teleconsultation', executant_national_id: '810001000115' },
      { source_ref: 'T7-2026-03', nature: 'consultation', executant_national_id: '810001000511' },
      { source_ref: 'T8-2026-03', nature: null, executant_national_id: '810001000115' },
    ]);
    const ald = await ctx.db
      .selectFrom('insurer_ald')
      .select(['start_date', 'end_date'])
      .orderBy('start_date')
      .execute();
    expect(ald).toEqual([
      { start_date: '2015-01-01', end_date: '2026-02-15' },
      { start_date: '2020-01-01', end_date: null },
    ]);
  });
});

describe.each(testDialects)('Dr Martin’s indicators in the demo on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect));
    await seedDemo(ctx);
    await seedDemoContent(ctx);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('shows his reimbursed consultations, Bernard’s visit followed by his VSM, and VSMs for ALD apart', async () => {
    const figures = await professionalIndicators(ctx, await demoProfessional(ctx, MARTIN_RPPS), 12);
    const total = (key: 'consultations' | 'withDeposit' | 'vsmAld' | 'vsmOther') =>
      figures.months.reduce((sum, m) => sum + m[key], 0);
    // Marie's quarterly visits, Jean's and Bernard's consultations, Bernard's home visit two days ago.
    expect(total('consultations')).toBeGreaterThanOrEqual(6);
    // The VSM written today follows Bernard's visit; Bernard is in ALD (diabetes), Jean is not.
    expect(total('withDeposit')).toBe(1);
    expect([total('vsmAld'), total('vsmOther')]).toEqual([1, 1]);
  });
});
