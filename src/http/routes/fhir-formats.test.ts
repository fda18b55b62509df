import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, CapabilityStatement, DocumentReference, OperationOutcome } from '@medplum/fhirtypes';
import { seedDemo } from '../../demo/index.ts';
import { fromFhirXml, toFhirXml } from '../../fhir/index.ts';
import { documentReferenceOf, insConditional, provideBundle } from '../../fhir/mhd-test-bundles.ts';
import type { Ins } from '../../identity/index.ts';
import { issuePatientAccessToken } from '../../auth/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { registeredRoutes } from '../app.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const NIR_OID = '1.2.250.1.213.1.4.8';
const FHIR_XML = 'application/fhir+xml';
const FHIR_JSON = 'application/fhir+json';

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly text: string;
}

/** Ids and instants that legitimately differ between two deposits, replaced by placeholders. */
function stable(value: unknown, ids: readonly string[]): unknown {
  const today = new Date().toISOString().slice(0, 10);
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => {
    if (typeof item !== 'string') return item;
    let text = item;
    ids.forEach((id, index) => (text = text.split(id).join(`<id${index}>`)));
    return text.startsWith(today) ? '<now>' : text;
  });
}

describe.each(testDialects)('FHIR JSON and XML on %s', (dialect) => {
  let carnet: TestCarnet;
  let token: string;
  let jean: InsuredPerson;

  const call = async (
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> => {
    const response = await fetch(`${carnet.url}/fhir${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(body !== undefined ? { body } : {}),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };
  const json = (answer: Answer) => JSON.parse(answer.text) as Record<string, unknown>;
  const xml = (answer: Answer) => fromFhirXml(answer.text);
  const subject = () => insConditional(NIR_OID, jean.ins);
  const pdf = (title: string) => ({
    bytes: Buffer.from(`%PDF-1.4\n% ${title}\n%%EOF\n`),
    contentType: 'application/pdf',
    typeCode: '11488-4',
    title,
  });

  /** The same GET in both formats: XML read back is the JSON answer, and each says its media type. */
  async function sameInBothFormats(path: string): Promise<Record<string, unknown>> {
    const asJson = await call('GET', path, { accept: FHIR_JSON });
    const byAccept = await call('GET', path, { accept: FHIR_XML });
    const byFormat = await call('GET', `${path}${path.includes('?') ? '&' : '?'}_format=xml`);
    expect(asJson.type).toBe('application/fhir+json; charset=utf-8');
    for (const answer of [byAccept, byFormat]) {
      expect(answer.status).toBe(asJson.status);
      expect(answer.type).toBe('application/fhir+xml; charset=utf-8');
      expect(answer.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?><\w+ xmlns="http:\/\/hl7.org\/fhir">/,
      );
      expect(xml(answer)).toEqual(json(asJson));
    }
    return json(asJson);
  }

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    token = await issueDevAccessToken(carnet.ctx, { rpps: '10001000115' });
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('answers the CapabilityStatement, a Patient, a search Bundle and an OperationOutcome in XML as in JSON', async () => {
    expect((await sameInBothFormats('/metadata')).format).toEqual(['json', 'xml']);
    expect((await sameInBothFormats(`/Patient/${jean.id}`)).resourceType).toBe('Patient');
    await call(
      'POST',
      '',
      { 'content-type': FHIR_JSON },
      JSON.stringify(provideBundle(subject(), [pdf('Bilan')])),
    );
    const search = await sameInBothFormats(
      `/DocumentReference?patient.identifier=${encodeURIComponent(`urn:oid:${NIR_OID}|${jean.ins}`)}`,
    );
    expect((search as unknown as Bundle).entry?.length).toBeGreaterThan(0);
    const missing = await sameInBothFormats('/Patient/00000000-0000-7000-8000-000000000000');
    expect(missing.resourceType).toBe('OperationOutcome');
  });

  it('takes an ITI-65 transaction in XML, answers it in XML, and deposits the same as in JSON', async () => {
    const asJson = await call(
      'POST',
      '',
      { 'content-type': FHIR_JSON, accept: FHIR_JSON },
      JSON.stringify(provideBundle(subject(), [pdf('Compte rendu')])),
    );
    const asXml = await call(
      'POST',
      '',
      { 'content-type': FHIR_XML, accept: FHIR_XML },
      toFhirXml(provideBundle(subject(), [pdf('Compte rendu')])),
    );
    expect(asJson.status).toBe(200);
    expect(asXml.status).toBe(200);
    expect(asXml.type).toBe('application/fhir+xml; charset=utf-8');
    const [fromJson, fromXml] = [json(asJson), xml(asXml)] as unknown as Bundle[];
    const idsOf = (bundle: Bundle) =>
      (bundle.entry ?? []).map((entry) => entry.response?.location?.split('/')[1] ?? '');
    expect(stable(fromXml, idsOf(fromXml!))).toEqual(stable(fromJson, idsOf(fromJson!)));

    const read = async (bundle: Bundle) => {
      const reference = json(
        await call('GET', `/DocumentReference/${idsOf(bundle)[1]}`),
      ) as unknown as DocumentReference;
      return stable({ ...reference, masterIdentifier: undefined }, idsOf(bundle));
    };
    expect(await read(fromXml!)).toEqual(await read(fromJson!));
  });

  it('takes ITI-105 and Consent bodies in XML', async () => {
    const reference = documentReferenceOf(subject(), pdf('Publication simplifiée'), {
      data: Buffer.from('%PDF-1.4\n% ITI-105\n%%EOF\n').toString('base64'),
    });
    const created = await call(
      'POST',
      '/DocumentReference',
      { 'content-type': FHIR_XML, accept: FHIR_XML },
      toFhirXml(reference),
    );
    expect(created.status).toBe(201);
    expect(xml(created)).toMatchObject({ resourceType: 'DocumentReference', status: 'current' });

    const consent = await call(
      'POST',
      '/Consent',
      { 'content-type': 'application/xml' },
      `<Consent xmlns="http://hl7.org/fhir"><status value="active"/><patient><reference value="Patient/${jean.id}"/></patient></Consent>`,
    );
    expect(consent.status).toBe(201);
    // No Accept: JSON, whatever the body's format.
    expect(json(consent)).toMatchObject({ resourceType: 'Consent', status: 'active' });
  });

  it('takes a patient’s measurement (Observation) in XML, its decimal kept', async () => {
    const patientToken = await issuePatientAccessToken(carnet.ctx, jean.id);
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
          ],
        },
      ],
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
      subject: { reference: `Patient/${jean.id}` },
      effectiveDateTime: '2025-01-15T08:00:00+01:00',
      valueQuantity: { value: 6.5, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
    };
    const created = await fetch(`${carnet.url}/fhir/Observation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${patientToken}`, 'content-type': FHIR_XML, accept: FHIR_XML },
      body: toFhirXml(observation),
    });
    const answer = fromFhirXml(await created.text());
    expect(created.status, JSON.stringify(answer)).toBe(201);
    expect(answer).toMatchObject({ resourceType: 'Observation', valueQuantity: { value: 6.5 } });
  });

  it('answers an ITI-68 Binary resource in the FHIR format named, and the bytes otherwise', async () => {
    const deposit = json(
      await call(
        'POST',
        '',
        { 'content-type': FHIR_JSON },
        JSON.stringify(provideBundle(subject(), [pdf('Octets')])),
      ),
    ) as unknown as Bundle;
    const binaryId = deposit.entry?.[2]?.response?.location?.split('/')[1] ?? '';
    const bytes = await call('GET', `/Binary/${binaryId}`, { accept: '*/*' });
    expect(bytes.type).toBe('application/pdf');
    expect(bytes.text).toContain('% Octets');
    const resource = await call('GET', `/Binary/${binaryId}`, { accept: FHIR_XML });
    expect(resource.type).toBe('application/fhir+xml; charset=utf-8');
    expect(Buffer.from(String(xml(resource).data), 'base64').toString()).toContain('% Octets');
  });

  it('refuses other body types (415), unreadable XML (400) and formats it does not speak (406), as OperationOutcomes', async () => {
    const plain = await call('POST', '/Consent', { 'content-type': 'text/plain', accept: FHIR_XML }, 'oui');
    expect(plain.status).toBe(415);
    expect((xml(plain) as unknown as OperationOutcome).issue[0]?.code).toBe('not-supported');

    for (const body of [
      '<Consent><status value="active"/></Consent>',
      '<Consent xmlns="http://hl7.org/fhir"><statut value="active"/></Consent>',
      'pas du XML',
    ]) {
      const bad = await call('POST', '/Consent', { 'content-type': FHIR_XML }, body);
      expect(bad.status).toBe(400);
      expect((json(bad) as unknown as OperationOutcome).issue[0]?.details?.coding?.[0]?.code).toBe(
        'xml-invalid',
      );
    }

    const nested = `<Consent xmlns="http://hl7.org/fhir">${'<extension url="a">'.repeat(200)}${'</extension>'.repeat(200)}</Consent>`;
    const deep = await call('POST', '/Consent', { 'content-type': FHIR_XML }, nested);
    expect(deep.status).toBe(400);
    expect((json(deep) as unknown as OperationOutcome).issue[0]?.details?.coding?.[0]?.code).toBe(
      'body-too-deep',
    );
    // A `>` inside an attribute value is text, not the end of a tag.
    const gt = await call(
      'POST',
      '/Consent',
      { 'content-type': FHIR_XML },
      `<Consent xmlns="http://hl7.org/fhir"><status value="active"/><patient><reference value="Patient/${jean.id}"/><display value="a > b"/></patient></Consent>`,
    );
    expect(gt.status).toBe(201);

    const html = await call('GET', `/Patient/${jean.id}`, { accept: 'text/html' });
    expect(html.status).toBe(406);
    expect(html.type).toBe('application/fhir+json; charset=utf-8');
    expect((json(html) as unknown as OperationOutcome).issue[0]?.code).toBe('not-supported');
    expect((await call('GET', `/Patient/${jean.id}?_format=turtle`)).status).toBe(406);
  });
});

describe('the CapabilityStatement', () => {
  let carnet: TestCarnet;
  beforeAll(async () => {
    carnet = await startTestCarnet('sqlite');
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('declares exactly the interactions the FHIR routes serve', async () => {
    const statement = (await (await fetch(`${carnet.url}/fhir/metadata`)).json()) as CapabilityStatement;
    const rest = statement.rest?.[0];
    const declared = new Set<string>([
      ...(rest?.interaction ?? []).map((i) => `${i.code}`),
      ...(rest?.resource ?? []).flatMap((r) => (r.interaction ?? []).map((i) => `${r.type} ${i.code}`)),
    ]);
    const served = new Set<string>();
    for (const { method, url } of registeredRoutes(carnet.app)) {
      const match = /^\/fhir\/?(?:([A-Z][A-Za-z]+)(\/:id|\/_search)?)?$/.exec(url);
      if (!match || method === 'HEAD') continue;
      const [, type, suffix] = match;
      if (!type) {
        if (method === 'POST') served.add('transaction');
        continue;
      }
      const interaction =
        suffix === '/_search' || (method === 'GET' && !suffix)
          ? 'search-type'
          : ({ GET: 'read', PUT: 'update', PATCH: 'patch', POST: 'create', DELETE: 'delete' } as const)[
              method as 'GET'
            ];
      // A conditional PATCH (`PATCH DocumentReference?identifier=`) is the patch interaction too.
      served.add(`${type} ${interaction}`);
    }
    served.delete('metadata read');
    expect([...served].sort()).toEqual([...declared].sort());
  });
});
