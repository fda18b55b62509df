import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CDA_EXAMPLES } from '../../record/content/test-files.ts';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  PATIENT_SESSION_COOKIE,
  createProfessionalSession,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

async function samplePdf(text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 150, size: 12, font: await pdf.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await pdf.save());
}

/** A multipart body as a browser's FormData sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----carnet-test-boundary';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects)('record API on %s', (dialect) => {
  let carnet: TestCarnet;
  let patientCookie: string;
  let otherPatientCookie: string;
  let patientId: string;
  let otherPatientId: string;
  const pro: Record<'martin' | 'bernard', string> = { martin: '', bernard: '' };

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    const jean = await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins);
    const other = await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins);
    patientId = jean!.id;
    otherPatientId = other!.id;
    const now = carnet.ctx.clock.now();
    patientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, jean!.id, now)).token}`;
    otherPatientCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, other!.id, now)).token}`;
    for (const [key, rpps] of [
      ['martin', '10001000115'],
      ['bernard', '10001000214'],
    ] as const) {
      const professional = await findProfessionalByNationalId(carnet.ctx.db, `8${rpps}`);
      const token = await createProfessionalSession(carnet.ctx, professional!);
      pro[key] = `${PRO_SESSION_COOKIE}=${token}`;
    }
  }, 60_000);
  afterAll(() => carnet?.stop());

  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  const call = (method: Method, url: string, cookie: string, payload?: object) =>
    carnet.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const upload = (url: string, cookie: string, body: ReturnType<typeof multipart>) =>
    carnet.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
  const code = (response: { json(): unknown }) => (response.json() as { error: { code: string } }).error.code;
  const patientRecord = () => `/api/patient/record/${patientId}`;
  const proRecord = () => `/api/pro/patients/${patientId}`;
  const titles = (body: { groups: { documents: { title: string }[] }[] }) =>
    body.groups.flatMap((g) => g.documents.map((d) => d.title));

  it('gives the portal the patient id and refuses strangers and other people’s records', async () => {
    const found = await call('GET', '/api/pro/patients?ins=168047505611243', pro.martin);
    expect(found.json()).toMatchObject({ patient: { id: patientId } });
    expect((await call('GET', `${patientRecord()}/documents`, '')).statusCode).toBe(401);
    const foreign = await call('GET', `${patientRecord()}/documents`, otherPatientCookie);
    expect([foreign.statusCode, code(foreign)]).toEqual([403, 'not-own-record']);
  });

  // Security review regression: fails on 027241f, before the fix (an offset past 2^63 was a 500 on PostgreSQL).
  it('refuses a paging number that names no page with a 400, for the patient and the portal', async () => {
    for (const [url, cookie] of [
      [`${patientRecord()}/documents`, patientCookie],
      [`${patientRecord()}/history`, patientCookie],
      [`${proRecord()}/documents`, pro.martin],
    ] as const) {
      const answer = await call('GET', `${url}?offset=99999999999999999999`, cookie);
      expect([answer.statusCode, code(answer)], url).toEqual([400, 'paging-invalid']);
      // A page that exists passes paging (the portal may still need consent: 403, not 400).
      expect([200, 403], url).toContain((await call('GET', `${url}?offset=0&count=5`, cookie)).statusCode);
    }
  });

  it('lets a doctor deposit a PDF the patient then sees by category, and opens it inline or as a download', async () => {
    const pdf = await samplePdf('Compte rendu');
    const refused = await call('GET', `${proRecord()}/documents`, pro.martin);
    expect([refused.statusCode, code(refused)]).toEqual([403, 'consent-required']);
    const types = (await call('GET', '/api/pro/document-types', pro.martin)).json() as {
      types: { code: string }[];
    };
    expect(types.types.map((t) => t.code)).toContain('11488-4');
    const deposited = await upload(
      `${proRecord()}/documents`,
      pro.martin,
      multipart(
        { title: 'Consultation du 2 mars', type: '11488-4' },
        { name: 'cr.pdf', type: 'application/pdf', bytes: pdf },
      ),
    );
    expect(deposited.statusCode).toBe(201);
    const doc = deposited.json() as { id: string; ownDeposit: boolean; classLabel: string };
    expect(doc.ownDeposit).toBe(true);
    // Still without the patient's consent, the author lists what they deposited, and the portal says it is only that.
    const own = await call('GET', `${proRecord()}/documents`, pro.martin);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ ownDocumentsOnly: true });
    expect(titles(own.json())).toContain('Consultation du 2 mars');

    const list = (await call('GET', `${patientRecord()}/documents`, patientCookie)).json() as {
      groups: {
        label: string;
        documents: { id: string; author: { name: string }; uploadedByPatient: boolean }[];
      }[];
    };
    const group = list.groups.find((g) => g.documents.some((d) => d.id === doc.id));
    expect(group?.label).toBe(doc.classLabel);
    expect(group?.documents[0]).toMatchObject({ uploadedByPatient: false });

    const inline = await call('GET', `${patientRecord()}/documents/${doc.id}/content`, patientCookie);
    expect(inline.statusCode).toBe(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['content-disposition']).toMatch(/^inline; filename="Consultation-du-2-mars\.pdf"/);
    expect(inline.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(inline.rawPayload.equals(pdf)).toBe(true);
    const download = await call(
      'GET',
      `${patientRecord()}/documents/${doc.id}/content?download=1`,
      patientCookie,
    );
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);

    const months = (await call('GET', '/api/pro/me/deposits-by-month', pro.martin)).json() as {
      months: { count: number }[];
    };
    expect(months.months.reduce((n, m) => n + m.count, 0)).toBeGreaterThanOrEqual(1);

    // The indicators: newest month first, with their definitions; a bad window is a readable 400.
    const indicators = await call('GET', '/api/pro/indicators?months=3', pro.martin);
    expect(indicators.statusCode).toBe(200);
    const body = indicators.json() as { months: { month: string; deposits: number }[]; definitions: object };
    expect(body.months.map((m) => m.month)).toHaveLength(3);
    expect(body.months[0]!.month > body.months[2]!.month).toBe(true);
    expect(body.months[0]!.deposits).toBeGreaterThanOrEqual(1);
    expect(Object.keys(body.definitions)).toEqual([
      'consultations',
      'deposit',
      'message',
      'provisional',
      'vsm',
    ]);
    const bad = await call('GET', '/api/pro/indicators?months=40', pro.martin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'months-invalid', field: 'months', message: expect.stringMatching(/entre 1 et 36/) },
    });
  });

  it('checks patient uploads: type from the list, a file, multipart; own uploads can be deleted', async () => {
    const text = Buffer.from('Mes allergies : pénicilline.\n');
    const file = { name: 'allergies.txt', type: 'text/plain', bytes: text };
    const badType = await upload(
      `${patientRecord()}/documents`,
      patientCookie,
      multipart({ title: 'A', type: '11488-4' }, file),
    );
    expect([badType.statusCode, code(badType)]).toEqual([400, 'type-invalid']);
    const noFile = await upload(
      `${patientRecord()}/documents`,
      patientCookie,
      multipart({ title: 'A', type: 'DOCPAT01' }),
    );
    expect([noFile.statusCode, code(noFile)]).toEqual([400, 'file-required']);
    const json = await call('POST', `${patientRecord()}/documents`, patientCookie, { title: 'A' });
    expect([json.statusCode, code(json)]).toEqual([415, 'multipart-required']);

    const created = await upload(
      `${patientRecord()}/documents`,
      patientCookie,
      multipart({ title: 'Mes allergies', type: 'DOCPAT01' }, file),
    );
    expect(created.statusCode).toBe(201);
    const doc = created.json() as { id: string; uploadedByPatient: boolean; contentType: string };
    expect(doc).toMatchObject({ uploadedByPatient: true, contentType: 'text/plain' });
    const content = await call('GET', `${patientRecord()}/documents/${doc.id}/content`, patientCookie);
    expect(content.headers['content-security-policy']).toContain('sandbox');
    expect(content.body).toBe(text.toString());

    const masked = await call('POST', `${patientRecord()}/documents/${doc.id}/mask`, patientCookie);
    expect(masked.json()).toMatchObject({ masked: true });
    const unmasked = await call('POST', `${patientRecord()}/documents/${doc.id}/unmask`, patientCookie);
    expect(unmasked.json()).toMatchObject({ masked: false });

    expect((await call('DELETE', `${patientRecord()}/documents/${doc.id}`, patientCookie)).statusCode).toBe(
      204,
    );
    const after = (await call('GET', `${patientRecord()}/documents`, patientCookie)).json();
    expect(titles(after as never)).not.toContain('Mes allergies');

    // The patient's types of JDV_J07 (2026), with their official labels: a certificate is one of them.
    const options = (await call('GET', `${patientRecord()}/upload-options`, patientCookie)).json() as {
      types: { code: string; display: string }[];
    };
    expect(options.types).toContainEqual({ code: 'DOCPAT07', display: 'Certificat déposé par le patient' });
    expect(options.types.map((t) => t.code)).not.toContain('DOCPAT08');
    const certificate = await upload(
      `${patientRecord()}/documents`,
      patientCookie,
      multipart({ title: 'Certificat de sport', type: 'DOCPAT07' }, file),
    );
    expect(certificate.statusCode).toBe(201);
  });

  it('dates a patient upload with the « Date du document » they give, empty meaning unknown, never in the future', async () => {
    const file = { name: 'vaccin.txt', type: 'text/plain', bytes: Buffer.from('Vaccin DTP') };
    const send = (fields: Record<string, string>) =>
      upload(`${patientRecord()}/documents`, patientCookie, multipart({ type: 'DOCPAT01', ...fields }, file));
    const tomorrow = new Date(carnet.ctx.clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const future = await send({ title: 'Futur', date: tomorrow });
    expect([future.statusCode, future.json()]).toEqual([
      400,
      {
        error: expect.objectContaining({
          code: 'date-future',
          message: 'La date du document ne peut pas être dans le futur.',
        }),
      },
    ]);
    expect(code(await send({ title: 'Impossible', date: '2025-02-30' }))).toBe('date-invalid');

    const dated = (await send({ title: 'Carnet de vaccination', date: '2019-05-14' })).json() as {
      id: string;
      createdAt: string;
      serviceStart: string | null;
    };
    expect(dated).toMatchObject({
      createdAt: '2019-05-14T00:00:00.000Z',
      serviceStart: '2019-05-14T00:00:00.000Z',
    });
    const undated = (await send({ title: 'Sans date', date: '' })).json() as { serviceStart: string | null };
    expect(undated.serviceStart).toBeNull();

    // The list shows it at its date.
    const list = (await call('GET', `${patientRecord()}/documents`, patientCookie)).json() as {
      groups: { documents: { id: string; title: string; createdAt: string }[] }[];
    };
    const listed = list.groups.flatMap((g) => g.documents).find((d) => d.id === dated.id);
    expect(listed).toMatchObject({ title: 'Carnet de vaccination', createdAt: '2019-05-14T00:00:00.000Z' });
    expect(titles(list as never)).not.toContain('Futur');
  });

  it('reads and changes the settings, with French labels; refuses an unknown setting', async () => {
    const read = (await call('GET', `${patientRecord()}/settings`, patientCookie)).json() as {
      settings: Record<string, boolean>;
      labels: Record<string, { label: string }>;
    };
    expect(read.settings.allowBrisDeGlace).toBe(true);
    expect(read.labels.allowBrisDeGlace?.label).toMatch(/bris de glace/);
    const changed = await call('PUT', `${patientRecord()}/settings`, patientCookie, {
      allowRegulation: false,
    });
    expect(changed.json()).toMatchObject({ settings: { allowRegulation: false, allowBrisDeGlace: true } });
    const wrong = await call('PUT', `${patientRecord()}/settings`, patientCookie, { everything: true });
    expect(wrong.statusCode).toBe(400);
    await call('PUT', `${patientRecord()}/settings`, patientCookie, { allowRegulation: true });
  });

  it('records consent, then the patient masks, names an administrator and blocks: each shows in the history', async () => {
    const pdf = await samplePdf('Soins');
    const deposited = await upload(
      `${proRecord()}/documents`,
      pro.martin,
      multipart(
        { title: 'Plan de soins infirmiers', type: '11488-4' },
        { name: 'p.pdf', type: 'application/pdf', bytes: pdf },
      ),
    );
    const doc = deposited.json() as { id: string };
    expect((await call('POST', `${proRecord()}/consent`, pro.bernard)).statusCode).toBe(204);
    expect(titles((await call('GET', `${proRecord()}/documents`, pro.bernard)).json() as never)).toContain(
      'Plan de soins infirmiers',
    );

    await call('POST', `${patientRecord()}/documents/${doc.id}/mask`, patientCookie);
    expect(
      titles((await call('GET', `${proRecord()}/documents`, pro.bernard)).json() as never),
    ).not.toContain('Plan de soins infirmiers');
    const pros = (await call('GET', `${patientRecord()}/professionals`, patientCookie)).json() as {
      professionals: { nationalId: string; status: string; profession: string }[];
    };
    expect(pros.professionals.find((p) => p.nationalId === '810001000214')).toMatchObject({
      status: 'authorised',
      profession: 'Infirmier',
    });
    const admin = await call(
      'POST',
      `${patientRecord()}/professionals/810001000115/administrator`,
      patientCookie,
    );
    expect(admin.json()).toMatchObject({ status: 'administrateur' });
    const blocked = await call('POST', `${patientRecord()}/professionals/810001000214/block`, patientCookie);
    expect(blocked.json()).toMatchObject({ status: 'blocked' });

    const list = await call('GET', `${proRecord()}/documents`, pro.bernard);
    expect([list.statusCode, code(list)]).toEqual([403, 'blocked']);
    const deposit = await upload(
      `${proRecord()}/documents`,
      pro.bernard,
      multipart({ title: 'X', type: '11488-4' }, { name: 'x.pdf', type: 'application/pdf', bytes: pdf }),
    );
    expect([deposit.statusCode, code(deposit)]).toEqual([403, 'blocked']);

    const history = (
      await call('GET', `${patientRecord()}/history?count=200&own=true`, patientCookie)
    ).json() as {
      total: number;
      entries: { action: string; actionLabel: string; actorName: string; outcome: string }[];
    };
    const actions = history.entries.map((e) => e.action);
    for (const action of ['deposit', 'consent', 'search', 'mask', 'name-administrator', 'block'])
      expect(actions).toContain(action);
    expect(history.entries.find((e) => e.action === 'block')?.actionLabel).toBe('Blocage d’un professionnel');
    expect(history.entries.some((e) => e.outcome === 'denied' && /bernard/i.test(e.actorName))).toBe(true);
  });

  it('shows an official CDA readably (header and sections) and the PDF a CDA wraps', async () => {
    const dominique = await findInsuredByIns(carnet.ctx.db, '279035121518989' as Ins);
    const now = carnet.ctx.clock.now();
    const cookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, dominique!.id, now)).token}`;
    const record = `/api/patient/record/${dominique!.id}`;
    const deposit = async (file: string, type: string) => {
      const bytes = await readFile(path.join(CDA_EXAMPLES, file));
      const response = await upload(
        `/api/pro/patients/${dominique!.id}/documents`,
        pro.martin,
        multipart({ title: file, type }, { name: file, type: 'text/xml', bytes }),
      );
      expect(response.statusCode).toBe(201);
      return response.json() as { id: string; viewUrl: string };
    };
    const untyped = await upload(
      `/api/pro/patients/${dominique!.id}/documents`,
      pro.martin,
      multipart({ title: 'VSM' }, { name: 'vsm.xml', type: 'text/xml', bytes: Buffer.from('<x/>') }),
    );
    expect([untyped.statusCode, code(untyped)]).toEqual([400, 'type-required']);
    const vsm = await deposit('VSM_1.4_2022.01.xml', '60591-5');
    expect(vsm.viewUrl).toBe(
      `${record}/documents/${vsm.id}/view`.replace('/api/patient/record', '/api/pro/patients'),
    );
    const view = (await call('GET', `${record}/documents/${vsm.id}/view`, cookie)).json() as {
      title: string;
      sections: { title: string | null; blocks: unknown[] }[];
      embedded: unknown;
    };
    expect(view.title).toMatch(/synth/i);
    expect(view.sections.length).toBeGreaterThan(0);
    expect(view.sections.some((s) => s.title && s.blocks.length > 0)).toBe(true);
    expect(view.embedded).toBeNull();

    const wrapped = await deposit('DOC_NON_STRUCTURE_CDA-R2-N1.xml', '11488-4');
    const wrappedView = (await call('GET', `${record}/documents/${wrapped.id}/view`, cookie)).json() as {
      embedded: { mediaType: string; url: string };
    };
    expect(wrappedView.embedded.mediaType).toBe('application/pdf');
    const embedded = await call('GET', wrappedView.embedded.url, cookie);
    expect(embedded.headers['content-type']).toBe('application/pdf');
    expect(embedded.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  // Security review regression: fails on 027241f, before the fix.
  it('starts an emergency access on one patient’s record only, regulation for regulators only, and ends it', async () => {
    const emergency = (id: string) => `/api/pro/patients/${id}/emergency`;
    const noReason = await call('POST', emergency(patientId), pro.martin, {
      mode: 'bris-de-glace',
      reason: ' ',
    });
    expect([noReason.statusCode, code(noReason)]).toEqual([403, 'emergency-reason-required']);
    const badMode = await call('POST', emergency(patientId), pro.martin, { mode: 'whatever', reason: 'x' });
    expect(badMode.statusCode).toBe(400);
    const samu = await call('POST', emergency(patientId), pro.martin, { mode: 'centre-de-regulation' });
    expect([samu.statusCode, code(samu)]).toEqual([403, 'not-regulator']);
    expect((samu.json() as { error: { message: string } }).error.message).toMatch(/médecins régulateurs/);

    const on = await call('POST', emergency(patientId), pro.martin, {
      mode: 'bris-de-glace',
      reason: 'Malaise',
    });
    expect(on.statusCode).toBe(201);
    expect(on.json()).toMatchObject({ mode: 'bris-de-glace', reason: 'Malaise', regulator: false });
    expect((await call('GET', emergency(patientId), pro.martin)).json()).toMatchObject({
      mode: 'bris-de-glace',
      reason: 'Malaise',
    });
    // Another patient's record knows nothing of it: no banner, no emergency access to their documents.
    expect((await call('GET', emergency(otherPatientId), pro.martin)).json()).toMatchObject({
      mode: 'normal',
      reason: null,
    });
    const other = await call('GET', `/api/pro/patients/${otherPatientId}/documents`, pro.martin);
    expect([other.statusCode, code(other)]).toEqual([403, 'consent-required']);
    // The old session-wide switch is gone.
    expect(
      (await call('POST', '/api/pro/emergency', pro.martin, { mode: 'bris-de-glace', reason: 'x' }))
        .statusCode,
    ).toBe(404);

    expect((await call('DELETE', emergency(patientId), pro.martin)).statusCode).toBe(204);
    expect((await call('GET', emergency(patientId), pro.martin)).json()).toMatchObject({ mode: 'normal' });
  });

  it('deposits with the act’s date and « Invisible au patient »: hidden from the patient until its author reveals it', async () => {
    const pdf = await samplePdf('Biopsie');
    const deposit = (fields: Record<string, string>) =>
      upload(
        `${proRecord()}/documents`,
        pro.martin,
        multipart(
          { title: 'Biopsie', type: '11488-4', ...fields },
          { name: 'b.pdf', type: 'application/pdf', bytes: pdf },
        ),
      );
    const later = new Date(carnet.ctx.clock.now().getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    const future = await deposit({ date: later });
    expect([future.statusCode, code(future)]).toEqual([400, 'date-in-future']);
    const badDate = await deposit({ date: '30/11/2026' });
    expect([badDate.statusCode, code(badDate)]).toEqual([400, 'date-invalid']);

    const created = await deposit({ date: '2026-11-30', invisiblePatient: 'on' });
    expect(created.statusCode).toBe(201);
    const doc = created.json() as {
      id: string;
      createdAt: string;
      invisiblePatient: boolean;
      masked: boolean;
    };
    expect(doc).toMatchObject({ invisiblePatient: true, masked: false });
    expect(doc.createdAt.slice(0, 10)).toBe('2026-11-30');
    const patientList = async () =>
      (await call('GET', `${patientRecord()}/documents`, patientCookie)).json() as {
        total: number;
        groups: { documents: { id: string }[] }[];
      };
    const ids = (list: { groups: { documents: { id: string }[] }[] }) =>
      list.groups.flatMap((g) => g.documents.map((d) => d.id));
    const hidden = await patientList();
    expect(ids(hidden)).not.toContain(doc.id);
    const read = await call('GET', `${patientRecord()}/documents/${doc.id}`, patientCookie);
    expect(read.statusCode).toBe(404);

    // Another doctor may not reveal it; its author does, and the patient then sees it.
    const other = await call('POST', `${proRecord()}/documents/${doc.id}/reveal`, pro.bernard);
    expect(other.statusCode).toBeGreaterThanOrEqual(403);
    const revealed = await call('POST', `${proRecord()}/documents/${doc.id}/reveal`, pro.martin);
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toMatchObject({ id: doc.id, invisiblePatient: false });
    const shown = await patientList();
    expect(ids(shown)).toContain(doc.id);
    expect(shown.total).toBe(hidden.total + 1);

    // « Masqué aux autres professionnels » at deposit.
    const masked = await deposit({ date: '2026-11-30', maskedProfessionals: 'on' });
    expect(masked.json()).toMatchObject({ masked: true, invisiblePatient: false });
  });

  it('names the patient of a record by its id, and tells whom the matrix hides documents from', async () => {
    const identity = await call('GET', `/api/pro/patient-identity/${patientId}`, pro.martin);
    expect(identity.json()).toMatchObject({
      patient: { id: patientId, ins: '168047505611243', birthName: 'DUPONT', birthDate: '1968-04-12' },
    });
    expect((await call('GET', `/api/pro/patient-identity/${patientId}`, '')).statusCode).toBe(401);
    const patient = await call('GET', `/api/pro/patient-identity/${patientId}`, patientCookie);
    expect(patient.statusCode).toBe(401);
    const list = await call('GET', `${proRecord()}/documents`, pro.martin);
    expect(list.json()).toMatchObject({ profession: 'médecin' });
  });
});
