import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { seedDemo } from './seed.ts';
import { fixedClock, parisInstant } from '../shared/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { seedDemoAgenda } from './demo-agenda.ts';
import { demoPerson, patientPrincipal } from './principals.ts';
import { listAgendaEvents } from '../agenda/index.ts';

describe('Paris wall-clock instants', () => {
  it('use the winter and summer offsets', () => {
    expect(parisInstant('2026-01-15', '10:00')).toBe('2026-01-15T09:00:00.000Z');
    expect(parisInstant('2026-07-15', '10:00')).toBe('2026-07-15T08:00:00.000Z');
  });
});

describe.each(testDialects)('demo agenda on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock: fixedClock('2026-03-02T09:00:00Z') }));
    await seedDemo(ctx);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('gives Jean an appointment pushed by his doctor and a reminder, once however often it runs', async () => {
    await seedDemoAgenda(ctx);
    await seedDemoAgenda(ctx);
    const jean = await demoPerson(ctx, 'jean');
    const events = await listAgendaEvents(ctx, patientPrincipal(jean), jean.id);
    expect(events.map((e) => [e.kind, e.source, e.title])).toEqual([
      ['appointment', 'professional', 'Consultation de suivi'],
      ['reminder', 'patient', 'Renouveler l’ordonnance'],
    ]);
    expect(events[0]!.start).toBe('2026-03-05T09:00:00.000Z');
  });
});
