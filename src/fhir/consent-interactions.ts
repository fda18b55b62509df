import type { Bundle, Consent, AuditEvent } from '@medplum/fhirtypes';
import { declareConsent, listAuditEntries } from '../record/index.ts';
import { forbidden, invalid, uuidv7 } from '../shared/index.ts';
import { auditEventOf } from './audit-events.ts';
import type { FhirCall } from './call.ts';
import { offsetPageLinks, readPage } from './paging.ts';
import { expectResourceType, objectAt } from './fhir-input.ts';
import { patientById, patientByInsToken, resolvePatientReference } from './patient-reference.ts';
import type { QueryParams } from './search-params.ts';

/**
 * `POST Consent`: a professional records that the patient consented to their access (docs/access.md, "Consent and
 * the care relation").
 */
export async function createConsent(call: FhirCall, body: unknown): Promise<Consent> {
  const resource = objectAt(body, 'Consent');
  expectResourceType(resource, 'Consent', 'Consent');
  if (resource.status !== 'active') {
    throw invalid(
      'consent-status',
      'Le consentement déclaré doit être actif (status « active »).',
      'Consent.status',
    );
  }
  if (call.principal.kind !== 'professional') {
    throw forbidden('role', 'Seul un professionnel de santé déclare le consentement du patient.');
  }
  const patient = await resolvePatientReference(
    call.ctx.db,
    resource.patient as Consent['patient'],
    call.fhirBase,
    'Consent.patient',
  );
  await declareConsent(call.ctx, call.principal, patient.id);
  const now = call.ctx.clock.now();
  return {
    resourceType: 'Consent',
    id: uuidv7(now.getTime()),
    status: 'active',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: { reference: `Patient/${patient.id}` },
    // R4 ppc-1 wants a policy: the patient opts in to this professional's access (docs/fhir.md, "Other resources").
    policyRule: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' },
      ],
    },
    dateTime: now.toISOString(),
    performer: [{ identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: call.principal.nationalId } }],
  };
}

/** `GET AuditEvent?patient=…`: a patient's traces, for that patient (or representative) and auditors only. */
export async function searchAuditEvents(call: FhirCall, query: QueryParams): Promise<Bundle<AuditEvent>> {
  const byId = typeof query.patient === 'string' ? query.patient.replace(/^Patient\//, '') : undefined;
  const byIns = typeof query['patient.identifier'] === 'string' ? query['patient.identifier'] : undefined;
  const person = byId
    ? await patientById(call.ctx.db, byId, 'patient')
    : byIns
      ? await patientByInsToken(call.ctx.db, byIns, 'patient.identifier')
      : undefined;
  if (!person) throw invalid('search-patient-required', 'Paramètre « patient » attendu.', 'patient');
  const page = readPage(query._count, query._offset);
  const { count, offset } = page;
  const { total, entries } = await listAuditEntries(call.ctx, call.principal, person.id, { count, offset });
  const url = (at: number) =>
    `${call.fhirBase}/AuditEvent?patient=Patient/${person.id}&_count=${count}&_offset=${at}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: offsetPageLinks(url, page, total),
    entry: entries.map((e) => ({
      fullUrl: `${call.fhirBase}/AuditEvent/${e.id}`,
      resource: auditEventOf(call.ctx.config, e),
      search: { mode: 'match' },
    })),
  };
}
