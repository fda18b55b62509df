import type { AppContext } from '../app/index.ts';
import { type Principal, agendaAuthorOf, agendaShowsCancelled, agendaWriteOf } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import type { PatientId } from '../identity/index.ts';
import {
  trace,
  sealText,
  openText,
  noteConsultation,
  inRecordTransaction,
  Refusal,
} from '../record/index.ts';
import { openAgenda, openAppointmentChange } from '../guard/index.ts';
import { forbidden, invalid, notFound, uuidv7, isInstant, parisDay } from '../shared/index.ts';
import type { Executor, AgendaEventsTable } from '../storage/index.ts';

export type AgendaEventKind = 'appointment' | 'reminder';
export type AgendaEventStatus = 'booked' | 'cancelled';

/** What the patient or the professional's software says about an appointment or a free reminder. */
export interface AgendaEventInput {
  readonly kind: AgendaEventKind;
  /** ISO-8601 instant with its offset. */
  readonly start: string;
  readonly end?: string | undefined;
  readonly title: string;
  readonly location?: string | undefined;
  readonly practitioner?: string | undefined;
  /** `Practitioner/<id>` when the appointment came through FHIR. */
  readonly practitionerReference?: string | undefined;
  readonly notes?: string | undefined;
  readonly status?: AgendaEventStatus | undefined;
}

export interface AgendaEvent {
  readonly id: string;
  readonly patientId: PatientId;
  readonly kind: AgendaEventKind;
  readonly start: string;
  readonly end: string | undefined;
  /** Europe/Paris calendar day of the start. */
  readonly day: string;
  readonly title: string;
  readonly location: string | undefined;
  readonly practitioner: string | undefined;
  readonly practitionerReference: string | undefined;
  readonly notes: string | undefined;
  readonly source: 'patient' | 'professional' | 'app';
  readonly authorNationalId: string | undefined;
  readonly status: AgendaEventStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface SealedContent {
  title: string;
  location?: string;
  practitioner?: string;
  practitionerReference?: string;
  notes?: string;
}

const MAX_TEXT = 500;
const MAX_NOTES = 4000;

function text(value: unknown, field: string, label: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw invalid('agenda-field-invalid', `Le champ « ${label} » doit être un texte.`, field);
  const trimmed = value.trim();
  if (trimmed.length > max)
    throw invalid(
      'agenda-field-too-long',
      `Le champ « ${label} » est trop long (${max} caractères au plus).`,
      field,
    );
  return trimmed || undefined;
}

/** Checks an appointment or reminder coming from outside (JSON body or FHIR resource). */
export function parseEventInput(body: unknown): AgendaEventInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('agenda-event-invalid', 'Le rendez-vous est mal formé.');
  const b = body as Record<string, unknown>;
  const kind = b.kind ?? 'appointment';
  if (kind !== 'appointment' && kind !== 'reminder')
    throw invalid('agenda-kind-invalid', 'Le type doit être un rendez-vous ou un rappel.', 'kind');
  if (!isInstant(b.start))
    throw invalid('agenda-start-invalid', 'La date et l’heure de début sont invalides.', 'start');
  const end = b.end === undefined || b.end === null || b.end === '' ? undefined : b.end;
  if (end !== undefined && !isInstant(end))
    throw invalid('agenda-end-invalid', 'La date et l’heure de fin sont invalides.', 'end');
  if (end !== undefined && Date.parse(end) < Date.parse(b.start))
    throw invalid('agenda-end-before-start', 'La fin ne peut pas précéder le début.', 'end');
  const title = text(b.title, 'title', 'intitulé', MAX_TEXT);
  if (!title) throw invalid('agenda-title-required', 'Donnez un intitulé.', 'title');
  const status = b.status ?? 'booked';
  if (status !== 'booked' && status !== 'cancelled')
    throw invalid('agenda-status-invalid', 'Le statut du rendez-vous est invalide.', 'status');
  return {
    kind,
    start: new Date(b.start).toISOString(),
    end: end === undefined ? undefined : new Date(end).toISOString(),
    title,
    location: text(b.location, 'location', 'lieu', MAX_TEXT),
    practitioner: text(b.practitioner, 'practitioner', 'professionnel', MAX_TEXT),
    practitionerReference: text(b.practitionerReference, 'practitionerReference', 'référence', MAX_TEXT),
    notes: text(b.notes, 'notes', 'notes', MAX_NOTES),
    status,
  };
}

