import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfessionalPrincipal } from '../access/principal.ts';
import type { AppContext } from '../app/context.ts';
import { createTestContext } from '../auth/test-context.ts';
import { demoProfessional, patientPrincipal } from '../demo/principals.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { aldLine, careLine, importInsurerFeed } from '../insurer/index.ts';
import { fileAttachmentIntoRecord, listInbox, readThread, receiveInbound } from '../messaging/index.ts';
import { professionalMessage } from '../messaging/test-fixtures.ts';
import { makePdf } from '../record/content/test-files.ts';
import { depositCountsByMonth, depositDocuments } from '../record/index.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { emptyVsmContent, writeVsm } from '../vsm/index.ts';
import { professionalIndicators } from './indicators.ts';

const MARTIN_RPPS = '10001000115';
const MARTIN_ADDRESS = 'dr.martin@cabinet.mssante.fr';
const OTHER_RPPS = '10001000511'; // Dr Leroy
const ins = {
  jean: '168047505611243',
  marie: '271096912304585',
  karim: '185121305523150',
  emilie: '290063306307802',
};

/**
 * One constructed month of Dr Martin's activity (March 2026), with what must not count around it, checked number by
 * number: consultations from the insurer's feed, deposits within and outside the 30 days, messages, VSMs for a
 * patient in ALD and for one whose ALD has ended, and an attachment a patient filed from her message.
 */
