import type { AppContext } from '../app/index.ts';
import type { Principal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { openAgenda } from '../guard/index.ts';
import { trace, Refusal, inRecordTransaction } from '../record/index.ts';
import { invalid, isDay, parisDay } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { evaluatePrevention, type PreventionItem } from './prevention/index.ts';
import { profileVaccinations } from './profile-adapter.ts';

export type { PreventionItem };
export type PreventionDecisionStatus = 'done' | 'not-done';

/** Deposited documents that can prove a screening done: their type and the day of care (or of deposit). */
async function recordDocumentFacts(db: Executor, patientId: PatientId) {
  const rows = await db
    .selectFrom('documents')
    .select(['type_code', 'service_start', 'created_at', 'deposited_at'])
    .where('patient_id', '=', patientId)
    .where('status', '!=', 'deleted')
    // A document hidden until its announcement must not tell, through a screening marked done, that it exists.
    .where('invisible_patient', '=', 0)
    .where('invisible_representatives', '=', 0)
    .execute();
  return rows.map((row) => ({
    typeCode: row.type_code,
    date: (row.service_start ?? row.created_at ?? row.deposited_at).slice(0, 10),
  }));
}

async function storedDecisions(db: Executor, patientId: PatientId) {
  const rows = await db
    .selectFrom('agenda_prevention_decisions')
    .selectAll()
    .where('patient_id', '=', patientId)
    .execute();
  return rows.map((row) => ({
    itemId: row.item_id,
    occurrence: row.occurrence,
    status: row.status as PreventionDecisionStatus,
    at: row.decided_at.slice(0, 10),
    ...(row.done_on !== null && { doneOn: row.done_on }),
  }));
}

/** The prevention engine over what Carnet knows of the patient: birth date, sex, vaccinations, documents, choices. */
export async function preventionItemsOf(
  ctx: Pick<AppContext, 'config'>,
  db: Executor,
  person: Pick<InsuredPerson, 'id' | 'birthDate' | 'sex'>,
  now: Date,
): Promise<PreventionItem[]> {
  const [vaccinations, documents, decisions] = await Promise.all([
    profileVaccinations(db, ctx.config, person.id),
    recordDocumentFacts(db, person.id),
    storedDecisions(db, person.id),
  ]);
  return evaluatePrevention({
    birthDate: person.birthDate,
    sex: person.sex,
    today: parisDay(now),
    vaccinations,
    documents,
    decisions,
  });
}

/** The patient's (or a represented minor's) prevention items, traced as a read of their agenda. */
export async function listPreventionItems(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
): Promise<PreventionItem[]> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openAgenda(trx, principal, patientId, 'read', now);
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    const items = await preventionItemsOf(ctx, trx, record.person, now);
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-read', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { prevention: items.length },
      }),
      now,
    );
    return items;
  });
}

const ITEM_KEY = /^[A-Za-z0-9@._:-]{1,100}$/;

/**
 * "Fait" / "non fait" on one occurrence of an item; `undefined` takes the choice back (« Ce n’est pas fait »).
 * `doneOn` (YYYY-MM-DD, « Fait le … ») is the day it was done: a "fait" without it is dated today. It may be
 * neither after today nor before the patient's birth; the next due date is computed from it.
 */
export async function decidePreventionItem(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  itemId: string,
  occurrence: string,
  status: PreventionDecisionStatus | undefined,
  doneOn?: string,
): Promise<void> {
  if (!ITEM_KEY.test(itemId) || !ITEM_KEY.test(occurrence))
    throw invalid('prevention-item-invalid', 'Cette recommandation est inconnue.');
  if (status !== undefined && status !== 'done' && status !== 'not-done')
    throw invalid('prevention-status-invalid', 'Le statut est « fait » ou « non fait ».', 'status');
  const now = ctx.clock.now();
  const today = parisDay(now);
  if (doneOn !== undefined) {
    if (status !== 'done')
      throw invalid('prevention-done-on-unexpected', 'Une date ne se donne qu’avec « fait ».', 'doneOn');
    if (!isDay(doneOn))
      throw invalid(
        'prevention-done-on-invalid',
        'Indiquez une date valide, par exemple 15/03/2026.',
        'doneOn',
      );
    if (doneOn > today)
      throw invalid('prevention-done-on-future', 'La date ne peut pas être dans le futur.', 'doneOn');
  }
  await inRecordTransaction(ctx, async (trx): Promise<Refusal | undefined> => {
    const opened = await openAgenda(trx, principal, patientId, 'manage', now);
    if (opened instanceof Refusal) return opened;
    const { record } = opened;
    if (doneOn !== undefined && doneOn < record.person.birthDate)
      throw invalid(
        'prevention-done-on-before-birth',
        'La date ne peut pas être avant la naissance.',
        'doneOn',
      );
    await trx
      .deleteFrom('agenda_prevention_decisions')
      .where('patient_id', '=', patientId)
      .where('item_id', '=', itemId)
      .where('occurrence', '=', occurrence)
      .execute();
    if (status) {
      await trx
        .insertInto('agenda_prevention_decisions')
        .values({
          patient_id: patientId,
          item_id: itemId,
          occurrence,
          status,
          decided_at: now.toISOString(),
          done_on: status === 'done' ? (doneOn ?? today) : null,
        })
        .execute();
    }
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-update', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { prevention: itemId, occurrence, status: status ?? 'none' },
      }),
      now,
    );
    return undefined;
  });
}
