/**
 * The agenda as FHIR R4 `Appointment` (docs/features.md, "Agenda"): professional software pushes appointments with a
 * professional's bearer token and searches them back (`patient`, `date` with ge/gt/le/lt/eq prefixes).
 */
import type { Appointment, AppointmentParticipant, Bundle } from '@medplum/fhirtypes';
import type { FhirCall } from './call.ts';
import { resolvePatientReference } from './patient-reference.ts';
import { readPage } from './paging.ts';
import { single, type QueryParams } from './search-params.ts';
import type { PatientId } from '../identity/index.ts';
import { invalid, notFound, addDays } from '../shared/index.ts';
import {
  changePushedAppointment,
  createAgendaEvent,
  endOrAssumed,
  findEventPatient,
  listAgendaEvents,
  parseEventInput,
  type AgendaEvent,
  type AgendaRange,
} from '../agenda/index.ts';

const appointmentStatuses = new Set(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'cancelled']);

export function toAppointment(event: AgendaEvent, fhirBase: string): Appointment {
  const participant: AppointmentParticipant[] = [
    { actor: { reference: `Patient/${event.patientId}` }, status: 'accepted' },
  ];
  if (event.practitioner || event.practitionerReference) {
    participant.push({
      actor: {
        ...(event.practitionerReference ? { reference: event.practitionerReference } : {}),
        ...(event.practitioner ? { display: event.practitioner } : {}),
      },
      status: 'accepted',
    });
  }
  return {
    resourceType: 'Appointment',
    id: event.id,
    meta: { lastUpdated: event.updatedAt },
    status: event.status,
    description: event.title,
    start: event.start,
    end: endOrAssumed(event),
    created: event.createdAt,
    ...(event.notes ? { comment: event.notes } : {}),
    ...(event.location
      ? {
          extension: [
            { url: `${fhirBase}/StructureDefinition/appointment-location`, valueString: event.location },
          ],
        }
      : {}),
    participant,
  };
}

/** The patient an Appointment names, and what it says, checked as for any agenda entry. */
async function readResource(call: FhirCall, body: unknown) {
  const resource = body as Partial<Appointment> | null;
  if (!resource || typeof resource !== 'object' || resource.resourceType !== 'Appointment')
    throw invalid('resource-type-mismatch', 'La ressource envoyée doit être un Appointment.');
  if (resource.status !== undefined && !appointmentStatuses.has(resource.status))
    throw invalid(
      'appointment-status-invalid',
      'Le statut du rendez-vous est invalide.',
      'Appointment.status',
    );
  const participants = Array.isArray(resource.participant) ? resource.participant : [];
  const patientRef = participants.find(
    (p) => p.actor?.reference?.includes('Patient') || p.actor?.type === 'Patient',
  )?.actor;
  const person = await resolvePatientReference(
    call.ctx.db,
    patientRef,
    call.fhirBase,
    'Appointment.participant.actor',
  );
  const practitioner = participants.find((p) => p.actor?.reference?.includes('Practitioner'))?.actor;
  const principal = call.principal;
  const ownName =
    principal.kind === 'professional'
      ? `${principal.givenName} ${principal.familyName.toUpperCase()}`
      : undefined;
  const input = parseEventInput({
    kind: 'appointment',
    start: resource.start,
    end: resource.end,
    title: resource.description ?? resource.serviceType?.[0]?.text ?? 'Rendez-vous',
    notes: resource.comment,
    practitioner: practitioner?.display ?? ownName,
    practitionerReference: practitioner?.reference,
    status: resource.status === 'cancelled' ? 'cancelled' : 'booked',
  });
  return { resource, person, input };
}

/** `POST /fhir/Appointment`: the patient participant decides whose agenda; a Practitioner participant is shown. */
export async function createAppointment(call: FhirCall, body: unknown): Promise<Appointment> {
  const { person, input } = await readResource(call, body);
  const event = await createAgendaEvent(call.ctx, call.principal, person.id, input);
  return toAppointment(event, call.fhirBase);
}

/**
 * `PUT /fhir/Appointment/<id>`: the software that pushed an appointment reschedules it, or cancels it with
 * `status: cancelled`. The whole resource is sent (FHIR update); it stays in the same patient's agenda.
 */