describe.each(testDialects)('professional indicators on %s', (dialect) => {
  let ctx: AppContext;
  let database: TestDatabase;
  let now = '2026-01-05T09:00:00.000Z';
  let martin: ProfessionalPrincipal;
  const people = {} as Record<keyof typeof ins, InsuredPerson>;
  const at = (instant: string) => {
    now = instant;
  };
  const deposit = (person: InsuredPerson, title: string) =>
    makePdf(title).then((content) =>
      depositDocuments(ctx, martin, [
        {
          patientId: person.id,
          typeCode: '11488-4',
          title,
          content,
          declaredContentType: 'application/pdf',
        },
      ]),
    );
  const message = async (person: InsuredPerson, id: string, attachment?: Buffer) =>
    receiveInbound(ctx, {
      envelopeFrom: MARTIN_ADDRESS,
      recipients: [`${person.ins}@patient.mssante.fr`],
      raw: await professionalMessage({
        messageId: `<${id}@cabinet.mssante.fr>`,
        subject: 'Suite de votre consultation',
        ...(attachment ? { attachments: [{ filename: 'compte-rendu.pdf', content: attachment }] } : {}),
      }),
    });
  const vsm = (person: InsuredPerson) =>
    writeVsm(ctx, martin, person.id, {
      sections: {
        ...emptyVsmContent(),
        therapeuticProject: { items: [{ text: 'Suivi trimestriel' }], note: '' },
      },
    });

  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock: { now: () => new Date(now) } }));
    await seedDemo(ctx);
    for (const [name, value] of Object.entries(ins))
      people[name as keyof typeof ins] = (await findInsuredByIns(ctx.db, value as Ins))!;
    martin = await demoProfessional(ctx, MARTIN_RPPS);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('counts reimbursed consultations and what followed them within 30 days, and VSMs apart for ALD', async () => {
    const { jean, marie, karim, emilie } = people;
    // February: Dr Martin writes to Émilie with a report attached (before her consultation).
    at('2026-02-10T10:00:00.000Z');
    await message(emilie, 'feb-emilie', Buffer.from(await makePdf('Compte rendu')));
    // 1 March: a deposit for Karim, 2 days after his February consultation (counts for February).
    at('2026-03-01T10:00:00.000Z');
    await deposit(karim, 'Compte rendu de consultation');
    // 2 March: the same day as Jean's consultation; a message to him on 5 March.
    at('2026-03-02T15:00:00.000Z');
    await deposit(jean, 'Compte rendu de consultation');
    at('2026-03-05T11:00:00.000Z');
    await message(jean, 'mar-jean');
    // 12 March: Marie's VSM, 2 days after her teleconsultation; she is in ALD.
    at('2026-03-12T09:00:00.000Z');
    await vsm(marie);
    // 18 March: Jean's VSM; his ALD ended on 31 January.
    at('2026-03-18T09:00:00.000Z');
    await vsm(jean);
    // 21 March: Émilie files the attachment of February's message into her record: her deposit, not his.
    at('2026-03-21T08:00:00.000Z');
    const [summary] = await listInbox(ctx, patientPrincipal(emilie), emilie.id);
    const thread = await readThread(ctx, patientPrincipal(emilie), emilie.id, summary!.threadId);
    const received = thread.messages[0]!;
    const filed = await fileAttachmentIntoRecord(
      ctx,
      patientPrincipal(emilie),
      emilie.id,
      received.id,
      received.attachments[0]!.id,
    );
    expect(filed.author.nationalId).toBe(martin.nationalId);
    // 20 April: a deposit for Karim 36 days after his home visit of 15 March: too late for it.
    at('2026-04-20T10:00:00.000Z');
    await deposit(karim, 'Courrier');

    // The insurer's feed, as it arrives in late April.
    at('2026-04-25T07:00:00.000Z');
    const soin = (lineId: string, who: string, date: string, nature?: string, rpps = MARTIN_RPPS) =>
      careLine({
        lineId,
        ins: who,
        date,
        category: 'maladie',
        label: nature === 'acte' ? 'Électrocardiogramme' : 'Consultation de médecine générale',
        professional: rpps === MARTIN_RPPS ? 'Dr Claire MARTIN' : 'Dr Sophie LEROY',
        rpps,
        amountCents: 3000,
        ...(nature ? { nature: nature as never } : {}),
      });
    const feed = [
      soin('T1', ins.jean, '2026-03-02', 'consultation'),
      soin('T2', ins.marie, '2026-03-10', 'teleconsultation'),
      soin('T3', ins.karim, '2026-02-27', 'consultation'),
      soin('T4', ins.karim, '2026-03-15', 'visite'),
      soin('T5', ins.emilie, '2026-03-20', 'consultation'),
      soin('T6', ins.jean, '2026-03-25', 'acte'), // a technical act, not a consultation
      soin('T7', ins.jean, '2026-03-26', 'consultation', OTHER_RPPS), // another doctor's
      soin('T8', ins.jean, '2026-03-27'), // no nature given: not counted
      aldLine({ lineId: 'A1', ins: ins.marie, date: '2020-01-01', endDate: undefined }),
      aldLine({ lineId: 'A2', ins: ins.jean, date: '2015-01-01', endDate: '2026-01-31' }),
    ].join('\n');
    const report = await importInsurerFeed(ctx, { bytes: Buffer.from(feed) }, 'avril.txt');
    expect(report.rejected).toEqual([]);
    expect([report.careAdded, report.aldAdded]).toEqual([8, 2]);

    const figures = await professionalIndicators(ctx, martin, 3);
    expect(figures.months.map((m) => m.month)).toEqual(['2026-02', '2026-03', '2026-04']);
    const [february, march, april] = figures.months;
    expect(february).toMatchObject({
      consultations: 1,
      withDeposit: 1,
      withMessage: 0,
      provisional: false,
      deposits: 0,
    });
    expect(march).toEqual({
      month: '2026-03',
      consultations: 4,
      withDeposit: 2,
      withMessage: 1,
      depositShare: 0.5,
      messageShare: 0.25,
      depositMet: true,
      messageMet: true,
      provisional: true,
      deposits: 4,
      vsmAld: 1,
      vsmOther: 1,
    });
    expect(april).toMatchObject({ consultations: 0, deposits: 1, vsmAld: 0, vsmOther: 0 });

    // « Mes dépôts »: Émilie's filing is not Dr Martin's deposit.
    expect(await depositCountsByMonth(ctx, martin)).toEqual([
      { month: '2026-04', count: 1 },
      { month: '2026-03', count: 4 },
    ]);
    // Another doctor sees only their own consultation.
    const leroy = await professionalIndicators(ctx, await demoProfessional(ctx, OTHER_RPPS), 2);
    expect(leroy.months.map((m) => m.consultations)).toEqual([1, 0]);
    await expect(professionalIndicators(ctx, martin, 0)).rejects.toMatchObject({ code: 'months-invalid' });
  });
});
