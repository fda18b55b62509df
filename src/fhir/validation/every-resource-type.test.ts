import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { issuePatientAccessToken } from '../../auth/index.ts';
import { seedDemo, seedDemoContent } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { addProfileEntry } from '../../medical-profile/index.ts';
import { receiveInbound } from '../../messaging/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { insConditional, provideBundle } from '../mhd-test-bundles.ts';
import { validateAnswer } from './r4-validator.ts';

const NIR_OID = '1.2.250.1.213.1.4.8';

/** Every resource of an answer, Bundle entries and contained resources included. */
function resourcesIn(resource: Resource): Resource[] {
  const inner =
    resource.resourceType === 'Bundle'
      ? (resource.entry ?? []).flatMap((e) => (e.resource ? resourcesIn(e.resource) : []))
      : [];
  const contained = 'contained' in resource ? ((resource.contained as Resource[] | undefined) ?? []) : [];
  return [resource, ...inner, ...contained];
}

/**
 * The goal: "the validator passes with zero errors over all resource types Carnet emits". The suite-wide hook checks
 * whatever the tests happen to fetch; this test makes sure that is every type the CapabilityStatement declares,
 * fetched from the demo data the way a client would, in JSON and in XML.
 */
describe.each(testDialects)('every resource type Carnet emits is valid R4 (%s)', (dialect) => {
  let carnet: TestCarnet;
  let marie: InsuredPerson;
  let doctor: string;
  let patient: string;
  const seen = new Map<string, number>();

  const get = async (token: string | undefined, path: string, format = 'json'): Promise<Resource> => {
    const separator = path.includes('?') ? '&' : '?';
    const response = await fetch(`${carnet.url}/fhir/${path}${separator}_format=${format}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    expect(response.status, path).toBe(200);
    if (format === 'xml') {
      expect(response.headers.get('content-type'), path).toMatch(/^application\/fhir\+xml/);
      return { resourceType: 'Bundle' } as Resource;
    }
    const resource = (await response.json()) as Resource;
    expect(validateAnswer(resource, { roundTrip: true }).errors, path).toEqual([]);
    for (const each of resourcesIn(resource))
      seen.set(each.resourceType, (seen.get(each.resourceType) ?? 0) + 1);
    return resource;
  };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    await seedDemoContent(carnet.ctx);
    // Marie Morel: the demo patient with a medical profile, reimbursed care and appointments.
    marie = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!;
    doctor = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
    patient = await issuePatientAccessToken(carnet.ctx, marie.id);
    // One ITI-65 submission, so that the record has a submission set (List) of its own.
    const response = await fetch(`${carnet.url}/fhir`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctor}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(
        provideBundle(insConditional(NIR_OID, marie.ins), [
          { bytes: await makePdf('Compte rendu'), contentType: 'application/pdf', typeCode: '11488-4' },
        ]),
      ),
    });
    expect(response.status).toBe(200);
    // What the demo content lacks: a hospitalisation (Encounter), a message (Communication), an appointment.
    const asMarie = { kind: 'patient', patientId: marie.id, ins: marie.ins, actsFor: [marie.id] } as const;
    await addProfileEntry(carnet.ctx, asMarie, marie.id, 'hospitalisations', {
      reason: 'Cholécystectomie',
      startDate: '2019-05-02',
      endDate: '2019-05-05',
    });
    const martin = 'dr.martin@cabinet.mssante.fr';
    const raw = await new MailComposer({
      from: `Dr Claire Martin <${martin}>`,
      to: `${marie.ins}@patient.mssante.fr`,
      subject: 'Résultats de votre bilan',
      text: 'Bonjour,\nvos résultats sont normaux.',
    })
      .compile()
      .build();
    await receiveInbound(carnet.ctx, {
      envelopeFrom: martin,
      recipients: [`${marie.ins}@patient.mssante.fr`],
      raw,
    });
    const appointment = await fetch(`${carnet.url}/fhir/Appointment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctor}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Appointment',
        status: 'booked',
        description: 'Consultation de suivi',
        start: new Date(carnet.ctx.clock.now().getTime() + 7 * 86_400_000).toISOString(),
        participant: [{ actor: { reference: `Patient/${marie.id}` }, status: 'accepted' }],
      }),
    });
    expect(appointment.status).toBe(201);
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('answers each declared type, in JSON and XML, with zero validator errors', async () => {
    const statement = (await get(undefined, 'metadata')) as CapabilityStatement;
    const declared = statement.rest![0]!.resource!.map((r) => r.type);
    const ins = `urn:oid:${NIR_OID}|${marie.ins}`;
    const references = (await get(
      doctor,
      `DocumentReference?patient.identifier=${encodeURIComponent(ins)}`,
    )) as Bundle;
    const firstDocument = references.entry!.find((e) => e.resource?.resourceType === 'DocumentReference')!
      .resource!.id!;
    const practitioners = await carnet.ctx.db.selectFrom('professionals').select('id').limit(1).execute();

    const reads: Record<string, [token: string | undefined, path: string]> = {
      Patient: [doctor, `Patient?identifier=${encodeURIComponent(ins)}`],
      Practitioner: [doctor, `Practitioner/${practitioners[0]!.id}`],
      List: [doctor, `List?patient.identifier=${encodeURIComponent(ins)}&code=submissionset`],
      Binary: [doctor, `Binary/${firstDocument}`],
      AuditEvent: [patient, `AuditEvent?patient=Patient/${marie.id}`],
      Communication: [patient, `Communication?patient=Patient/${marie.id}`],
    };
    for (const type of declared) {
      if (type === 'DocumentReference' || type === 'Consent') continue;
      const [token, path] = reads[type] ?? [patient, `${type}?patient=Patient/${marie.id}`];
      await get(token, path);
      await get(token, path, 'xml');
    }
    // Consent is only created: the answer to a professional's declaration.
    const consent = await fetch(`${carnet.url}/fhir/Consent`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doctor}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Consent',
        status: 'active',
        patient: { reference: `Patient/${marie.id}` },
      }),
    });
    expect(consent.status).toBe(201);
    const created = (await consent.json()) as Resource;
    expect(validateAnswer(created).errors).toEqual([]);
    seen.set(created.resourceType, 1);

    // Every declared type came back at least once (an empty Bundle would prove nothing), and so did the others
    // Carnet writes: Bundle, OperationOutcome (the matrix's count), and those a DocumentReference contains.
    const missing = declared.filter((type) => !seen.has(type));
    expect(missing, JSON.stringify([...seen])).toEqual([]);
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['Bundle', 'CapabilityStatement']));
  });
});
