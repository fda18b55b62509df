import { randomUUID } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  createProfessionalSession,
  PATIENT_SESSION_COOKIE,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins, PatientId } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { emptyMetadata, insertDocuments, type DocumentId } from '../../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import type { DocumentList as PatientDocumentList, ProDocumentList } from '../contracts/record-api.ts';

/** The patient's list, or the portal's with what it adds. */
type DocumentList = PatientDocumentList & Partial<ProDocumentList>;

function multipart(fields: Record<string, string>, bytes: Buffer) {
  const boundary = '----carnet-search-boundary';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cr.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects)('searching a record, on %s', (dialect) => {
  let carnet: TestCarnet;
  let patientId: PatientId;
  const cookie = { patient: '', gp: '', dentist: '' };
  let letterId = '';
  const lastYear = `${new Date().getUTCFullYear() - 1}`;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    patientId = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!.id as PatientId;
    const now = carnet.ctx.clock.now();
    cookie.patient = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, patientId, now)).token}`;
    for (const [who, rpps] of [
      ['gp', '10001000115'],
      ['dentist', '10001000511'],
    ] as const) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${rpps}`);
      cookie[who] = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, professional!)}`;
      const consent = await carnet.app.inject({
        method: 'POST',
        url: `/api/pro/patients/${patientId}/consent`,
        headers: { cookie: cookie[who] },
      });
      expect(consent.statusCode).toBe(204);
    }
    // Last year's discharge letter, deposited through the portal as any other.
    const pdf = Buffer.from(await (await PDFDocument.create()).save());
    const body = multipart(
      {
        title: 'Lettre de sortie — Valvulopathie mitrale, Hôpital Édouard-Herriot',
        type: '34112-3',
        date: `${lastYear}-06-12`,
      },
      pdf,
    );
    const deposited = await carnet.app.inject({
      method: 'POST',
      url: `/api/pro/patients/${patientId}/documents`,
      headers: { cookie: cookie.gp, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(deposited.statusCode, deposited.body).toBe(201);
    letterId = (deposited.json() as { id: string }).id;
    // A psychiatric synthesis of the same stay: a type the dentists' row of the habilitation matrix hides.
    await insertDocuments(
      carnet.ctx.config,
      carnet.ctx.db,
      [
        {
          id: randomUUID() as DocumentId,
          patientId,
          masterIdentifier: `urn:uuid:${randomUUID()}`,
          typeCode: '68599-0',
          typeSystem: 'http://loinc.org',
          typeDisplay: 'Synthèse psychiatrique',
          classCode: '11',
          title: 'Synthèse de sortie — valvulopathie et anxiété',
          author: {
            kind: 'professional',
            nationalId: '810001000313' as never,
            patientId: undefined,
            name: 'Dr Sophie Petit',
            givenName: 'Sophie',
            familyName: 'Petit',
            professionCode: '10' as never,
            specialtyCode: undefined,
            structureNationalId: undefined,
            structureName: 'Hôpital Édouard-Herriot',
          },
          createdAt: `${lastYear}-06-13`,
          serviceStart: undefined,
          serviceEnd: undefined,
          depositedAt: now.toISOString(),
          status: 'current',
          confidentiality: [],
          hash: '0'.repeat(64),
          size: 1,
          contentType: 'application/pdf',
          replacesId: undefined,
          submissionSetId: undefined,
          metadata: { ...emptyMetadata, confidentialityLevel: 'N' },
        },
      ],
      now.toISOString(),
    );
  }, 60_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, who: keyof typeof cookie) =>
    carnet.app.inject({ method: 'GET', url, headers: { cookie: cookie[who] } });
  const search = async (who: keyof typeof cookie, params: Record<string, string>) => {
    const base = who === 'patient' ? `/api/patient/record/${patientId}` : `/api/pro/patients/${patientId}`;
    const response = await get(`${base}/documents?${new URLSearchParams({ view: 'list', ...params })}`, who);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<DocumentList>();
  };
  const titles = (list: DocumentList) => list.documents!.map((d) => d.title);

  it('finds last year’s discharge letter by two words, whatever their accents and case', async () => {
    for (const q of [
      'sortie valvulo',
      'VALVULOPATHIE lettre',
      'hopital edouard lettre',
      `lettre ${lastYear}`,
    ]) {
      const found = await search('gp', { q });
      expect(titles(found), q).toContain('Lettre de sortie — Valvulopathie mitrale, Hôpital Édouard-Herriot');
      expect(found.words!.length, q).toBeGreaterThanOrEqual(2);
    }
    // Every word must match: another year, or a word of no document, finds nothing.
    expect((await search('gp', { q: `valvulo ${Number(lastYear) - 5}` })).total).toBe(0);
    expect((await search('gp', { q: 'valvulo zzzz' })).total).toBe(0);
    // A single letter does not filter.
    expect((await search('gp', { q: 'valvulo a' })).total).toBe(2);
  });

  it('gives the dentist fewer documents for the same search, and says how many the matrix hides', async () => {
    const gp = await search('gp', { q: 'sortie valvulo' });
    const dentist = await search('dentist', { q: 'sortie valvulo' });
    expect(gp.total).toBe(2);
    expect(dentist.total).toBe(1);
    expect(titles(dentist)).toEqual(['Lettre de sortie — Valvulopathie mitrale, Hôpital Édouard-Herriot']);
    expect(dentist.hiddenByMatrix).toBeGreaterThanOrEqual(1);
    expect(dentist.profession).toBe('chirurgien-dentiste');
  });

  it('narrows by class, type, author and period, and counts each facet under the same policy', async () => {
    const all = await search('gp', { q: 'valvulo' });
    expect(all.facets!.types).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: '34112-3', count: 1 }),
        expect.objectContaining({ value: '68599-0', count: 1 }),
      ]),
    );
    const byType = await search('gp', { q: 'valvulo', type: '68599-0' });
    expect(titles(byType)).toEqual(['Synthèse de sortie — valvulopathie et anxiété']);
    // The type facet is counted without the type filter: the other type stays offered.
    expect(byType.facets!.types.map((t) => t.value).sort()).toEqual(['34112-3', '68599-0']);
    const dentistFacets = (await search('dentist', { q: 'valvulo' })).facets!;
    expect(dentistFacets.types.map((t) => t.value)).toEqual(['34112-3']);
    const byAuthor = await search('gp', { q: 'valvulo', author: '810001000313' });
    expect(byAuthor.total).toBe(1);
    expect((await search('gp', { q: 'valvulo', from: `${lastYear}-06-13` })).total).toBe(1);
    expect((await search('gp', { q: 'valvulo', to: `${lastYear}-06-12` })).total).toBe(1);
    expect((await search('gp', { q: 'valvulo', from: `${lastYear}-06-14` })).total).toBe(0);
    const bad = await get(`/api/pro/patients/${patientId}/documents?from=12/06/2025`, 'gp');
    expect(bad.statusCode).toBe(400);
  });

  it('shows what the doctor has not opened yet, and the patient’s « Nouveau » the same way', async () => {
    const before = await search('gp', { q: 'valvulo', unread: '1' });
    // The letter is the GP's own: never unread to them; the synthesis is.
    expect(titles(before)).toEqual(['Synthèse de sortie — valvulopathie et anxiété']);
    const synthesis = before.documents![0]!;
    expect(synthesis.isNew).toBe(true);
    expect((await get(`/api/pro/patients/${patientId}/documents/${synthesis.id}`, 'gp')).statusCode).toBe(
      200,
    );
    expect((await search('gp', { q: 'valvulo', unread: '1' })).total).toBe(0);
    // Another professional's openings are their own.
    expect((await search('dentist', { q: 'valvulo', unread: '1' })).total).toBe(1);

    const patientBefore = await search('patient', { q: 'valvulo', unread: '1' });
    expect(patientBefore.total).toBe(2);
    expect(patientBefore.documents!.every((d) => d.isNew)).toBe(true);
    await get(`/api/patient/record/${patientId}/documents/${letterId}`, 'patient');
    expect(titles(await search('patient', { q: 'valvulo', unread: '1' }))).toEqual([
      'Synthèse de sortie — valvulopathie et anxiété',
    ]);
  });

  it('lists what was deposited since the doctor’s previous visit', async () => {
    // The GP's previous visit ended just now; a colleague deposits a result afterwards.
    const ended = carnet.ctx.clock.now().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await carnet.ctx.db
      .updateTable('record_professionals')
      .set({ previous_visit_at: ended, last_access_at: ended })
      .where('patient_id', '=', patientId)
      .where('national_id', '=', '810001000115')
      .execute();
    const pdf = Buffer.from(await (await PDFDocument.create()).save());
    const body = multipart({ title: 'Échographie cardiaque de contrôle', type: '11488-4' }, pdf);
    const deposited = await carnet.app.inject({
      method: 'POST',
      url: `/api/pro/patients/${patientId}/documents`,
      headers: { cookie: cookie.dentist, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(deposited.statusCode, deposited.body).toBe(201);
    const news = await search('gp', { since: 'last-visit' });
    expect(news.lastVisitAt).toBe(ended);
    expect(titles(news)).toEqual(['Échographie cardiaque de contrôle']);
    expect(titles(await search('gp', { q: 'echo cardiaque' }))).toEqual([
      'Échographie cardiaque de contrôle',
    ]);
    // Visits are the portal's: the patient space says so rather than list everything as « new ».
    const patient = await get(
      `/api/patient/record/${patientId}/documents?view=list&since=last-visit`,
      'patient',
    );
    expect([patient.statusCode, patient.json().error]).toMatchObject([
      400,
      { code: 'since-professional-only', field: 'since' },
    ]);
  });

  it('keeps the grouped view of the list as it was, now with the same filters', async () => {
    const response = await get(`/api/pro/patients/${patientId}/documents?q=valvulo`, 'gp');
    const body = response.json<DocumentList>();
    expect(body.total).toBe(2);
    expect(body.documents).toBeUndefined();
    expect(body.groups.flatMap((g) => g.documents).length).toBe(2);
  });
});
