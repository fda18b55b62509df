import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoPerson, demoProfessional, seedDemo } from '../demo/index.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { startMailSystem, type MailSystem, claimDueEmails } from '../mail/index.ts';
import { startSmtpSink, type SmtpSink } from '../mail/test-smtp-sink.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { makePdf } from './content/test-files.ts';
import { depositDocuments } from './index.ts';
import { addNewDocuments, newDocumentsNotice, type NewDocumentsTally } from './notifications.ts';

const WINDOW_SECONDS = 600;

describe.each(testDialects)(
  'a burst of deposits gives the patient one "new documents" e-mail, on %s',
  (dialect) => {
    let ctx: AppContext;
    let database: TestDatabase;
    let relay: SmtpSink;
    let mail: MailSystem;
    let jean: InsuredPerson;
    /** The test's clock runs with the wall clock, plus what the test skips. */
    let skippedMs = 0;

    const unsent = async () =>
      (await ctx.db.selectFrom('outbox').select('id').where('sent_at', 'is', null).execute()).length;

    /** Lets the coalescing window pass and waits until the worker has sent every due e-mail. */
    async function windowPasses(): Promise<void> {
      skippedMs += (WINDOW_SECONDS + 1) * 1000;
      mail.kick();
      const deadline = Date.now() + 20_000;
      while ((await unsent()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await unsent()).toBe(0);
    }

    const toJean = () => relay.received.filter((m) => m.to.includes('jean.dupont@mail.example'));

    const deposit = async (title: string) =>
      depositDocuments(ctx, await demoProfessional(ctx), [
        {
          patientId: jean.id,
          typeCode: '11488-4',
          title,
          content: await makePdf(title),
          declaredContentType: 'application/pdf',
        },
      ]);

    beforeAll(async () => {
      relay = await startSmtpSink();
      ({ ctx, database } = await createTestContext(dialect, {
        env: {
          CARNET_SMTP_RELAY: `127.0.0.1:${relay.port}`,
          CARNET_NOTICE_COALESCE_SECONDS: String(WINDOW_SECONDS),
          CARNET_LOG_LEVEL: 'silent',
        },
        clock: { now: () => new Date(Date.now() + skippedMs) },
      }));
      await seedDemo(ctx);
      jean = await demoPerson(ctx, 'jean');
      mail = await startMailSystem(ctx, { pollMs: 20 });
      // The doctor's first deposit records their care relation, which concurrent first deposits would race for.
      await deposit('Première consultation');
      // What the demo seeding and that deposit queued leaves first.
      await windowPasses();
    });
    afterAll(async () => {
      await mail?.stop();
      await relay?.stop();
      await database?.destroy();
    });

    it('five deposits at once: one e-mail, after the window, saying five documents and no title', async () => {
      const before = toJean().length;
      const titles = ['Bilan sanguin', 'Radio du thorax', 'Ordonnance', 'Compte rendu', 'Certificat'];
      await Promise.all(titles.map((title) => deposit(title)));
      // Nothing is due before the window ends: the worker cannot have taken it.
      const due = await claimDueEmails(ctx.db, ctx.dialect, {
        now: ctx.clock.now(),
        limit: 10,
        leaseMs: 1,
        maxAttempts: 10,
      });
      expect(due).toEqual([]);
      expect(await unsent()).toBe(1);

      await windowPasses();
      const sent = toJean().slice(before);
      expect(sent).toHaveLength(1);
      expect(sent[0]!.subject).toBe('5 nouveaux documents ont été ajoutés à votre dossier médical');
      expect(sent[0]!.text).toContain(
        '5 nouveaux documents ont été ajoutés à votre dossier par Dr Claire MARTIN',
      );
      for (const title of titles) expect(sent[0]!.text).not.toContain(title);
    });

    it('a deposit after the e-mail went makes a new e-mail, which a later deposit in its window joins', async () => {
      const before = toJean().length;
      await deposit('Échographie');
      await windowPasses();
      const first = toJean().slice(before);
      expect(first).toHaveLength(1);
      expect(first[0]!.subject).toBe('Un nouveau document a été ajouté à votre dossier médical');
      expect(first[0]!.text).toContain(
        'Un nouveau document a été ajouté à votre dossier par Dr Claire MARTIN (Médecin).',
      );

      await deposit('Scanner');
      await deposit('IRM');
      await windowPasses();
      const second = toJean().slice(before + 1);
      expect(second).toHaveLength(1);
      expect(second[0]!.text).toContain('2 nouveaux documents ont été ajoutés à votre dossier');
      expect(new Set(toJean().map((m) => m.messageId)).size).toBe(toJean().length);
    });
  },
);

describe('the "new documents" e-mail names who deposited, never what', () => {
  const martin = { name: 'Dr Claire MARTIN', professionCode: undefined };
  const lab = { name: 'Laboratoire Biolab', professionCode: undefined };
  const text = (tally: NewDocumentsTally) => newDocumentsNotice(tally).body('votre dossier');

  it('counts every document and lists each author once, the fourth and later as others', () => {
    let tally = addNewDocuments(undefined, 1, martin);
    expect(text(tally)).toBe('Un nouveau document a été ajouté à votre dossier par Dr Claire MARTIN.');
    tally = addNewDocuments(tally, 2, martin);
    expect(text(tally)).toBe('3 nouveaux documents ont été ajoutés à votre dossier par Dr Claire MARTIN.');
    tally = addNewDocuments(tally, 1, lab);
    expect(text(tally)).toBe(
      '4 nouveaux documents ont été ajoutés à votre dossier par Dr Claire MARTIN et Laboratoire Biolab.',
    );
    tally = addNewDocuments(tally, 1, { name: 'Dr Paul DURAND', professionCode: undefined });
    tally = addNewDocuments(tally, 1, { name: 'Dr Lina HADDAD', professionCode: undefined });
    expect(text(tally)).toBe(
      '6 nouveaux documents ont été ajoutés à votre dossier par Dr Claire MARTIN, Laboratoire Biolab, ' +
        'Dr Paul DURAND et d’autres professionnels.',
    );
    expect(newDocumentsNotice(tally).subject).toBe(
      '6 nouveaux documents ont été ajoutés à votre dossier médical',
    );
  });
});
