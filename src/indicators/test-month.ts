// A constructed month of Dr Martin's activity, for the indicators' tests and browser journey (not shipped code).
import type { AppContext } from '../app/index.ts';
import { demoProfessional, patientPrincipal } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns, type InsuredPerson } from '../insured/index.ts';
import { aldLine, careLine, importInsurerFeed, type CareNature } from '../insurer/index.ts';
import { fileAttachmentIntoRecord, listInbox, readThread, receiveInbound } from '../messaging/index.ts';
import { professionalMessage } from '../messaging/test-fixtures.ts';
import { makePdf } from '../record/content/test-files.ts';
import { depositDocuments } from '../record/index.ts';
import { emptyVsmContent, writeVsm } from '../vsm/index.ts';
import { addDays } from './rules.ts';

export const MARTIN_RPPS = '10001000115';
export const OTHER_RPPS = '10001000511'; // Dr Sophie Leroy
const MARTIN_ADDRESS = 'dr.martin@cabinet.mssante.fr';
export const monthIns = {
  jean: '168047505611243',
  marie: '271096912304585',
  karim: '185121305523150',
  emilie: '290063306307802',
} as const;

/** The month before or after `month` (`YYYY-MM`). */
export const shiftMonth = (month: string, by: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
};

/** What the constructed month must give. */
export const expectedMonth = {
  previous: { consultations: 1, withDeposit: 1, withMessage: 0, deposits: 0 },
  month: {
    consultations: 4,
    withDeposit: 2,
    withMessage: 1,
    depositShare: 0.5,
    messageShare: 0.25,
    depositMet: true,
    messageMet: true,
    deposits: 4,
    vsmAld: 1,
    vsmOther: 1,
  },
  next: { consultations: 0, deposits: 1, vsmAld: 0, vsmOther: 0 },
} as const;

/**
 * Builds, on the demo people (`seedDemo` done), Dr Martin's activity around `month` (M), moving the clock with
 * `setNow` (instants of M−1, M and M+1; the feed arrives on day 25 of M+1):
 *
 * - M−1, day 10: a message to Émilie with a report attached; day 27: Karim's consultation.
 * - M, day 1: a deposit for Karim (counts for his M−1 consultation, not for his visit of M-15).
 * - M, day 2: Jean's consultation and a deposit the same day; day 5: a message to Jean.
 * - M, day 10: Marie's teleconsultation; day 12: her VSM (she is in ALD).
 * - M, day 15: Karim's home visit; the next deposit for him comes on day 20 of M+1, more than 30 days later.
 * - M, day 18: Jean's VSM (his ALD ended in M−1); day 20: Émilie's consultation; day 21: she files the report of
 *   M−1's message into her record (her deposit, not his).
 * - In the feed, not consultations of Dr Martin: a technical act, another doctor's consultation, a line without
 *   its nature.
 */
export async function buildIndicatorMonth(
  ctx: AppContext,
  setNow: (instant: string) => void,
  month: string,
): Promise<void> {
  const before = shiftMonth(month, -1);
  const after = shiftMonth(month, 1);
  const day = (m: string, d: number) => `${m}-${String(d).padStart(2, '0')}`;
  // Messages are dated by the moved clock too: a filed attachment takes its message's date.
  let current = '';
  const at = (m: string, d: number, time: string) => {
    current = `${day(m, d)}T${time}:00.000Z`;
    setNow(current);
  };
  const martin = await demoProfessional(ctx, MARTIN_RPPS);
  const person = async (ins: string): Promise<InsuredPerson> => (await findInsuredByIns(ctx.db, ins as Ins))!;
  const [jean, marie, karim, emilie] = await Promise.all([
    person(monthIns.jean),
    person(monthIns.marie),
    person(monthIns.karim),
    person(monthIns.emilie),
  ]);
  const deposit = async (p: InsuredPerson, title: string) =>
    depositDocuments(ctx, martin, [
      {
        patientId: p.id,
        typeCode: '11488-4',
        title,
        content: await makePdf(title),
        declaredContentType: 'application/pdf',
      },
    ]);
  const message = async (p: InsuredPerson, id: string, attachment?: Buffer) =>
    receiveInbound(ctx, {
      envelopeFrom: MARTIN_ADDRESS,
      recipients: [`${p.ins}@patient.mssante.fr`],
      raw: await professionalMessage({
        messageId: `<${id}-${month}@cabinet.mssante.fr>`,
        subject: 'Suite de votre consultation',
        date: new Date(current),
        ...(attachment ? { attachments: [{ filename: 'compte-rendu.pdf', content: attachment }] } : {}),
      }),
    });
  const vsm = (p: InsuredPerson) =>
    writeVsm(ctx, martin, p.id, {
      sections: {
        ...emptyVsmContent(),
        therapeuticProject: { items: [{ text: 'Suivi trimestriel' }], note: '' },
      },
    });

  at(before, 10, '10:00');
  await message(emilie, 'report', Buffer.from(await makePdf('Compte rendu')));
  at(month, 1, '10:00');
  await deposit(karim, 'Compte rendu de consultation');
  at(month, 2, '15:00');
  await deposit(jean, 'Compte rendu de consultation');
  at(month, 5, '11:00');
  await message(jean, 'follow-up');
  at(month, 12, '09:00');
  await vsm(marie);
  at(month, 18, '09:00');
  await vsm(jean);
  at(month, 21, '08:00');
  const asEmilie = patientPrincipal(emilie);
  const threads = await listInbox(ctx, asEmilie, emilie.id);
  const thread = await readThread(ctx, asEmilie, emilie.id, threads[0]!.threadId);
  const received = thread.messages[0]!;
  await fileAttachmentIntoRecord(ctx, asEmilie, emilie.id, received.id, received.attachments[0]!.id);
  at(after, 20, '10:00');
  await deposit(karim, 'Courrier');

  at(after, 25, '07:00');
  const soin = (lineId: string, ins: string, date: string, nature?: CareNature, rpps = MARTIN_RPPS) =>
    careLine({
      lineId: `${lineId}-${month}`,
      ins,
      date,
      category: 'maladie',
      label: nature === 'acte' ? 'Électrocardiogramme' : 'Consultation de médecine générale',
      professional: rpps === MARTIN_RPPS ? 'Dr Claire MARTIN' : 'Dr Sophie LEROY',
      rpps,
      amountCents: 3000,
      nature,
    });
  const feed = [
    soin('T1', jean.ins, day(month, 2), 'consultation'),
    soin('T2', marie.ins, day(month, 10), 'teleconsultation'),
    soin('T3', karim.ins, day(before, 27), 'consultation'),
    soin('T4', karim.ins, day(month, 15), 'visite'),
    soin('T5', emilie.ins, day(month, 20), 'consultation'),
    soin('T6', jean.ins, day(month, 25), 'acte'),
    soin('T7', jean.ins, day(month, 26), 'consultation', OTHER_RPPS),
    soin('T8', jean.ins, day(month, 27)),
    aldLine({ lineId: `A1-${month}`, ins: marie.ins, date: '2020-01-01', endDate: undefined }),
    aldLine({ lineId: `A2-${month}`, ins: jean.ins, date: '2015-01-01', endDate: day(before, 15) }),
  ].join('\n');
  const report = await importInsurerFeed(ctx, { bytes: Buffer.from(feed) }, `releve-${month}.txt`);
  if (report.rejected.length > 0) throw new Error(`feed rejected: ${JSON.stringify(report.rejected)}`);
  if (addDays(day(month, 15), 30) >= day(after, 20)) throw new Error('the late deposit is not late');
}
