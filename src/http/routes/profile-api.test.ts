import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  DocumentReference,
  Immunization,
  MedicationStatement,
  Observation,
  OperationOutcome,
} from '@medplum/fhirtypes';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  issuePatientAccessToken,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemoProfiles, seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const RPPS = { doctor: '10001000115', dentist: '10001000511' } as const;
const NIR_OID = '1.2.250.1.213.1.4.8';

async function fhirFailure(request: () => Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request();
  } catch (error) {
    const { response } = error as { response: { status: number; data: OperationOutcome } };
    return { status: response.status, code: response.data.issue?.[0]?.details?.coding?.[0]?.code ?? '' };
  }
  throw new Error('expected the request to fail');
}

describe.each(testDialects)('medical profile over HTTP and FHIR on %s', (dialect) => {
  let carnet: TestCarnet;
  let marie: InsuredPerson;
  let emilie: InsuredPerson;
  let chloe: InsuredPerson;
  const cookies = { marie: '', emilie: '', doctor: '', dentist: '' };
  const fhir = {} as Record<'doctor' | 'dentist' | 'marie', Client>;
  const tokens = { doctor: '', dentist: '' };

  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  const call = (method: Method, url: string, cookie: string, payload?: object) =>
    carnet.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const code = (response: { json(): unknown }) => (response.json() as { error: { code: string } }).error.code;
  const profileUrl = (person: InsuredPerson, rest = '') => `/api/patient/record/${person.id}/profile${rest}`;
  const clientFor = (token: string) => {
    const client = new Client({ baseUrl: `${carnet.url}/fhir` });
    client.bearerToken = token;
    return client;
  };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    await seedDemoProfiles(carnet.ctx);
    const byIns = async (ins: string) => (await findInsuredByIns(carnet.ctx.db, ins as Ins))!;
    marie = await byIns('271096912304585');
    emilie = await byIns('290063306307802');
    chloe = await byIns('215027511520318');
    const now = carnet.ctx.clock.now();
    cookies.marie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, marie.id, now)).token}`;
    cookies.emilie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, emilie.id, now)).token}`;
    for (const who of ['doctor', 'dentist'] as const) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${RPPS[who]}`);
      const token = await createProfessionalSession(carnet.ctx, professional!);
      cookies[who] = `${PRO_SESSION_COOKIE}=${token}`;
      tokens[who] = await issueDevAccessToken(carnet.ctx, { rpps: RPPS[who] });
      fhir[who] = clientFor(tokens[who]);
    }
    fhir.marie = clientFor(await issuePatientAccessToken(carnet.ctx, marie.id));
  }, 60_000);
  afterAll(() => carnet?.stop());

  it('lets the patient add, correct, delete and mask entries through the JSON API', async () => {
    const view = await call('GET', profileUrl(marie), cookies.marie);
    expect(view.statusCode).toBe(200);
    const body = view.json() as { entries: { section: string; summary: string }[]; catalogue: object };
    expect(body.entries.some((e) => e.summary.startsWith('Hémoglobine glyquée (HbA1c) : 6,7 %'))).toBe(true);
    expect(body.catalogue).toHaveProperty('measurementKinds');

    const added = await call('POST', profileUrl(marie, '/sections/allergies'), cookies.marie, {
      substance: 'Arachide',
      category: 'food',
      severity: 'severe',
    });
    expect(added.statusCode).toBe(201);
    const id = (added.json() as { id: string }).id;
    const bad = await call('PUT', profileUrl(marie, `/entries/${id}`), cookies.marie, { substance: '' });
    expect([bad.statusCode, code(bad)]).toEqual([400, 'profile-invalid']);
    expect((bad.json() as { error: { message: string } }).error.message).toMatch(/obligatoire/);
    const fixed = await call('PUT', profileUrl(marie, `/entries/${id}`), cookies.marie, {
      substance: 'Arachide et fruits à coque',
      category: 'food',
    });
    expect(fixed.json()).toMatchObject({ data: { substance: 'Arachide et fruits à coque' } });
    expect((await call('DELETE', profileUrl(marie, `/entries/${id}`), cookies.marie)).statusCode).toBe(204);

    // A treatment picked from the list keeps its ATC code; an unknown code is refused in French; free text stays.
    const picked = await call('POST', profileUrl(marie, '/sections/treatments'), cookies.marie, {
      medication: 'Lévothyroxine 75 µg',
      atc: { code: 'H03AA01', display: 'Lévothyroxine' },
    });
    expect(picked.statusCode).toBe(201);
    expect(picked.json()).toMatchObject({ data: { atc: { code: 'H03AA01', display: 'Lévothyroxine' } } });
    const unknownCode = await call('POST', profileUrl(marie, '/sections/conditions'), cookies.marie, {
      label: 'Diabète',
      cim10: { code: 'E99.9', display: 'Diabète' },
    });
    expect([unknownCode.statusCode, code(unknownCode)]).toEqual([400, 'profile-invalid']);
    expect((unknownCode.json() as { error: { message: string } }).error.message).toBe(
      'Code CIM-10 : ce code n’est pas un code CIM-10 reconnu.',
    );
    const free = await call('POST', profileUrl(marie, '/sections/treatments'), cookies.marie, {
      medication: 'Tisane de thym',
    });
    expect((free.json() as { data: object }).data).toEqual({ medication: 'Tisane de thym' });
    for (const added of [picked, free]) {
      const entryId = (added.json() as { id: string }).id;
      expect((await call('DELETE', profileUrl(marie, `/entries/${entryId}`), cookies.marie)).statusCode).toBe(
        204,
      );
    }

    const foreign = await call('GET', profileUrl(marie), cookies.emilie);
    expect([foreign.statusCode, code(foreign)]).toEqual([403, 'not-own-record']);
    const unknown = await call('PUT', profileUrl(marie, '/masks/nope'), cookies.marie, { masked: true });
    expect(unknown.statusCode).toBe(400);
  });

  it('serves Immunization, AllergyIntolerance and MedicationStatement to a doctor’s FHIR client', async () => {
    const before = await fhirFailure(() =>
      fhir.doctor.search({ resourceType: 'Immunization', searchParams: { patient: marie.id } }),
    );
    expect(before).toEqual({ status: 403, code: 'consent-required' });
    expect((await call('POST', `/api/pro/patients/${marie.id}/consent`, cookies.doctor)).statusCode).toBe(
      204,
    );

    const immunizations = (await fhir.doctor.search({
      resourceType: 'Immunization',
      searchParams: { 'patient.identifier': `urn:oid:${NIR_OID}|${marie.ins}` },
    })) as unknown as Bundle<Immunization>;
    expect(immunizations.total).toBe(4);
    const flu = immunizations
      .entry!.map((e) => e.resource!)
      .find((r) => r.vaccineCode.text?.includes('Grippe'));
    expect(flu).toMatchObject({ status: 'completed', patient: { reference: `Patient/${marie.id}` } });
    expect(flu!.vaccineCode.coding).toContainEqual({ system: 'http://www.whocc.no/atc', code: 'J07BB' });

    const allergies = (await fhir.doctor.search({
      resourceType: 'AllergyIntolerance',
      searchParams: { patient: `Patient/${marie.id}` },
    })) as unknown as Bundle<AllergyIntolerance>;
    expect(allergies.entry!.map((e) => e.resource!.code?.text).sort()).toEqual([
      'Pollens de graminées',
      'Pénicilline',
    ]);
    const treatments = (await fhir.doctor.search({
      resourceType: 'MedicationStatement',
      searchParams: { patient: marie.id },
    })) as unknown as Bundle<MedicationStatement>;
    expect(treatments.entry!.map((e) => e.resource!.medicationCodeableConcept)).toContainEqual({
      coding: [{ system: 'http://www.whocc.no/atc', code: 'A10BA02', display: 'Metformine' }],
      text: 'Metformine 1000 mg',
    });
    expect(allergies.entry!.map((e) => e.resource!.code?.coding?.[0])).toEqual(
      expect.arrayContaining([
        { system: 'http://www.whocc.no/atc', code: 'J01C', display: 'Pénicilline' },
        { system: 'http://snomed.info/sct', code: '256277009', display: 'Pollens de graminées' },
      ]),
    );
    const conditions = (await fhir.doctor.search({
      resourceType: 'Condition',
      searchParams: { patient: marie.id },
    })) as unknown as Bundle<Condition>;
    const coded = conditions.entry!.map((e) => e.resource!.code!);
    expect(coded).toContainEqual({
      coding: [
        {
          system: 'https://smt.esante.gouv.fr/terminologie-cim-10',
          code: 'E11',
          display: 'Diabète de type 2',
        },
      ],
      text: 'Diabète de type 2',
    });
    // The appendectomy was typed, not picked: text only.
    expect(coded).toContainEqual({ text: 'Appendicectomie' });
    // A doctor's software finds a treatment or a disease by its code, in any coded part of the profile.
    const metformin = (await fhir.doctor.search({
      resourceType: 'MedicationStatement',
      searchParams: { patient: marie.id, code: 'http://www.whocc.no/atc|A10BA02' },
    })) as unknown as Bundle<MedicationStatement>;
    expect(metformin.entry!.map((e) => e.resource!.medicationCodeableConcept?.text)).toEqual([
      'Metformine 1000 mg',
    ]);
    const diabetes = (await fhir.doctor.search({
      resourceType: 'Condition',
      searchParams: { patient: marie.id, code: 'E11,I10' },
    })) as unknown as Bundle<Condition>;
    expect(diabetes.total).toBe(2);
    const none = (await fhir.doctor.search({
      resourceType: 'AllergyIntolerance',
      searchParams: { patient: marie.id, code: 'http://www.whocc.no/atc|N02BA01' },
    })) as unknown as Bundle;
    expect(none.total).toBe(0);
    expect(
      await fhirFailure(() =>
        fhir.doctor.search({ resourceType: 'RelatedPerson', searchParams: { patient: marie.id, code: 'x' } }),
      ),
    ).toEqual({ status: 400, code: 'search-parameter-unknown' });
    const one = (await fhir.doctor.read({
      resourceType: 'MedicationStatement',
      id: treatments.entry![0]!.resource!.id!,
    })) as unknown as MedicationStatement;
    expect(one.id).toBe(treatments.entry![0]!.resource!.id);

    const hba1c = (await fhir.doctor.search({
      resourceType: 'Observation',
      searchParams: { patient: marie.id, code: 'http://loinc.org|4548-4', _count: 50 },
    })) as unknown as Bundle<Observation>;
    expect(hba1c.total).toBe(9);
    expect(hba1c.entry![0]!.resource!.valueQuantity).toMatchObject({
      system: 'http://unitsofmeasure.org',
      code: '%',
    });
    const pressure = (await fhir.doctor.search({
      resourceType: 'Observation',
      searchParams: { patient: marie.id, code: '85354-9', category: 'vital-signs' },
    })) as unknown as Bundle<Observation>;
    expect(pressure.entry![0]!.resource!.component!.map((c) => c.code.coding![0]!.code)).toEqual([
      '8480-6',
      '8462-4',
    ]);
    const traces = await carnet.ctx.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('patient_id', '=', marie.id)
      .where('action', '=', 'profile-read')
      .where('actor_id', '=', `8${RPPS.doctor}`)
      .execute();
    expect(traces.length).toBeGreaterThanOrEqual(6);
  });

  it('lets the patient read their own resources with their token, not anyone else’s', async () => {
    const own = (await fhir.marie.search({ resourceType: 'AllergyIntolerance' })) as unknown as Bundle;
    expect(own.total).toBe(2);
    const other = await fhirFailure(() =>
      fhir.marie.search({ resourceType: 'AllergyIntolerance', searchParams: { patient: chloe.id } }),
    );
    expect(other.status).toBe(403);
  });

  it('refuses a masked section to all but the administrateur, and explains it in the portal', async () => {
    expect((await call('POST', `/api/pro/patients/${marie.id}/consent`, cookies.dentist)).statusCode).toBe(
      204,
    );
    const masked = await call('PUT', profileUrl(marie, '/masks/vaccinations'), cookies.marie, {
      masked: true,
    });
    expect(masked.json()).toEqual({ area: 'vaccinations', masked: true });
    for (const who of ['doctor', 'dentist'] as const) {
      expect(
        await fhirFailure(() =>
          fhir[who].search({ resourceType: 'Immunization', searchParams: { patient: marie.id } }),
        ),
      ).toEqual({ status: 403, code: 'masked' });
      const portal = await call('GET', `/api/pro/patients/${marie.id}/profile`, cookies[who]);
      expect(portal.json()).toMatchObject({
        refused: [{ section: 'vaccinations', reason: 'masked', message: expect.stringContaining('masqué') }],
      });
    }
    await call(
      'POST',
      `/api/patient/record/${marie.id}/professionals/8${RPPS.doctor}/administrator`,
      cookies.marie,
    );
    const admin = (await fhir.doctor.search({
      resourceType: 'Immunization',
      searchParams: { patient: marie.id },
    })) as unknown as Bundle;
    expect(admin.total).toBe(4);
    expect(
      await fhirFailure(() =>
        fhir.dentist.search({ resourceType: 'Immunization', searchParams: { patient: marie.id } }),
      ),
    ).toEqual({ status: 403, code: 'masked' });
    await call('PUT', profileUrl(marie, '/masks/vaccinations'), cookies.marie, { masked: false });
  });

  it('turns the directives form into an EXPPAT_3 PDF a doctor retrieves and a dentist never sees', async () => {
    const deposited = await call('POST', profileUrl(marie, '/directives'), cookies.marie, {
      lifeSupport: 'Je ne veux pas de réanimation prolongée sans espoir d’amélioration.',
      painRelief: 'Je souhaite être soulagée, même si cela abrège ma vie.',
      place: 'Lyon',
    });
    expect(deposited.statusCode).toBe(201);
    const doc = deposited.json() as { id: string; typeCode: string; contentUrl: string };
    expect(doc.typeCode).toBe('EXPPAT_3');
    const pdf = await call(
      'GET',
      `/api/patient/record/${marie.id}/documents/${doc.id}/content`,
      cookies.marie,
    );
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const listed = await call('GET', profileUrl(marie, '/directives'), cookies.marie);
    expect((listed.json() as { documents: unknown[] }).documents).toHaveLength(1);

    const search = (client: Client) =>
      client.search({
        resourceType: 'DocumentReference',
        searchParams: { patient: marie.id, type: 'urn:oid:1.2.250.1.213.1.1.4.12|EXPPAT_3' },
      }) as unknown as Promise<Bundle<DocumentReference>>;
    const forDoctor = await search(fhir.doctor);
    expect(forDoctor.total).toBe(1);
    const binary = forDoctor.entry![0]!.resource!.content[0]!.attachment.url!;
    const retrieved = await fetch(binary, {
      headers: { authorization: `Bearer ${tokens.doctor}` },
    });
    expect(retrieved.status).toBe(200);
    expect((await search(fhir.dentist)).total).toBe(0);
    const dentistRetrieve = await fetch(binary, {
      headers: { authorization: `Bearer ${tokens.dentist}` },
    });
    expect([403, 404]).toContain(dentistRetrieve.status);
    const portal = await call('GET', `/api/pro/patients/${marie.id}/profile`, cookies.dentist);
    expect((portal.json() as { directives: unknown[] }).directives).toEqual([]);
  });

  it('refuses directives for a minor, by form or upload', async () => {
    const form = await call('POST', profileUrl(chloe, '/directives'), cookies.emilie, {
      lifeSupport: 'Non.',
      place: 'Bordeaux',
    });
    expect([form.statusCode, code(form)]).toEqual([403, 'minor-directives']);
    const boundary = '----profile-test';
    const upload = await carnet.app.inject({
      method: 'POST',
      url: profileUrl(chloe, '/directives/upload'),
      headers: { cookie: cookies.emilie, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\r\n--${boundary}--\r\n`,
      ),
    });
    expect([upload.statusCode, code(upload)]).toEqual([403, 'minor-directives']);
  });
});
