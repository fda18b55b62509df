import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPerson, demoProfessional, patientPrincipal, seedDemo } from '../demo/index.ts';
import type { AppContext } from '../app/index.ts';
import { createTestContext } from '../auth/test-context.ts';
import type { InsuredPerson } from '../insured/index.ts';
import { notifyNewMessage } from '../messaging/index.ts';
import { makePdf } from '../record/content/test-files.ts';
import { depositDocuments } from '../record/index.ts';
import { type TestDatabase, testDialects } from '../storage/test-databases.ts';
import { updateNotificationPreferences } from '../profile/index.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';

describe.each(testDialects)(
  'notification preferences silence what the patient turned off, on %s',
  (dialect) => {
    let ctx: AppContext;
    let database: TestDatabase;
    let jean: InsuredPerson;

    beforeAll(async () => {
      ({ ctx, database } = await createTestContext(dialect));
      await seedDemo(ctx);
      jean = await demoPerson(ctx, 'jean');
    });
    afterAll(() => database?.destroy());

    const mailCount = async (subject: string) =>
      (await outgoingEmails(ctx)).filter((m) => m.patient_id === jean.id && m.subject.includes(subject))
        .length;

    it('new-document e-mails follow the "documents" preference', async () => {
      const martin = await demoProfessional(ctx);
      const deposit = async (title: string) =>
        depositDocuments(ctx, martin, [
          {
            patientId: jean.id,
            typeCode: '11488-4',
            title,
            content: await makePdf(title),
            declaredContentType: 'application/pdf',
          },
        ]);
      const before = await mailCount('nouveau document');
      await updateNotificationPreferences(ctx, patientPrincipal(jean), jean.id, { documents: false });
      await deposit('Consultation du lundi');
      expect(await mailCount('nouveau document')).toBe(before);
      await updateNotificationPreferences(ctx, patientPrincipal(jean), jean.id, { documents: true });
      await deposit('Consultation du mardi');
      expect(await mailCount('nouveau document')).toBe(before + 1);
    });

    it('new-message e-mails follow the "messages" preference, but an invitation to activate always leaves', async () => {
      await updateNotificationPreferences(ctx, patientPrincipal(jean), jean.id, { messages: false });
      const now = ctx.clock.now();
      expect(await notifyNewMessage(ctx, ctx.db, jean, 'activated', now)).toBe(0);
      expect(await notifyNewMessage(ctx, ctx.db, jean, 'created', now)).toBe(1);
      await updateNotificationPreferences(ctx, patientPrincipal(jean), jean.id, { messages: true });
      expect(await notifyNewMessage(ctx, ctx.db, jean, 'activated', now)).toBe(1);
    });
  },
);
