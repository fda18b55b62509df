import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { seedDemo } from '../../demo/index.ts';
import type { Ins } from '../../identity/index.ts';
import { findInsuredByIns } from '../../insured/index.ts';
import { addProfileEntry, profileAreaLabels } from '../../medical-profile/index.ts';
import { pdfTextLines } from '../../portability/test-pdf-text.ts';
import { unzip } from '../../portability/test-unzip.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

describe.each(testDialects)('portability API on %s', (dialect) => {
  let carnet: TestCarnet;
  let cookie: string;
  let patientId: string;
  let otherId: string;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    const jean = (await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins))!;
    otherId = (await findInsuredByIns(carnet.ctx.db, '271096912304585' as Ins))!.id;
    patientId = jean.id;
    const principal = { kind: 'patient', patientId: jean.id, ins: jean.ins, actsFor: [jean.id] } as const;
    await addProfileEntry(carnet.ctx, principal, jean.id, 'blood-group', { abo: 'O', rhesus: 'positive' });
    const now = carnet.ctx.clock.now();
    cookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(carnet.ctx.db, jean.id, now)).token}`;
  }, 60_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, headers: Record<string, string> = { cookie }) =>
    carnet.app.inject({ method: 'GET', url, headers });

  it('serves the PDF synthesis as a download the patient keeps', async () => {
    const response = await get(`/api/patient/record/${patientId}/profile/synthesis.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="synthese-profil-medical-/,
    );
    expect(response.headers['cache-control']).toBe('no-store');
    const text = (await pdfTextLines(response.rawPayload)).flat();
    expect(text).toContain(profileAreaLabels['blood-group']);
    expect(text).toContain('• O Rhésus positif (+)');
  });

  it('streams the record export as a zip', async () => {
    const response = await get(`/api/patient/record/${patientId}/export.zip`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="dossier-medical-.*\.zip"$/,
    );
    const files = await unzip(response.rawPayload);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['bundle.json', 'README.txt']));
    expect(JSON.parse(files.get('bundle.json')!.toString('utf8'))).toMatchObject({ type: 'collection' });
  });

  it('answers 401 without a session and 403 for someone else’s record', async () => {
    expect((await get(`/api/patient/record/${patientId}/export.zip`, {})).statusCode).toBe(401);
    const other = await get(`/api/patient/record/${otherId}/profile/synthesis.pdf`);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'not-own-record' } });
  });
});
