import type { Bundle, Composition, MedicationStatement, OperationOutcome } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientPrincipal } from '../../access/index.ts';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  issuePatientAccessToken,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemo, seedDemoContent } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { depositAdvanceDirectives, setAreaMasked } from '../../medical-profile/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { ansCdaCheck, schematronsFor } from '../../shared/testing/ans-cda-check.ts';
import { testDialects } from '../../storage/test-databases.ts';

const DOCTOR = '10001000115';
const DENTIST = '10001000511';
const PHYSIO = '10001000610';

describe.each(testDialects)('IPS-FR patient summary on %s', (dialect) => {
  let carnet: TestCarnet;
  let marie: InsuredPerson;
  let dominique: InsuredPerson;
  let patientCookie: string;
  const cookies: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    await seedDemoContent(carnet.ctx);
    marie = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!;
    dominique = (await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins))!;
    const now = carnet.ctx.clock.now();
    patientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, marie.id, now)).token}`;
    for (const rpps of [DOCTOR, DENTIST, PHYSIO]) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${rpps}`);
      cookies[rpps] = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, professional!)}`;
      tokens[rpps] = await issueDevAccessToken(carnet.ctx, { rpps });
    }
    const asMarie: PatientPrincipal = {
      kind: 'patient',
      patientId: marie.id,
      ins: marie.ins,
      actsFor: [marie.id],
    };
    await depositAdvanceDirectives(carnet.ctx, asMarie, marie.id, {
      form: { lifeSupport: 'Pas d’acharnement thérapeutique.', place: 'Lyon' },
    });
    // Dr Martin writes a VSM: its problems and therapeutic project join the profile in the summary.
    const vsm = await carnet.app.inject({
      method: 'POST',
      url: `/api/pro/patients/${marie.id}/vsm`,
      headers: { cookie: cookies[DOCTOR]! },
      payload: {
        sections: {
          activeProblems: { items: ['Diabète de type 2', 'Rétinopathie diabétique débutante'], note: '' },
          therapeuticProject: { items: [], note: 'Fond d’œil annuel.' },
        },
      },
    });
    expect(vsm.statusCode).toBe(201);
    // The dentist sees Marie with her consent, and so does her doctor (writing her VSM gave him none); the
    // physiotherapist never asked.
    for (const who of [DENTIST, DOCTOR]) {
      const consent = await carnet.app.inject({
        method: 'POST',
        url: `/api/pro/patients/${marie.id}/consent`,
        headers: { cookie: cookies[who]! },
      });
      expect(consent.statusCode).toBe(204);
    }
  }, 120_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, headers: Record<string, string>) =>
    carnet.app.inject({ method: 'GET', url, headers });
  const summary = async (rpps: string) => {
    const response = await get(`/fhir/Patient/${marie.id}/$summary`, {
      authorization: `Bearer ${tokens[rpps]}`,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as Bundle;
  };
  const sectionText = (bundle: Bundle, code: string) =>
    (bundle.entry![0]!.resource as Composition).section!.find((s) => s.code!.coding![0]!.code === code)?.text
      ?.div ?? '';

  it('lets the patient download the summary as an IPS-FR CDA that passes the ANS schematrons', async () => {
    const response = await get(`/api/patient/record/${marie.id}/summary`, { cookie: patientCookie });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe('attachment; filename="synthese-patient-ips.xml"');
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    const xml = response.body;
    expect(xml).toMatch(/<code code="60591-5"/);
    expect(xml).toContain('Rétinopathie diabétique débutante'); // the VSM
    expect(xml).toContain('Hypertension artérielle'); // the profile
    expect(xml.match(/>Diabète de type 2</g)).toHaveLength(1); // said by both: the VSM's item only
    expect(xml).toContain('Fond d’œil annuel.');
    expect(xml).toMatch(/code="J07BB"[^>]*codeSystem="2\.16\.840\.1\.113883\.6\.73"/); // her flu shots
    expect(xml).toContain('Directives anticipées');
    const schematrons = [...schematronsFor('CI-SIS_IPS-FR_2024.01'), 'profils/CI-SIS_ModelesDeContenusCDA'];
    expect(await ansCdaCheck({ xml }, schematrons)).toEqual({ xml: [] });

    const other = await get(`/api/patient/record/${dominique.id}/summary`, { cookie: patientCookie });
    expect([other.statusCode, other.json().error.code]).toEqual([403, 'not-own-record']);
    expect((await get(`/api/patient/record/${marie.id}/summary`, {})).statusCode).toBe(401);
  }, 120_000);

  it('answers Patient/$summary with an IPS document Bundle (JSON and XML)', async () => {
    const bundle = await summary(DOCTOR);
    expect(bundle.type).toBe('document');
    const composition = bundle.entry![0]!.resource as Composition;
    expect(composition.type.coding![0]!.code).toBe('60591-5');
    expect(composition.section!.map((s) => s.code!.coding![0]!.code)).toEqual(
      expect.arrayContaining(['11450-4', '48765-2', '10160-0', '11369-6', '8716-3', '42348-3']),
    );
    const metformin = bundle.entry!.find(
      (e) =>
        e.resource?.resourceType === 'MedicationStatement' &&
        (e.resource as MedicationStatement).medicationCodeableConcept?.text === 'Metformine 1000 mg',
    )?.resource as MedicationStatement;
    expect(metformin.informationSource!.reference).toMatch(new RegExp(`/Patient/${marie.id}$`));
    expect(sectionText(bundle, '42348-3')).toContain('Directives anticipées');

    const xml = await get(`/fhir/Patient/${marie.id}/$summary?_format=xml`, {
      authorization: `Bearer ${tokens[DOCTOR]}`,
    });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toMatch(/^application\/fhir\+xml/);
    expect(xml.body).toContain('<Composition');

    // A patient's token (a connected client of their own) reads their own summary, no one else's.
    const own = await issuePatientAccessToken(carnet.ctx, marie.id);
    const mine = await get(`/fhir/Patient/${marie.id}/$summary`, { authorization: `Bearer ${own}` });
    expect(mine.statusCode).toBe(200);
    const theirs = await get(`/fhir/Patient/${dominique.id}/$summary`, { authorization: `Bearer ${own}` });
    expect(theirs.statusCode).toBe(403);

    const portal = await get(`/api/pro/patients/${marie.id}/summary`, { cookie: cookies[DOCTOR]! });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).toContain('Rétinopathie diabétique débutante');
    expect(portal.body).toMatch(/Directives anticipées[^<]*document déposé le/);
  });

  it('gives a dentist only what the matrix lets a dentist read: no advance directives', async () => {
    const bundle = await summary(DENTIST);
    expect(sectionText(bundle, '11450-4')).toContain('Hypertension artérielle');
    expect(sectionText(bundle, '42348-3')).not.toContain('Directives anticipées');
    const portal = await get(`/api/pro/patients/${marie.id}/summary`, { cookie: cookies[DENTIST]! });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).not.toContain('document déposé le');
  });

  it('leaves out what the patient masked, for professionals only', async () => {
    const asMarie: PatientPrincipal = {
      kind: 'patient',
      patientId: marie.id,
      ins: marie.ins,
      actsFor: [marie.id],
    };
    await setAreaMasked(carnet.ctx, asMarie, marie.id, 'conditions', true);
    try {
      expect(sectionText(await summary(DENTIST), '11450-4')).not.toContain('Hypertension artérielle');
      const own = await get(`/api/patient/record/${marie.id}/summary`, { cookie: patientCookie });
      expect(own.body).toContain('Hypertension artérielle');
    } finally {
      await setAreaMasked(carnet.ctx, asMarie, marie.id, 'conditions', false);
    }
  });

  it('refuses a professional without access: 403, an OperationOutcome on /fhir', async () => {
    const response = await get(`/fhir/Patient/${marie.id}/$summary`, {
      authorization: `Bearer ${tokens[PHYSIO]}`,
    });
    expect(response.statusCode).toBe(403);
    expect((response.json() as OperationOutcome).resourceType).toBe('OperationOutcome');
    const portal = await get(`/api/pro/patients/${marie.id}/summary`, { cookie: cookies[PHYSIO]! });
    expect(portal.statusCode).toBe(403);
    const unknown = await get('/fhir/Patient/00000000-0000-0000-0000-000000000000/$summary', {
      authorization: `Bearer ${tokens[DOCTOR]}`,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
