import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import {
  createPatientSession,
  createProfessionalSession,
  PATIENT_SESSION_COOKIE,
  PRO_SESSION_COOKIE,
} from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { demoPerson, demoProfessional, seedDemo } from '../../demo/index.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { findProfessionalByNationalId } from '../../professionals/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import {
  declareConsent,
  depositDocuments,
  ENCOUNTER_ID_TYPE,
  type DepositInput,
} from '../../record/index.ts';
import { uuidv7 } from '../../shared/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import type { DocumentList } from '../contracts/record-api.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerRecordApi } from './record-api.ts';

const clock = { now: () => new Date('2026-12-06T10:00:00Z') };

describe.each(testDialects)('episodes of care in the record’s list (%s)', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let app: FastifyInstance;
  let marie: InsuredPerson;
  const sessions = { patient: '', gp: '' };

  const list = async (url: string, session: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { cookie: session } });
    expect(response.statusCode).toBe(200);
    return response.json<DocumentList>();
  };

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
    await seedDemo(ctx);
    marie = await demoPerson(ctx, 'marie');
    const martin = await demoProfessional(ctx, '10001000115');
    await declareConsent(ctx, martin, marie.id);
    const pdf = await makePdf('Compte rendu');
    const doc = (title: string, extra: Partial<DepositInput> = {}): DepositInput => ({
      patientId: marie.id,
      typeCode: '11488-4',
      title,
      content: pdf,
      declaredContentType: 'application/pdf',
      ...extra,
    });
    const stay = {
      metadata: { related: [{ system: undefined, value: 'SEJ-2026-17', type: ENCOUNTER_ID_TYPE }] },
    };
    // One stay, deposited in two submissions (the ward's letter at discharge, the lab's report earlier).
    const inSet = async (inputs: DepositInput[]) => {
      const id = uuidv7();
      const input = { masterIdentifier: `urn:oid:1.2.3.${id}`, sourceId: undefined, contentType: undefined };
      await depositDocuments(
        ctx,
        martin,
        inputs.map((i) => ({ ...i, submissionSetId: id })),
        { submissionSet: { id, input: { ...input, title: undefined, comments: undefined } } },
      );
    };
    await inSet([
      doc('Bilan biologique d’entrée', {
        ...stay,
        createdAt: '2026-03-03T08:00:00Z',
        serviceStart: '2026-03-03',
      }),
    ]);
    await inSet([
      doc('Lettre de sortie', {
        ...stay,
        createdAt: '2026-03-09T16:00:00Z',
        serviceStart: '2026-03-02',
        serviceEnd: '2026-03-09',
      }),
    ]);
    // A note of the stay kept from the patient (TRE_A07 INVISIBLE_PATIENT): the portal's episode only counts it.
    await inSet([
      doc('Note de l’équipe soignante', {
        ...stay,
        createdAt: '2026-03-12T10:00:00Z',
        confidentiality: ['INVISIBLE_PATIENT'],
      }),
    ]);
    // A day of care: two documents deposited together, no encounter named.
    await inSet([
      doc('Ordonnance', { createdAt: '2026-05-04' }),
      doc('Certificat', { createdAt: '2026-05-04' }),
    ]);
    // A lone GP letter, deposited from the portal (no submission set).
    await depositDocuments(ctx, martin, [doc('Courrier au cardiologue', { createdAt: '2026-06-01' })]);

    sessions.patient = `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, marie.id, clock.now())).token}`;
    const professional = await findProfessionalByNationalId(ctx.db, '810001000115');
    sessions.gp = `${PRO_SESSION_COOKIE}=${await createProfessionalSession(ctx, professional!)}`;
    app = Fastify({ logger: false });
    await app.register(cookie);
    registerErrorHandling(app);
    await registerRecordApi(app, ctx);
  });
  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  for (const [who, url] of [
    ['the patient', () => `/api/patient/record/${marie.id}/documents?view=list`],
    ['the portal', () => `/api/pro/patients/${marie.id}/documents?view=list`],
  ] as const)
    it(`groups a stay’s documents into one episode and leaves a lone letter alone, for ${who}`, async () => {
      const body = await list(url(), who === 'the patient' ? sessions.patient : sessions.gp);
      const episodeOf = (title: string) => body.documents!.find((d) => d.title === title)!.episodeId;
      expect(episodeOf('Lettre de sortie')).toBe('encounter:SEJ-2026-17');
      expect(episodeOf('Bilan biologique d’entrée')).toBe('encounter:SEJ-2026-17');
      expect(episodeOf('Ordonnance')).toMatch(/^submission-set:/);
      expect(episodeOf('Certificat')).toBe(episodeOf('Ordonnance'));
      const letter = body.documents!.find((d) => d.title === 'Courrier au cardiologue')!;
      expect(letter.episodeId).toBe(`document:${letter.id}`);

      const episodes = new Map(body.episodes!.map((e) => [e.id, e]));
      expect(body.episodes!.map((e) => e.id)).toEqual([...new Set(body.documents!.map((d) => d.episodeId))]);
      // Counted and dated under the reader's policy: the patient does not learn of the note kept from them.
      expect(episodes.get('encounter:SEJ-2026-17')).toMatchObject({
        kind: 'encounter',
        start: '2026-03-02T00:00:00.000Z',
        ...(who === 'the patient'
          ? { end: '2026-03-09T00:00:00.000Z', documentCount: 2 }
          : { end: '2026-03-12T10:00:00.000Z', documentCount: 3 }),
      });
      expect(episodes.get(episodeOf('Ordonnance')!)).toMatchObject({
        kind: 'submission-set',
        documentCount: 2,
      });
      expect(episodes.get(letter.episodeId!)).toMatchObject({ kind: 'document', documentCount: 1 });
    });

  it('counts and dates a stay over the whole record when the page shows part of it', async () => {
    const body = await list(
      `/api/patient/record/${marie.id}/documents?view=list&q=lettre+sortie`,
      sessions.patient,
    );
    expect(body.documents!.map((d) => d.title)).toEqual(['Lettre de sortie']);
    expect(body.episodes).toEqual([
      expect.objectContaining({
        id: 'encounter:SEJ-2026-17',
        documentCount: 2,
        start: '2026-03-02T00:00:00.000Z',
        end: '2026-03-09T00:00:00.000Z',
      }),
    ]);
  });

  for (const [who, base] of [
    ['the patient', () => `/api/patient/record/${marie.id}/documents?view=list`],
    ['the portal', () => `/api/pro/patients/${marie.id}/documents?view=list`],
  ] as const)
    it(`lists exactly the documents an episode counts when asked for it, for ${who}`, async () => {
      const session = who === 'the patient' ? sessions.patient : sessions.gp;
      const all = await list(base(), session);
      for (const episode of all.episodes!) {
        const one = await list(`${base()}&episode=${encodeURIComponent(episode.id)}`, session);
        expect(one.total, episode.id).toBe(episode.documentCount);
        expect(new Set(one.documents!.map((d) => d.episodeId))).toEqual(new Set([episode.id]));
      }
      // The stay: its two or three documents (the note kept from the patient is the portal's only).
      const stay = await list(`${base()}&episode=encounter:SEJ-2026-17`, session);
      expect(stay.documents!.map((d) => d.title).sort()).toEqual(
        who === 'the patient'
          ? ['Bilan biologique d’entrée', 'Lettre de sortie']
          : ['Bilan biologique d’entrée', 'Lettre de sortie', 'Note de l’équipe soignante'],
      );
      const wrong = await app.inject({
        method: 'GET',
        url: `${base()}&episode=SEJ-2026-17`,
        headers: { cookie: session },
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json()).toMatchObject({ error: { code: 'episode-invalid', field: 'episode' } });
    });
});
