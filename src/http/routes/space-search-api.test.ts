import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../app/index.ts';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../../auth/index.ts';
import { createTestContext } from '../../auth/test-context.ts';
import { demoPerson, demoProfessional, seedDemo, seedDemoContent } from '../../demo/index.ts';
import type { InsuredPerson } from '../../insured/index.ts';
import { makePdf } from '../../record/content/test-files.ts';
import { depositDocuments } from '../../record/index.ts';
import { type TestDatabase, testDialects } from '../../storage/test-databases.ts';
import type { SpaceSearchView } from '../contracts/overview-api.ts';
import { registerErrorHandling } from '../errors.ts';
import { registerOverviewApi } from './overview-api.ts';

const clock = { now: () => new Date('2026-12-06T10:00:00Z') };

describe.each(testDialects)(
  'the patient space’s search across documents, messages and profile (%s)',
  (dialect) => {
    let ctx: AppContext;
    let database: TestDatabase;
    let app: FastifyInstance;
    let marie: InsuredPerson;
    let chloe: InsuredPerson;
    let marieSession: string;
    let emilieSession: string;

    const search = async (patientId: string, q: string, session = marieSession) =>
      app.inject({
        method: 'GET',
        url: `/api/patient/record/${patientId}/search?q=${encodeURIComponent(q)}`,
        headers: { cookie: session },
      });
    const found = async (patientId: string, q: string, session = marieSession) => {
      const response = await search(patientId, q, session);
      expect(response.statusCode).toBe(200);
      return response.json<SpaceSearchView>();
    };

    beforeAll(async () => {
      ({ ctx, database } = await createTestContext(dialect, { clock }));
      await seedDemo(ctx);
      // Marie's profile (her penicillin allergy) and her GP's message about her HbA1c.
      await seedDemoContent(ctx);
      marie = await demoPerson(ctx, 'marie');
      chloe = await demoPerson(ctx, 'chloe');
      const emilie = await demoPerson(ctx, 'emilie');
      const session = async (person: InsuredPerson) =>
        `${PATIENT_SESSION_COOKIE}=${(await createPatientSession(ctx.db, person.id, clock.now())).token}`;
      marieSession = await session(marie);
      emilieSession = await session(emilie);
      const martin = await demoProfessional(ctx, '10001000115');
      const pdf = await makePdf('Compte rendu');
      const deposit = (patientId: InsuredPerson['id'], title: string) => ({
        patientId,
        typeCode: '11488-4',
        title,
        content: pdf,
        declaredContentType: 'application/pdf',
      });
      await depositDocuments(ctx, martin, [deposit(marie.id, 'Échographie abdominale')]);
      await depositDocuments(ctx, martin, [deposit(chloe.id, 'Bilan orthophonique')]);
      app = Fastify({ logger: false });
      await app.register(cookie);
      registerErrorHandling(app);
      await registerOverviewApi(app, ctx);
    });
    afterAll(async () => {
      await app?.close();
      await database?.destroy();
    });

    it('finds a message by a word of its body, with the thread to open and the passage', async () => {
      const body = await found(marie.id, 'hba1c stable');
      expect(body.words).toEqual(['hba1c', 'stable']);
      expect(body.messages?.total).toBe(1);
      const [hit] = body.messages!.items;
      expect(hit).toMatchObject({ subject: 'Votre prochain bilan de suivi', direction: 'inbound' });
      expect(hit!.excerpt).toContain('Votre dernière HbA1c est stable.');
      expect(hit!.threadId).toEqual(expect.any(String));
      expect(body.documents.total).toBe(0);
      // Every word must start a word: « stable » is there, « instable » is not.
      expect((await found(marie.id, 'hba1c instable')).messages?.total).toBe(0);
    });

    it('finds a profile entry by its name, accents and case ignored, with its section', async () => {
      const body = await found(marie.id, 'PENICIL');
      expect(body.profile.items).toEqual([
        expect.objectContaining({ section: 'allergies', sectionLabel: 'Allergies' }),
      ]);
      expect(body.profile.items[0]!.label).toMatch(/^Pénicilline/);
      expect(body.messages?.total).toBe(0);
    });

    it('finds a document by the words of its title, under the list’s own rule', async () => {
      const body = await found(marie.id, 'echo abdo');
      expect(body.documents.total).toBe(1);
      expect(body.documents.items[0]).toMatchObject({ title: 'Échographie abdominale', isNew: true });
      expect(body.profile.total).toBe(0);
      // One letter is no word: it finds nothing, rather than most of the record.
      const one = await found(marie.id, 'e');
      expect([one.words, one.documents.total, one.profile.total, one.messages?.total]).toEqual([[], 0, 0, 0]);
    });

    it('lets a parent search their child’s space, not another’s, and traces the refusal without the words', async () => {
      const child = await found(chloe.id, 'orthophonique', emilieSession);
      expect(child.documents.items.map((d) => d.title)).toEqual(['Bilan orthophonique']);
      expect((await found(marie.id, 'orthophonique')).documents.total).toBe(0);

      const refused = await search(marie.id, 'penicilline', emilieSession);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'not-own-record']);
      const traces = await ctx.db
        .selectFrom('audit_events')
        .select(['action', 'outcome', 'detail'])
        .where('patient_id', '=', marie.id)
        .where('action', '=', 'search')
        .orderBy('seq')
        .execute();
      const denied = traces.filter((t) => t.outcome === 'denied');
      expect(denied.map((t) => JSON.parse(t.detail))).toEqual([
        expect.objectContaining({ view: 'space-search', refusal: 'not-own-record' }),
      ]);
      // The searched words are health data: no trace keeps them.
      const all = traces.map((t) => t.detail).join('\n');
      for (const word of ['penicil', 'hba1c', 'echo', 'orthophon'])
        expect(all.toLowerCase()).not.toContain(word);
      expect(traces.filter((t) => t.outcome === 'success').map((t) => JSON.parse(t.detail))).toContainEqual(
        expect.objectContaining({ view: 'space-search', documents: 1, profileEntries: 0 }),
      );
    });

    it('finds nothing without words, and refuses someone else’s record whatever the query', async () => {
      const empty = await app.inject({
        method: 'GET',
        url: `/api/patient/record/${marie.id}/search`,
        headers: { cookie: marieSession },
      });
      expect(empty.statusCode).toBe(200);
      expect(empty.json()).toMatchObject({
        words: [],
        documents: { total: 0, items: [] },
        profile: { total: 0, items: [] },
      });
      // Another's record is refused before its query is read: no answer tells a missing word from a closed door.
      const elsewhere = await app.inject({
        method: 'GET',
        url: `/api/patient/record/${marie.id}/search`,
        headers: { cookie: emilieSession },
      });
      expect([elsewhere.statusCode, elsewhere.json().error.code]).toEqual([403, 'not-own-record']);
      expect(
        (await app.inject({ method: 'GET', url: `/api/patient/record/${marie.id}/search?q=x` })).statusCode,
      ).toBe(401);
    });
  },
);
