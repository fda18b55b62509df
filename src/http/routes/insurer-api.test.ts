import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  issuePatientAccessToken,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import { issueDevAccessToken } from '../../idp/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../../insured/index.ts';
import { careLine, importInsurerFeed } from '../../insurer/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

const MARTIN = '10001000115';

describe.each(testDialects)('care history API on %s', (dialect) => {
  let carnet: TestCarnet;
  let marie: InsuredPerson;
  let patientCookie: string;
  let jeanCookie: string;
  let martinCookie: string;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    marie = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!;
    const jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    const now = carnet.ctx.clock.now();
    patientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, marie.id, now)).token}`;
    jeanCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, jean.id, now)).token}`;
    const martin = await findProfessionalByNationalId(carnet.ctx.db, `8${MARTIN}`);
    martinCookie = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, martin!)}`;
    const lines = [
      ['L1', '2024-03-04', 'maladie', 'Consultation de médecine générale', 2650],
      ['L2', '2024-03-04', 'medicament', 'Metformine 1000 mg', 420],
      ['L3', '2025-06-10', 'biologie', 'Hémoglobine glyquée (HbA1c)', 1080],
    ].map(([lineId, date, category, label, amountCents]) =>
      careLine({
        lineId: lineId as string,
        ins: marie.ins,
        date: date as string,
        category: category as 'maladie',
        label: label as string,
        professional: 'Dr Claire MARTIN',
        rpps: MARTIN,
        amountCents: amountCents as number,
      }),
    );
    await importInsurerFeed(carnet.ctx, { bytes: Buffer.from(lines.join('\n')) }, 'api.txt');
  }, 60_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, headers: Record<string, string>) =>
    carnet.app.inject({ method: 'GET', url, headers });

  it('lets the patient browse by year and category, and refuses another patient', async () => {
    const base = `/api/patient/record/${marie.id}/care-history`;
    const all = await get(base, { cookie: patientCookie });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({
      total: 3,
      masked: false,
      facets: {
        years: [
          { year: '2025', count: 1 },
          { year: '2024', count: 2 },
        ],
      },
    });
    const filtered = await get(`${base}?year=2024&category=medicament`, { cookie: patientCookie });
    expect(filtered.json().items).toEqual([
      expect.objectContaining({
        label: 'Metformine 1000 mg',
        amountCents: 420,
        categoryLabel: 'Médicaments',
        date: '2024-03-04',
      }),
    ]);
    expect((await get(`${base}?month=13&year=2024`, { cookie: patientCookie })).statusCode).toBe(400);
    expect((await get(base, { cookie: jeanCookie })).statusCode).toBe(403);
    expect((await get(base, {})).statusCode).toBe(401);
  });

  // Security review regression: fails on 027241f, before the fix (an offset past 2^63 was a 500 on PostgreSQL).
  it('refuses a paging number that names no page with a 400, not a server error', async () => {
    const base = `/api/patient/record/${marie.id}/care-history`;
    for (const query of ['offset=99999999999999999999', 'count=-3', 'offset=abc']) {
      const answer = await get(`${base}?${query}`, { cookie: patientCookie });
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json().error.code).toBe('paging-invalid');
    }
    expect((await get(`${base}?offset=1&count=2`, { cookie: patientCookie })).statusCode).toBe(200);
  });

  it('serves the portal and FHIR ExplanationOfBenefit under the policy; masking leaves only the administrateur', async () => {
    const pro = `/api/pro/patients/${marie.id}/care-history`;
    // No consent yet: refused.
    expect((await get(pro, { cookie: martinCookie })).statusCode).toBe(403);
    const consent = await carnet.app.inject({
      method: 'POST',
      url: `/api/pro/patients/${marie.id}/consent`,
      headers: { cookie: martinCookie },
    });
    expect(consent.statusCode).toBeLessThan(300);
    expect((await get(pro, { cookie: martinCookie })).json().total).toBe(3);

    const token = await issueDevAccessToken(carnet.ctx, { rpps: MARTIN });
    const eob = await get(`/fhir/ExplanationOfBenefit?patient=${marie.id}&_count=2`, {
      authorization: `Bearer ${token}`,
    });
    expect(eob.statusCode).toBe(200);
    const bundle = eob.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 3 });
    expect(bundle.entry).toHaveLength(2);
    expect(bundle.link.map((l: { relation: string }) => l.relation)).toEqual(['self', 'next']);
    expect(bundle.entry[0].resource).toMatchObject({
      resourceType: 'ExplanationOfBenefit',
      status: 'active',
      use: 'claim',
      outcome: 'complete',
      patient: { reference: `Patient/${marie.id}` },
      created: '2025-06-10',
      provider: { display: 'Dr Claire MARTIN', identifier: { value: MARTIN } },
      item: [{ productOrService: { text: 'Hémoglobine glyquée (HbA1c)' }, servicedDate: '2025-06-10' }],
      payment: { amount: { value: 10.8, currency: 'EUR' } },
    });
    const byIns = await get(
      `/fhir/ExplanationOfBenefit?patient.identifier=urn:oid:1.2.250.1.213.1.4.8|${marie.ins}`,
      { authorization: `Bearer ${token}` },
    );
    expect(byIns.json().total).toBe(3);
    const own = await get('/fhir/ExplanationOfBenefit', {
      authorization: `Bearer ${await issuePatientAccessToken(carnet.ctx, marie.id)}`,
    });
    expect(own.json().total).toBe(3);

    const mask = await carnet.app.inject({
      method: 'PUT',
      url: `/api/patient/record/${marie.id}/profile/masks/care-history`,
      headers: { cookie: patientCookie },
      payload: { masked: true },
    });
    expect(mask.statusCode).toBe(200);
    const refused = await get(pro, { cookie: martinCookie });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('masked');
    const fhirRefused = await get(`/fhir/ExplanationOfBenefit?patient=${marie.id}`, {
      authorization: `Bearer ${token}`,
    });
    expect(fhirRefused.statusCode).toBe(403);
    expect(fhirRefused.json().resourceType).toBe('OperationOutcome');
    expect(
      (await get(`/api/patient/record/${marie.id}/care-history`, { cookie: patientCookie })).json().masked,
    ).toBe(true);

    const admin = await carnet.app.inject({
      method: 'POST',
      url: `/api/patient/record/${marie.id}/professionals/8${MARTIN}/administrator`,
      headers: { cookie: patientCookie },
    });
    expect(admin.statusCode).toBeLessThan(300);
    const allowed = await get(pro, { cookie: martinCookie });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json()).toMatchObject({ total: 3, masked: true });
  });
});
