import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { demoPerson, demoProfessional, seedDemo } from '../../demo/index.ts';
import { pdfTextLines } from '../../portability/test-pdf-text.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { declareConsent, depositDocuments, readDocument, searchDocuments } from '../../record/index.ts';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';

interface Entry {
  actorName: string;
  actorRole: string | null;
  action: string;
  actionLabel: string;
  accessModeLabel: string;
  outcomeLabel: string;
  documentTitle: string | null;
  firstAccess: boolean;
}
interface History {
  total: number;
  entries: Entry[];
  actors: { value: string; name: string }[];
  kinds: { value: string; label: string }[];
}

/** A stored code shown as is: lower-case words joined by hyphens. */
const code = /^[a-z]+(-[a-z]+)*$/;

describe.each(testDialects)('access history API on %s', (dialect) => {
  let carnet: TestCarnet;
  let cookie: string;
  let patientId: string;
  let otherId: string;
  const title = 'Bilan sanguin de mars';

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    const ctx = carnet.ctx;
    await seedDemo(ctx);
    const jean = await demoPerson(ctx, 'jean');
    patientId = jean.id;
    otherId = (await demoPerson(ctx, 'marie')).id;
    cookie = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, jean.id, ctx.clock.now())).token}`;
    // Dr Girard (hospital cardiologist) deposits; Dr Martin then searches and reads: her first access.
    const girard = await demoProfessional(ctx, '10001000818');
    const martin = await demoProfessional(ctx, '10001000115');
    const [doc] = await depositDocuments(ctx, girard, [
      {
        patientId: jean.id,
        typeCode: '11488-4',
        title,
        content: await makePdf('Bilan'),
        declaredContentType: 'application/pdf',
      },
    ]);
    const me = { kind: 'patient', patientId: jean.id, ins: jean.ins, actsFor: [jean.id] } as const;
    await readDocument(ctx, me, doc!.id);
    await declareConsent(ctx, martin, jean.id);
    await searchDocuments(ctx, martin, { patientId: jean.id, count: 20, offset: 0 });
    await readDocument(ctx, martin, doc!.id);
  }, 60_000);
  afterAll(() => carnet?.stop());

  const get = (url: string, headers: Record<string, string> = { cookie }) =>
    carnet.app.inject({ method: 'GET', url, headers });
  const history = async (query = '') =>
    (await get(`/api/patient/record/${patientId}/history?count=200${query}`)).json() as History;

  it('shows others’ accesses by default, in French, with each professional’s first access marked', async () => {
    const others = await history();
    expect(others.entries.length).toBeGreaterThan(0);
    expect(others.entries.some((e) => e.actorName === 'Vous')).toBe(false);
    const martin = others.entries.filter((e) => /Claire MARTIN/.test(e.actorName));
    expect(martin.map((e) => [e.action, e.firstAccess])).toEqual([
      ['read', false],
      ['search', true],
      ['consent', false],
    ]);
    expect(martin[0]).toMatchObject({
      actionLabel: 'Consultation d’un document',
      documentTitle: title,
      accessModeLabel: 'Accès normal',
      outcomeLabel: 'Autorisé',
    });
    expect(martin[0]!.actorRole).toMatch(/^Médecin/);
    for (const e of others.entries)
      for (const text of [e.actorName, e.actorRole ?? '', e.actionLabel, e.accessModeLabel, e.outcomeLabel])
        expect(text, JSON.stringify(e)).not.toMatch(code);
    expect(others.actors.map((a) => a.name)).toEqual(
      expect.arrayContaining(['Dr Claire MARTIN', 'Dr Nicolas GIRARD']),
    );
    for (const kind of others.kinds) expect(kind.label).not.toMatch(code);

    const withMine = await history('&own=true');
    expect(withMine.total).toBeGreaterThan(others.total);
    expect(withMine.entries.some((e) => e.actorName === 'Vous' && e.action === 'read')).toBe(true);
  });

  it('filters in the query and answers a readable 400 to a filter it does not know', async () => {
    const martinId = (await history()).actors.find((a) => a.name === 'Dr Claire MARTIN')!.value;
    const martin = await history(`&who=${encodeURIComponent(martinId)}&kind=documents`);
    expect(martin.entries.map((e) => e.action)).toEqual(['read', 'search']);
    const future = await history('&from=2099-01-01');
    expect(future.total).toBe(0);
    for (const [query, error] of [
      ['&who=everybody', 'history-who-invalid'],
      ['&kind=teleport', 'history-kind-invalid'],
      ['&from=2026-05-02&to=2026-05-01', 'history-period-invalid'],
      ['&to=2026-13-01', 'history-period-invalid'],
    ]) {
      const answer = await get(`/api/patient/record/${patientId}/history?${query!.slice(1)}`);
      expect(answer.statusCode, query).toBe(400);
      const body = answer.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe(error);
      expect(body.error.message).toMatch(/^[A-Z]/);
    }
  });

  it('downloads the filtered history as a PDF, traced as an export', async () => {
    const response = await get(`/api/patient/record/${patientId}/history.pdf?kind=documents`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="historique-des-acces-\d{4}-\d{2}-\d{2}\.pdf"$/,
    );
    const text = (await pdfTextLines(response.rawPayload)).flat();
    expect(text).toContain('Historique des accès à mon dossier');
    expect(text).toContain('Type d’action : Consultation de documents');
    expect(text).toContain('Premier accès à votre dossier');
    expect(text).toContain(`Consultation d’un document : « ${title} »`);
    expect(text.some((line) => /Dr Claire MARTIN \(Médecin/.test(line))).toBe(true);
    expect(text).toContain('Recherche dans le dossier');
    // Only the kind asked for: the deposit is not printed.
    expect(text.some((line) => line.startsWith('Dépôt'))).toBe(false);

    const exports = await history('&own=true&kind=history-exports');
    expect(exports.entries[0]).toMatchObject({
      actorName: 'Vous',
      action: 'export',
      actionLabel: 'Téléchargement de l’historique des accès (PDF)',
    });
  });

  it('refuses the PDF without a session and for someone else’s record', async () => {
    expect((await get(`/api/patient/record/${patientId}/history.pdf`, {})).statusCode).toBe(401);
    expect((await get(`/api/patient/record/${otherId}/history.pdf`)).statusCode).toBe(403);
  });
});
