import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientSession,
  createProfessionalSession,
  PATIENT_SESSION_COOKIE,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { demoIns, seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { tinyJpeg, tinyPng } from '../../record/photo-pdf.fixtures.ts';

/** A multipart body with several `photos` parts, as the upload form's FormData sends it. */
function photoForm(
  fields: Record<string, string>,
  photos: { type: string; bytes: Buffer }[],
  part = 'photos',
) {
  const boundary = '----carnet-photos-boundary';
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  photos.forEach((photo, i) =>
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part}"; filename="page-${i + 1}"\r\nContent-Type: ${photo.type}\r\n\r\n`,
      ),
      photo.bytes,
      Buffer.from('\r\n'),
    ),
  );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(testDialects)('personal folders, pins and photos on %s', (dialect) => {
  let carnet: TestCarnet;
  let patientCookie: string;
  let otherPatientCookie: string;
  let proCookie: string;
  let patientId: string;
  let otherPatientId: string;
  let documentIds: string[];

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
    const professional = await findProfessionalByNationalId(carnet.ctx.db, '810001000115');
    proCookie = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(carnet.ctx, professional!)}`;
    // Two documents of the patient's own, deposited as the upload form does.
    for (const title of ['Carte de groupe sanguin', 'Ordonnance de lunettes']) {
      const pdf = await PDFDocument.create();
      pdf.addPage([200, 200]);
      const form = photoForm(
        { title, type: 'DOCPAT01' },
        [{ type: 'application/pdf', bytes: Buffer.from(await pdf.save()) }],
        'file',
      );
      const made = await carnet.app.inject({
        method: 'POST',
        url: `${record()}/documents`,
        headers: { cookie: patientCookie, 'content-type': form.contentType },
        payload: form.payload,
      });
      expect(made.statusCode).toBe(201);
    }
    const list = (await call('GET', `${record()}/documents`, patientCookie)).json() as {
      groups: { documents: { id: string }[] }[];
    };
    documentIds = list.groups.flatMap((g) => g.documents.map((d) => d.id));
  }, 60_000);
  afterAll(() => carnet?.stop());

  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  const call = (method: Method, url: string, cookie: string, payload?: object) =>
    carnet.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const record = (id = patientId) => `/api/patient/record/${id}`;
  const code = (response: { json(): unknown }) => (response.json() as { error: { code: string } }).error.code;
  const errorOf = (response: { json(): unknown }) =>
    (response.json() as { error: { code: string; message: string } }).error;

  it('creates, files, lists, renames and deletes a folder; deleting it leaves its documents in the record', async () => {
    expect(documentIds.length).toBeGreaterThanOrEqual(2);
    const [first, second] = documentIds as [string, string];
    const created = await call('POST', `${record()}/folders`, patientCookie, {
      name: '  Suivi   cardiologie ',
    });
    expect(created.statusCode).toBe(201);
    const folder = created.json() as { id: string; name: string; documentIds: string[] };
    expect(folder).toMatchObject({ name: 'Suivi cardiologie', documentIds: [] });

    for (const id of [first, second, first])
      expect(
        (await call('PUT', `${record()}/folders/${folder.id}/documents/${id}`, patientCookie)).statusCode,
      ).toBe(204);
    const opened = (
      await call('GET', `${record()}/folders/${folder.id}/documents`, patientCookie)
    ).json() as {
      folder: { name: string };
      documents: { id: string }[];
    };
    expect(opened.folder.name).toBe('Suivi cardiologie');
    expect(opened.documents.map((d) => d.id).sort()).toEqual([first, second].sort());

    // A document may be in several folders.
    const other = (
      await call('POST', `${record()}/folders`, patientCookie, { name: 'Ordonnances' })
    ).json() as {
      id: string;
    };
    await call('PUT', `${record()}/folders/${other.id}/documents/${first}`, patientCookie);
    const all = (await call('GET', `${record()}/folders`, patientCookie)).json() as {
      folders: { id: string; name: string; documentIds: string[] }[];
    };
    // Sorted by name, as French sorts.
    expect(all.folders.map((f) => f.name)).toEqual(['Ordonnances', 'Suivi cardiologie']);
    expect(all.folders.filter((f) => f.documentIds.includes(first)).length).toBe(2);

    expect(
      (await call('DELETE', `${record()}/folders/${folder.id}/documents/${second}`, patientCookie))
        .statusCode,
    ).toBe(204);
    const renamed = await call('PUT', `${record()}/folders/${folder.id}`, patientCookie, { name: 'Cœur' });
    expect(renamed.json()).toMatchObject({ name: 'Cœur', documentIds: [first] });

    expect((await call('DELETE', `${record()}/folders/${folder.id}`, patientCookie)).statusCode).toBe(204);
    const gone = await call('GET', `${record()}/folders/${folder.id}/documents`, patientCookie);
    expect([gone.statusCode, code(gone)]).toEqual([404, 'folder-not-found']);
    // The documents are still there.
    for (const id of [first, second])
      expect((await call('GET', `${record()}/documents/${id}`, patientCookie)).statusCode).toBe(200);
    await call('DELETE', `${record()}/folders/${other.id}`, patientCookie);
  });

  it('refuses an empty, too long or already used name in French, and an unknown document', async () => {
    const empty = await call('POST', `${record()}/folders`, patientCookie, { name: '   ' });
    expect([empty.statusCode, errorOf(empty)]).toEqual([
      400,
      expect.objectContaining({ code: 'folder-name-required', message: 'Donnez un nom au dossier.' }),
    ]);
    const long = await call('POST', `${record()}/folders`, patientCookie, { name: 'x'.repeat(61) });
    expect([long.statusCode, code(long)]).toEqual([400, 'folder-name-too-long']);
    const made = (await call('POST', `${record()}/folders`, patientCookie, { name: 'Analyses' })).json() as {
      id: string;
    };
    const twice = await call('POST', `${record()}/folders`, patientCookie, { name: 'analyses' });
    expect([twice.statusCode, errorOf(twice).message]).toEqual([
      409,
      'Vous avez déjà un dossier portant ce nom.',
    ]);
    const unknown = await call('PUT', `${record()}/folders/${made.id}/documents/nope`, patientCookie);
    expect(unknown.statusCode).toBe(404);
    await call('DELETE', `${record()}/folders/${made.id}`, patientCookie);
  });

  it('pins documents: the pinned ones come first, most recently pinned first, until unpinned', async () => {
    const [first, second] = documentIds as [string, string];
    expect((await call('PUT', `${record()}/pins/${second}`, patientCookie)).statusCode).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await call('PUT', `${record()}/pins/${first}`, patientCookie)).statusCode).toBe(204);
    expect((await call('PUT', `${record()}/pins/${first}`, patientCookie)).statusCode).toBe(204);
    const pins = (await call('GET', `${record()}/pins`, patientCookie)).json() as {
      documents: { id: string }[];
    };
    expect(pins.documents.map((d) => d.id)).toEqual([first, second]);
    const all = (await call('GET', `${record()}/folders`, patientCookie)).json() as { pinnedIds: string[] };
    expect(all.pinnedIds).toEqual([first, second]);
    await call('DELETE', `${record()}/pins/${first}`, patientCookie);
    await call('DELETE', `${record()}/pins/${second}`, patientCookie);
    const none = (await call('GET', `${record()}/pins`, patientCookie)).json() as { documents: unknown[] };
    expect(none.documents).toEqual([]);
  });

  it('keeps folders and pins private: another patient and a professional cannot see or touch them', async () => {
    const [first] = documentIds as [string];
    const folder = (
      await call('POST', `${record()}/folders`, patientCookie, { name: 'Grossesse' })
    ).json() as {
      id: string;
    };
    await call('PUT', `${record()}/folders/${folder.id}/documents/${first}`, patientCookie);
    await call('PUT', `${record()}/pins/${first}`, patientCookie);

    // Another patient, on this record's addresses: refused.
    for (const [method, url] of [
      ['GET', `${record()}/folders`],
      ['GET', `${record()}/pins`],
      ['GET', `${record()}/folders/${folder.id}/documents`],
      ['PUT', `${record()}/folders/${folder.id}/documents/${first}`],
      ['DELETE', `${record()}/folders/${folder.id}`],
      ['DELETE', `${record()}/pins/${first}`],
    ] as const) {
      const refused = await call(method, url, otherPatientCookie);
      expect([refused.statusCode, code(refused)], `${method} ${url}`).toEqual([403, 'not-own-record']);
    }
    // …and on their own record, this folder and this document do not exist.
    const foreignFolder = await call(
      'GET',
      `${record(otherPatientId)}/folders/${folder.id}/documents`,
      otherPatientCookie,
    );
    expect(foreignFolder.statusCode).toBe(404);
    const foreignPin = await call('PUT', `${record(otherPatientId)}/pins/${first}`, otherPatientCookie);
    expect(foreignPin.statusCode).toBe(404);
    const theirs = (await call('GET', `${record(otherPatientId)}/folders`, otherPatientCookie)).json() as {
      folders: unknown[];
      pinnedIds: unknown[];
    };
    expect(theirs).toEqual({ folders: [], pinnedIds: [] });

    // A professional has no patient session: the patient space's addresses are not theirs.
    expect((await call('GET', `${record()}/folders`, proCookie)).statusCode).toBe(401);
    expect((await call('GET', `${record()}/pins`, proCookie)).statusCode).toBe(401);
    // The portal's view of the document says nothing of folders or pins.
    await call('POST', `/api/pro/patients/${patientId}/consent`, proCookie);
    const seen = await call('GET', `/api/pro/patients/${patientId}/documents/${first}`, proCookie);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toMatch(/Grossesse|pinned|folder/i);

    // The name is sealed at rest, and the trail says what was done without it.
    const stored = await carnet.ctx.db.selectFrom('patient_folders').select('sealed_name').execute();
    expect(stored.some((row) => row.sealed_name.includes('Grossesse'))).toBe(false);
    const trail = await carnet.ctx.db
      .selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('action', '=', 'organise')
      .execute();
    expect(trail.length).toBeGreaterThan(0);
    expect(JSON.stringify(trail)).not.toContain('Grossesse');
    const history = (
      await call('GET', `${record()}/history?own=true&kind=organisation`, patientCookie)
    ).json() as {
      entries: { actionLabel: string }[];
    };
    expect(history.entries.map((e) => e.actionLabel)).toEqual(
      expect.arrayContaining(['Création d’un dossier personnel', 'Épinglage d’un document']),
    );
    await call('DELETE', `${record()}/folders/${folder.id}`, patientCookie);
    await call('DELETE', `${record()}/pins/${first}`, patientCookie);
  });

  it('lets a legal representative sort a child’s record for them, in the child’s own folders', async () => {
    const parent = await findInsuredByIns(carnet.ctx.db, demoIns.emilie as Ins);
    const child = await findInsuredByIns(carnet.ctx.db, demoIns.chloe as Ins);
    const now = carnet.ctx.clock.now();
    const parentCookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, parent!.id, now)).token}`;
    const made = await call('POST', `${record(child!.id)}/folders`, parentCookie, { name: 'Vaccins' });
    expect(made.statusCode).toBe(201);
    const childFolders = (await call('GET', `${record(child!.id)}/folders`, parentCookie)).json() as {
      folders: { name: string }[];
    };
    expect(childFolders.folders.map((f) => f.name)).toEqual(['Vaccins']);
    // The parent's own record has its own folders: none.
    const own = (await call('GET', `${record(parent!.id)}/folders`, parentCookie)).json() as {
      folders: unknown[];
    };
    expect(own.folders).toEqual([]);
    // Someone who does not represent the child is refused.
    const stranger = await call('GET', `${record(child!.id)}/folders`, patientCookie);
    expect([stranger.statusCode, code(stranger)]).toEqual([403, 'not-own-record']);
  });

  it('merges several photos into one PDF deposited in the record, a page per photo', async () => {
    const form = photoForm({ title: 'Compte rendu papier', type: 'DOCPAT01' }, [
      { type: 'image/jpeg', bytes: tinyJpeg },
      { type: 'image/png', bytes: tinyPng },
    ]);
    const made = await carnet.app.inject({
      method: 'POST',
      url: `${record()}/documents/photos`,
      headers: { cookie: patientCookie, 'content-type': form.contentType },
      payload: form.payload,
    });
    expect(made.statusCode).toBe(201);
    const doc = made.json() as { id: string; title: string; contentType: string; uploadedByPatient: boolean };
    expect(doc).toMatchObject({
      title: 'Compte rendu papier',
      contentType: 'application/pdf',
      uploadedByPatient: true,
    });
    const content = await call('GET', `${record()}/documents/${doc.id}/content`, patientCookie);
    const pdf = await PDFDocument.load(content.rawPayload);
    expect(pdf.getPageCount()).toBe(2);
  });

  it('refuses a file that is not a real JPEG or PNG, and a form without photos, in French', async () => {
    const fake = photoForm({ title: 'Faux', type: 'DOCPAT01' }, [
      { type: 'image/jpeg', bytes: tinyJpeg },
      { type: 'image/jpeg', bytes: Buffer.from('%PDF-1.4 not a photo') },
    ]);
    const refused = await carnet.app.inject({
      method: 'POST',
      url: `${record()}/documents/photos`,
      headers: { cookie: patientCookie, 'content-type': fake.contentType },
      payload: fake.payload,
    });
    expect([refused.statusCode, errorOf(refused)]).toEqual([
      400,
      expect.objectContaining({
        code: 'photo-format',
        message: 'La photo 2 n’est pas une image JPEG ou PNG : choisissez une photo prise avec l’appareil.',
      }),
    ]);
    const empty = photoForm({ title: 'Rien', type: 'DOCPAT01' }, []);
    const none = await carnet.app.inject({
      method: 'POST',
      url: `${record()}/documents/photos`,
      headers: { cookie: patientCookie, 'content-type': empty.contentType },
      payload: empty.payload,
    });
    expect([none.statusCode, code(none)]).toEqual([400, 'photos-required']);
  });
});