function sealedOf(input: AgendaEventInput): SealedContent {
  return {
    title: input.title,
    ...(input.location ? { location: input.location } : {}),
    ...(input.practitioner ? { practitioner: input.practitioner } : {}),
    ...(input.practitionerReference ? { practitionerReference: input.practitionerReference } : {}),
    ...(input.notes ? { notes: input.notes } : {}),
  };
}

export function toAgendaEvent(ctx: AppContext, row: AgendaEventsTable): AgendaEvent {
  const content = JSON.parse(openText(ctx.config, row.patient_id, row.id, row.content)) as SealedContent;
  return {
    id: row.id,
    patientId: row.patient_id as PatientId,
    kind: row.kind as AgendaEventKind,
    start: row.starts_at,
    end: row.ends_at ?? undefined,
    day: row.day,
    title: content.title,
    location: content.location,
    practitioner: content.practitioner,
    practitionerReference: content.practitionerReference,
    notes: content.notes,
    source: row.source as AgendaEvent['source'],
    authorNationalId: row.author_national_id ?? undefined,
    status: row.status as AgendaEventStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface AgendaRange {
  /** ISO instants; events starting in [from, to). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** The patient's appointments and reminders, by start, traced as one read of the agenda. */
export async function listAgendaEvents(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  range: AgendaRange = {},
): Promise<AgendaEvent[]> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openAgenda(trx, principal, patientId, 'read', now);
    if (opened instanceof Refusal) return opened;
    let query = trx.selectFrom('agenda_events').selectAll().where('patient_id', '=', patientId);
    if (range.from) query = query.where('starts_at', '>=', range.from);
    if (range.to) query = query.where('starts_at', '<', range.to);
    // A professional sees what was booked; the patient also sees what was cancelled.
    if (!agendaShowsCancelled(principal)) query = query.where('status', '=', 'booked');
    const rows = await query.orderBy('starts_at').orderBy('id').execute();
    await noteConsultation(ctx, trx, principal, opened.record, opened.emergency, now);
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-read', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail: { returned: rows.length },
      }),
      now,
    );
    return rows.map((row) => toAgendaEvent(ctx, row));
  });
}

/** Adds an appointment or a reminder: the patient's own, or one pushed by a professional's software. */
export async function createAgendaEvent(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  input: AgendaEventInput,
): Promise<AgendaEvent> {
  const now = ctx.clock.now();
  const { action, remindersAllowed } = agendaWriteOf(principal);
  if (!remindersAllowed && input.kind !== 'appointment')
    throw forbidden('role', 'Seul le patient crée des rappels personnels.');
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openAgenda(trx, principal, patientId, action, now);
    if (opened instanceof Refusal) return opened;
    const id = uuidv7(now.getTime());
    const at = now.toISOString();
    const row: AgendaEventsTable = {
      patient_id: patientId,
      id,
      kind: input.kind,
      starts_at: input.start,
      ends_at: input.end ?? null,
      day: parisDay(input.start),
      content: sealText(ctx.config, patientId, id, JSON.stringify(sealedOf(input))),
      source: principal.kind === 'professional' || principal.kind === 'app' ? principal.kind : 'patient',
      author_national_id: agendaAuthorOf(principal),
      status: input.status ?? 'booked',
      created_at: at,
      updated_at: at,
    };
    await trx.insertInto('agenda_events').values(row).execute();
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-update', 'success', {
        targetType: 'Appointment',
        targetId: id,
        detail: { operation: 'create', kind: input.kind },
      }),
      now,
    );
    return toAgendaEvent(ctx, row);
  });
}

const eventNotFound = () => notFound('agenda-event-not-found', 'Ce rendez-vous est introuvable.');

