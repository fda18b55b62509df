import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import type { PatientId } from '../identity/index.ts';
import { createAgendaEvent, parseEventInput } from '../agenda/index.ts';
import { addDays, parisDay, parisInstant } from '../shared/index.ts';
import { demoPerson, demoProfessional, patientPrincipal } from './principals.ts';

const parisTime = (now: Date, days: number, hour: number) =>
  parisInstant(addDays(parisDay(now), days), `${String(hour).padStart(2, '0')}:00`);

/**
 * A few appointments for the demo (idempotent: only into empty agendas): Jean has a visit pushed by Dr Martin's
 * software and a reminder of his own; Émilie's daughter Chloé has a paediatric appointment.
 */
export async function seedDemoAgenda(ctx: AppContext): Promise<void> {
  const now = ctx.clock.now();
  const [jean, emilie, chloe] = await Promise.all([
    demoPerson(ctx, 'jean'),
    demoPerson(ctx, 'emilie'),
    demoPerson(ctx, 'chloe'),
  ]);
  const empty = async (patientId: PatientId) =>
    (await ctx.db
      .selectFrom('agenda_events')
      .select('id')
      .where('patient_id', '=', patientId)
      .executeTakeFirst()) === undefined;
  const add = (principal: Principal, patientId: PatientId, body: Record<string, unknown>) =>
    createAgendaEvent(ctx, principal, patientId, parseEventInput(body));
  if (await empty(jean.id)) {
    await add(await demoProfessional(ctx), jean.id, {
      kind: 'appointment',
      title: 'Consultation de suivi',
      start: parisTime(now, 3, 10),
      end: parisTime(now, 3, 11),
      practitioner: 'Dr Claire MARTIN',
      location: 'Cabinet médical, 12 rue de la République, Lyon',
    });
    await add(patientPrincipal(jean), jean.id, {
      kind: 'reminder',
      title: 'Renouveler l’ordonnance',
      start: parisTime(now, 10, 9),
    });
  }
  if (await empty(chloe.id)) {
    await add(patientPrincipal(emilie, [chloe.id]), chloe.id, {
      kind: 'appointment',
      title: 'Pédiatre – visite de contrôle',
      start: parisTime(now, 6, 17),
      practitioner: 'Dr Anne PETIT',
    });
  }
}