export async function updateAppointment(call: FhirCall, id: string, body: unknown): Promise<Appointment> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw appointmentNotFound();
  const { resource, person, input } = await readResource(call, body);
  if (resource.id !== id)
    throw invalid(
      'resource-id-mismatch',
      'L’identifiant de la ressource doit être celui de l’adresse.',
      'Appointment.id',
    );
  const patientId = await findEventPatient(call.ctx.db, id);
  if (!patientId) throw appointmentNotFound();
  if (patientId !== person.id)
    throw invalid(
      'appointment-patient-changed',
      'Un rendez-vous ne change pas de patient : annulez-le et créez-en un autre.',
      'Appointment.participant.actor',
    );
  const event = await changePushedAppointment(call.ctx, call.principal, patientId, id, input);
  return toAppointment(event, call.fhirBase);
}

/** `date` values: `ge2026-01-01`, `lt2026-02-01T00:00:00Z`, `2026-01-10`… into one range of start instants. */
export function dateRange(values: readonly string[]): AgendaRange {
  let from: string | undefined;
  let to: string | undefined;
  const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);
  const earlier = (a: string | undefined, b: string) => (a === undefined || b < a ? b : a);
  for (const value of values) {
    const match = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2})(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
    if (!match || Number.isNaN(Date.parse(match[2]! + (match[3] ?? 'T00:00:00Z'))))
      throw invalid('search-date-invalid', 'Le paramètre « date » est invalide.', 'date');
    const prefix = match[1] ?? 'eq';
    const day = match[2]!;
    // A date without a time stands for the whole UTC day (FHIR: the precision of the value is its range).
    const low = match[3] ? new Date(day + match[3]).toISOString() : `${day}T00:00:00.000Z`;
    const high = match[3]
      ? new Date(Date.parse(low) + 1000).toISOString()
      : `${addDays(day, 1)}T00:00:00.000Z`;
    if (prefix === 'eq' || prefix === 'ge') from = later(from, low);
    if (prefix === 'gt') from = later(from, high);
    if (prefix === 'eq' || prefix === 'le') to = earlier(to, high);
    if (prefix === 'lt') to = earlier(to, low);
  }
  return { from, to };
}

async function patientOfSearch(call: FhirCall, query: QueryParams): Promise<PatientId> {
  const asked = single(query, 'patient') ?? single(query, 'actor');
  if (asked) {
    const reference = asked.includes('|')
      ? { identifier: { system: asked.split('|')[0], value: asked.split('|')[1] } }
      : { reference: asked.includes('/') ? asked : `Patient/${asked}` };
    return (await resolvePatientReference(call.ctx.db, reference, call.fhirBase, 'patient')).id;
  }
  if (call.principal.kind === 'patient') return call.principal.patientId;
  throw invalid('search-patient-required', 'Le paramètre « patient » est obligatoire.', 'patient');
}

export async function searchAppointments(call: FhirCall, query: QueryParams): Promise<Bundle<Appointment>> {
  const patientId = await patientOfSearch(call, query);
  const dates =
    query.date === undefined ? [] : typeof query.date === 'string' ? [query.date] : [...query.date];
  const range = dateRange(dates);
  const status = single(query, 'status');
  const page = readPage(query._count, query._offset);
  const events = (await listAgendaEvents(call.ctx, call.principal, patientId, range)).filter(
    (e) => e.kind === 'appointment' && (status === undefined || e.status === status),
  );
  const matches = events.slice(page.offset, page.offset + page.count);
  const params = [
    `patient=Patient/${patientId}`,
    ...dates.map((d) => `date=${encodeURIComponent(d)}`),
    ...(status ? [`status=${status}`] : []),
  ].join('&');
  const url = (at: number) => `${call.fhirBase}/Appointment?${params}&_count=${page.count}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: events.length,
    link: [
      { relation: 'self', url: url(page.offset) },
      ...(page.offset + page.count < events.length
        ? [{ relation: 'next', url: url(page.offset + page.count) }]
        : []),
    ],
    entry: matches.map((event) => ({
      fullUrl: `${call.fhirBase}/Appointment/${event.id}`,
      resource: toAppointment(event, call.fhirBase),
      search: { mode: 'match' },
    })),
  };
}

const appointmentNotFound = () => notFound('appointment-not-found', 'Ce rendez-vous est introuvable.');

/** `GET /fhir/Appointment/<id>`: with the same rights as a search of that patient's agenda. */
export async function readAppointment(call: FhirCall, id: string): Promise<Appointment> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw appointmentNotFound();
  const patientId = await findEventPatient(call.ctx.db, id);
  if (!patientId) throw appointmentNotFound();
  const events = await listAgendaEvents(call.ctx, call.principal, patientId);
  const event = events.find((e) => e.id === id && e.kind === 'appointment');
  if (!event) throw appointmentNotFound();
  return toAppointment(event, call.fhirBase);
}