/** Changes an event the patient entered; those pushed by a professional keep their content (only deletion). */
export async function updateAgendaEvent(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  id: string,
  input: AgendaEventInput,
): Promise<AgendaEvent> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const opened = await openAgenda(trx, principal, patientId, 'manage', now);
    if (opened instanceof Refusal) return opened;
    const existing = await trx
      .selectFrom('agenda_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!existing) throw eventNotFound();
    if (existing.source !== 'patient')
      throw forbidden(
        'agenda-event-read-only',
        'Ce rendez-vous a été ajouté par un professionnel : vous pouvez le supprimer, pas le modifier.',
      );
    return rewriteEvent(ctx, trx, principal, existing, input, 'update', now);
  });
}

/** Writes an event's new content and times, and traces the change. */
async function rewriteEvent(
  ctx: AppContext,
  trx: Executor,
  principal: Principal,
  existing: AgendaEventsTable,
  input: AgendaEventInput,
  operation: 'update' | 'cancel',
  now: Date,
): Promise<AgendaEvent> {
  const patientId = existing.patient_id as PatientId;
  const changes = {
    kind: input.kind,
    starts_at: input.start,
    ends_at: input.end ?? null,
    day: parisDay(input.start),
    content: sealText(ctx.config, patientId, existing.id, JSON.stringify(sealedOf(input))),
    status: input.status ?? 'booked',
    updated_at: now.toISOString(),
  };
  await trx
    .updateTable('agenda_events')
    .set(changes)
    .where('patient_id', '=', patientId)
    .where('id', '=', existing.id)
    .execute();
  await appendAudit(
    trx,
    trace(principal, patientId, 'agenda-update', 'success', {
      targetType: 'Appointment',
      targetId: existing.id,
      detail: { operation },
    }),
    now,
  );
  return toAgendaEvent(ctx, { ...existing, ...changes });
}

/**
 * Reschedules or cancels an appointment through the API (FHIR `PUT Appointment`): only the professional or app
 * that pushed it may, with the same checks as pushing. The patient keeps what she entered herself.
 */
export async function changePushedAppointment(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  id: string,
  input: AgendaEventInput,
): Promise<AgendaEvent> {
  const now = ctx.clock.now();
  return inRecordTransaction(ctx, async (trx) => {
    const existing = await trx
      .selectFrom('agenda_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('id', '=', id)
      .where('kind', '=', 'appointment')
      .executeTakeFirst();
    if (!existing) throw eventNotFound();
    const opened = await openAppointmentChange(
      trx,
      principal,
      patientId,
      id,
      existing.author_national_id,
      now,
    );
    if (opened instanceof Refusal) return opened;
    const operation = input.status === 'cancelled' ? 'cancel' : 'update';
    return rewriteEvent(ctx, trx, principal, existing, input, operation, now);
  });
}

export async function deleteAgendaEvent(
  ctx: AppContext,
  principal: Principal,
  patientId: PatientId,
  id: string,
): Promise<void> {
  const now = ctx.clock.now();
  await inRecordTransaction(ctx, async (trx) => {
    const opened = await openAgenda(trx, principal, patientId, 'manage', now);
    if (opened instanceof Refusal) return opened;
    const deleted = await trx
      .deleteFrom('agenda_events')
      .where('patient_id', '=', patientId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw eventNotFound();
    await appendAudit(
      trx,
      trace(principal, patientId, 'agenda-update', 'success', {
        targetType: 'Appointment',
        targetId: id,
        detail: { operation: 'delete' },
      }),
      now,
    );
    return undefined;
  });
}

/** Whose agenda holds the event `id` (FHIR reads come without their patient). */
export async function findEventPatient(db: Executor, id: string): Promise<PatientId | undefined> {
  const row = await db
    .selectFrom('agenda_events')
    .select('patient_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.patient_id as PatientId | undefined;
}

/**
 * When an entry has no end, it is taken to last 30 minutes (a reminder 15): what the iCalendar feed shows, and what
 * the FHIR Appointment says (R4 app-2/app-3: a booked appointment has both start and end).
 */
export function endOrAssumed(event: Pick<AgendaEvent, 'start' | 'end' | 'kind'>): string {
  return (
    event.end ??
    new Date(Date.parse(event.start) + (event.kind === 'reminder' ? 15 : 30) * 60_000).toISOString()
  );
}
