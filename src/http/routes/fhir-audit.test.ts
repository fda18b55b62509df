import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type FhirResource } from 'fhir-kit-client';
import type { AuditEvent, Bundle, DocumentReference } from '@medplum/fhirtypes';
import { verifyAuditChains } from '../../audit/index.ts';
import { issuePatientAccessToken } from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import {
  documentReferenceOf,
  insConditional,
  provideBundle,
  type TestDocument,
} from '../../fhir/mhd-test-bundles.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const NIR_OID = '1.2.250.1.213.1.4.8';
const MHD = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/';
const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const as = <T>(resource: FhirResource) => resource as unknown as T;

describe.each(testDialects)('AuditEvents per IHE MHD / BALP through the FHIR API on %s', (dialect) => {
  let carnet: TestCarnet;
  let jean: InsuredPerson;
  let martin: Client;
  let patient: Client;
  let events: AuditEvent[];
  const ids: Record<'deposited' | 'published' | 'replacement', string> = {} as never;
  const submissionSet = `urn:oid:1.2.250.1.999.77.${Date.now()}`;
  const pdf = async (extra: Partial<TestDocument> = {}): Promise<TestDocument> => ({
    bytes: await makePdf('Compte rendu'),
    contentType: 'application/pdf',
    typeCode: '11488-4',
    ...extra,
  });
  const clientFor = (token: string) => {
    const client = new Client({ baseUrl: `${carnet.url}/fhir` });
    client.bearerToken = token;
    return client;
  };
  /** The one event of this run for a transaction code (subtype), or the PATCH pattern. */
  const eventOf = (code: string, action?: string) => {
    const matching = events.filter(
      (e) =>
        e.subtype?.some((s) => s.code === code) && (!action || e.subtype?.some((s) => s.code === action)),
    );
    expect(matching, code).toHaveLength(1);
    return matching[0]!;
  };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    const martinToken = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
    martin = clientFor(martinToken);
    patient = clientFor(await issuePatientAccessToken(carnet.ctx, jean.id));
    const subject = insConditional(NIR_OID, jean.ins);

    // ITI-65, with the submission set's own uniqueId.
    const bundle = provideBundle(subject, [await pdf()]);
    const list = bundle.entry![0]!.resource as { identifier: { value: string }[] };
    list.identifier[0]!.value = submissionSet;
    const provided = as<Bundle>(await martin.transaction({ body: bundle as unknown as FhirResource }));
    ids.deposited = provided.entry![1]!.response!.location!.split('/')[1]!;
    // ITI-67, naming the patient by INS and a type.
    await martin.search({
      resourceType: 'DocumentReference',
      searchParams: { 'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`, type: '11488-4' },
    });
    // ITI-66, the submission sets of the patient.
    await martin.search({
      resourceType: 'List',
      searchParams: { 'patient.identifier': `urn:oid:${NIR_OID}|${jean.ins}`, code: 'submissionset' },
    });
    // ITI-68.
    const bytes = await fetch(`${carnet.url}/fhir/Binary/${ids.deposited}`, {
      headers: { authorization: `Bearer ${martinToken}` },
    });
    expect(bytes.status).toBe(200);
    // ITI-105.
    const doc = await pdf({ typeCode: '11490-0' });
    const published = as<DocumentReference>(
      await martin.create({
        resourceType: 'DocumentReference',
        body: documentReferenceOf(subject, doc, {
          data: Buffer.from(doc.bytes).toString('base64'),
        }) as unknown as FhirResource,
      }),
    );
    ids.published = published.id!;
    // A replacement through ITI-65.
    const replacing = as<Bundle>(
      await martin.transaction({
        body: provideBundle(subject, [await pdf({ replaces: ids.deposited })]) as unknown as FhirResource,
      }),
    );
    ids.replacement = replacing.entry![1]!.response!.location!.split('/')[1]!;
    // PATCH: the patient masks the published document from professionals.
    await patient.patch({
      resourceType: 'DocumentReference',
      id: ids.published,
      jsonPatch: [
        { op: 'add', path: '/securityLabel/-', value: { coding: [{ code: 'MASQUE_PS' }] } },
      ] as never,
    });
    const history = as<Bundle<AuditEvent>>(
      await patient.search({
        resourceType: 'AuditEvent',
        searchParams: { patient: `Patient/${jean.id}`, _count: 50 },
      }),
    );
    events = history.entry!.map((e) => e.resource!);
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  /** Client (with the network address the server saw), server (its FHIR base), then the user. */
  const expectAgents = (event: AuditEvent, userType: string) => {
    const [client, server, user] = event.agent;
    expect(client).toMatchObject({
      type: { coding: [{ system: DCM, code: '110153' }] },
      network: { address: expect.stringMatching(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/), type: '2' },
    });
    expect(server).toMatchObject({
      type: { coding: [{ system: DCM, code: '110152' }] },
      network: { address: `${carnet.config.baseUrl}/fhir`, type: '5' },
    });
    expect(user!.type?.coding?.[0]?.code).toBe(userType);
    expect(user!.requestor).toBe(true);
  };
  const patientEntity = () => ({ what: { reference: `Patient/${jean.id}` }, role: { code: '1' } });

  it('ITI-65: an Import at the recipient, naming the submission set and the professional who deposited', () => {
    const event = eventOf('ITI-65', 'deposit');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.ProvideBundle.Audit.Recipient`]);
    expect(event).toMatchObject({ type: { system: DCM, code: '110107' }, action: 'C', outcome: '0' });
    expectAgents(event, 'AUT');
    expect(event.agent[2]!.who).toMatchObject({
      identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001000115' },
    });
    expect(event.agent[0]!.who).toMatchObject({ identifier: { value: 'carnet-portal' } });
    expect(event.entity).toHaveLength(2);
    expect(event.entity![0]).toMatchObject(patientEntity());
    expect(event.entity![1]).toMatchObject({
      what: { identifier: { value: submissionSet } },
      role: { code: '20' },
    });
    expect(event.entity![1]!.detail).toContainEqual({
      type: 'DocumentReference',
      valueString: `DocumentReference/${ids.deposited}`,
    });
  });

  it('ITI-65 replacing a document: the same pattern, Carnet’s action says replace', () => {
    const event = eventOf('ITI-65', 'replace');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.ProvideBundle.Audit.Recipient`]);
    expect(event.entity![1]!.detail).toContainEqual({ type: 'replaces', valueString: ids.deposited });
  });

  it('ITI-67: a Query with the query as sent, base64, which the database holds only sealed', async () => {
    const event = eventOf('ITI-67');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.FindDocumentReferences.Audit.Responder`]);
    expect(event).toMatchObject({ type: { system: DCM, code: '110112' }, action: 'E' });
    expectAgents(event, 'IRCP');
    expect(event.entity![0]).toMatchObject(patientEntity());
    const query = Buffer.from(event.entity![1]!.query!, 'base64').toString();
    expect(query).toMatch(/^DocumentReference\?/);
    expect(new URLSearchParams(query.split('?')[1]).get('patient.identifier')).toBe(
      `urn:oid:${NIR_OID}|${jean.ins}`,
    );
    const rows = await carnet.ctx.db
      .selectFrom('audit_events')
      .select('detail')
      .where('patient_id', '=', jean.id)
      .execute();
    expect(rows.map((r) => r.detail).join('\n')).not.toContain(jean.ins);
    // The channel rides inside the hashed detail: every chain still verifies.
    expect((await verifyAuditChains(carnet.ctx.db)).problems).toEqual([]);
  });

  it('ITI-66: a Query of the submission sets, with the query as sent', () => {
    const event = eventOf('ITI-66');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.FindDocumentLists.Audit.Responder`]);
    expect(event).toMatchObject({ type: { system: DCM, code: '110112' }, action: 'E' });
    expectAgents(event, 'IRCP');
    expect(event.entity![0]).toMatchObject(patientEntity());
    const query = Buffer.from(event.entity![1]!.query!, 'base64').toString();
    expect(query).toMatch(/^List\?/);
    expect(new URLSearchParams(query.split('?')[1]).get('code')).toBe('submissionset');
  });

  it('ITI-68: an Export of the Binary', () => {
    const event = eventOf('ITI-68');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.RetrieveDocument.Audit.Responder`]);
    expect(event).toMatchObject({ type: { system: DCM, code: '110106' }, action: 'R' });
    expectAgents(event, 'IRCP');
    expect(event.entity![1]).toMatchObject({ what: { reference: `Binary/${ids.deposited}` } });
  });

  it('ITI-105: a RESTful create of the DocumentReference', () => {
    const event = eventOf('ITI-105');
    expect(event.meta?.profile).toEqual([`${MHD}IHE.MHD.SimplifiedPublish.Audit.Recipient`]);
    expect(event).toMatchObject({ type: { code: 'rest' }, action: 'C' });
    expect(event.subtype?.[0]).toMatchObject({ code: 'create' });
    expect(event.entity![1]).toMatchObject({ what: { reference: `DocumentReference/${ids.published}` } });
  });

  it('PATCH: BALP’s patient update, by the patient, and the read before it is no PATCH', () => {
    const event = eventOf('patch', 'mask');
    expect(event.meta?.profile).toEqual([`${BALP}IHE.BasicAudit.PatientUpdate`]);
    expect(event).toMatchObject({ type: { code: 'rest' }, action: 'U' });
    expectAgents(event, 'AUT');
    expect(event.agent[2]!.who).toEqual({ reference: `Patient/${jean.id}` });
    expect(event.entity![1]).toMatchObject({
      what: { reference: `DocumentReference/${ids.published}` },
      detail: [{ type: 'flag', valueString: 'MASQUE_PS' }],
    });
    const read = events.find(
      (e) =>
        e.subtype?.some((s) => s.code === 'read') &&
        e.entity?.some((x) => x.what?.reference === `DocumentReference/${ids.published}`),
    );
    expect(read?.meta).toBeUndefined();
    expect(read?.type.code).toBe('110110');
    expect(read?.agent.map((a) => a.type?.coding?.[0]?.code)).toEqual([undefined, '110153', '110152']);
  });
});
