import type { AppContext } from '../app/index.ts';
import type { ProfessionalPrincipal } from '../access/index.ts';
import type { Ins, Rpps } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { declareConsent, depositDocuments } from '../record/index.ts';
import { uuidv7 } from '../shared/index.ts';
import { valueSetConcepts } from '../terminology/index.ts';
import { simplePdf } from './demo-pdf.ts';
import {
  LONG_TERM_INS,
  longTermAuthors,
  longTermRecord,
  type LongTermOptions,
  type PlannedSubmission,
} from './long-term-record.ts';
import { demoProfessional } from './principals.ts';

/** Deposits in flight at once: 4 took the seeding from 13 s to 7.5 s on SQLite, 26 s to 9 s on PostgreSQL. */
const IN_FLIGHT = 4;
/** A producer's software deposits a little after the document is signed. */
const DEPOSIT_DELAY_MS = 20 * 60_000;

export interface LongTermSeedReport {
  readonly documents: number;
  readonly submissions: number;
}

const pdfFormat = (() => {
  const found = valueSetConcepts('format').find((c) => c.code === 'urn:ihe:iti:xds-sd:pdf:2008')!;
  return { system: found.system, code: found.code, display: found.display };
})();

/**
 * Deposits Hélène Brunet's ten years of documents (long-term-record.ts) the way producers do: each professional
 * deposits their own day of care, or their part of a hospital stay, as one submission set through
 * `depositDocuments` (policy, audit, contents sealed and synced), each as of the day it was written. One call
 * per submission makes about 770 transactions rather than a thousand. Her GP and the two hospital specialists who follow her read the
 * record with her consent, declared first as the other demo patients' GP does (vsm-seed.ts).
 *
 * `serve --demo` runs it on an empty database only (seed.ts): the tests that seed the demo people do not pay for a
 * thousand deposits. Run after `seedDemo`; a record that already holds documents is left alone (a seeding
 * interrupted halfway stays half done). Dates count back from the clock's today.
 */
export async function seedDemoLongTermRecord(
  ctx: AppContext,
  options: LongTermOptions = {},
): Promise<LongTermSeedReport> {
  const person = await findInsuredByIns(ctx.db, LONG_TERM_INS as Ins);
  if (!person) return { documents: 0, submissions: 0 };
  const existing = await ctx.db
    .selectFrom('documents')
    .select('id')
    .where('patient_id', '=', person.id)
    .limit(1)
    .executeTakeFirst();
  if (existing) return { documents: 0, submissions: 0 };

  const principals = new Map<Rpps, ProfessionalPrincipal>();
  for (const rpps of new Set(Object.values(longTermAuthors))) {
    principals.set(rpps, await demoProfessional(ctx, rpps));
  }
  for (const rpps of [longTermAuthors.gp, longTermAuthors.cardiologist, longTermAuthors.endocrinologist]) {
    await declareConsent(ctx, principals.get(rpps)!, person.id);
  }

  const today = ctx.clock.now();
  const plan = longTermRecord(today, options);
  let documents = 0;
  const deposit = async (submission: PlannedSubmission) => {
    // Deposited when it was written (a stay's part at discharge), not all today: the deposit dates, the audit
    // trail and the GP's indicators then tell the ten years too.
    const written = Math.max(...submission.documents.map((d) => Date.parse(d.createdAt)));
    const at = new Date(Math.min(written + DEPOSIT_DELAY_MS, today.getTime()));
    const then: AppContext = { ...ctx, clock: { now: () => at } };
    const id = uuidv7(at.getTime());
    const inputs = submission.documents.map((d) => ({
      patientId: person.id,
      masterIdentifier: d.masterIdentifier,
      typeCode: d.typeCode,
      title: d.title,
      createdAt: d.createdAt,
      ...(d.serviceStart ? { serviceStart: d.serviceStart } : {}),
      ...(d.serviceEnd ? { serviceEnd: d.serviceEnd } : {}),
      content: simplePdf(
        d.title,
        d.lines.map((text, i) => ({ text, heading: i === 0 })),
      ),
      declaredContentType: 'application/pdf',
      submissionSetId: id,
      metadata: {
        format: pdfFormat,
        language: 'fr-FR',
        facilityType: d.facilityType,
        practiceSetting: d.practiceSetting,
        related: d.related,
      },
    }));
    await depositDocuments(then, principals.get(submission.authorRpps)!, inputs, {
      patient: person,
      submissionSet: {
        id,
        input: {
          masterIdentifier: submission.masterIdentifier,
          sourceId: undefined,
          contentType: undefined,
          title: submission.title,
          comments: undefined,
        },
      },
    });
    documents += inputs.length;
  };
  // A few deposits in flight: each waits mostly on its contents' fsync, which overlap; the transactions still
  // take their turn on the record.
  let next = 0;
  const worker = async () => {
    while (next < plan.length) await deposit(plan[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { documents, submissions: plan.length };
}
