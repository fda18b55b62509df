import type { AppContext } from '../app/index.ts';
import type { PatientId } from '../identity/index.ts';
import { findInsuredById, isMinorOn, representativeEmails, type InsuredPerson } from '../insured/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { uuidv7 } from '../shared/index.ts';
import type { Executor } from '../storage/index.ts';
import { activationCodeExpiry, generateActivationCode } from './activation-code-rules.ts';
import { inTransaction } from './in-transaction.ts';
import { ACTIVATION_CODE_SUBJECT, activationCodeEmail, childActivationCodeEmail } from './messages.ts';
import { activationCodeHash } from '../auth/index.ts';

/** Revokes every pending code of a person (re-issue, opposition). */
export async function revokePendingCodes(db: Executor, patientId: PatientId, now: Date): Promise<void> {
  await db
    .updateTable('activation_codes')
    .set({ revoked_at: now.toISOString() })
    .where('patient_id', '=', patientId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
}

async function sendCode(ctx: AppContext, db: Executor, person: InsuredPerson, code: string, expiresAt: Date) {
  const now = ctx.clock.now();
  const minor = isMinorOn(person, now);
  const recipients = minor ? await representativeEmails(db, person.id) : [];
  if (recipients.length === 0 && person.email) recipients.push(person.email);
  const text = minor
    ? childActivationCodeEmail(person, code, expiresAt, ctx.config.baseUrl)
    : activationCodeEmail(person, code, expiresAt, ctx.config.baseUrl);
  for (const to of recipients) {
    await enqueueEmail(
      ctx.config,
      db,
      { to, subject: ACTIVATION_CODE_SUBJECT, text, kind: 'activation-code', patientId: person.id },
      now,
    );
  }
}

/**
 * Issues a new code provisoire (revoking the previous ones), queues it by e-mail (to the representatives
 * for a minor) in `db`'s transaction, and returns the plain code, which is stored only as a keyed hash.
 */
export async function issueActivationCode(
  ctx: AppContext,
  patientId: PatientId,
  db: Executor = ctx.db,
): Promise<string> {
  return inTransaction(db, async (trx) => {
    const person = await findInsuredById(trx, patientId);
    if (!person) throw new Error(`no insured person ${patientId}`);
    const now = ctx.clock.now();
    const code = generateActivationCode();
    const expiresAt = activationCodeExpiry(now);
    await revokePendingCodes(trx, patientId, now);
    await trx
      .insertInto('activation_codes')
      .values({
        id: uuidv7(now.getTime()),
        patient_id: patientId,
        code_hash: activationCodeHash(ctx.config, code),
        issued_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        used_at: null,
        revoked_at: null,
        attempts: 0,
      })
      .execute();
    await sendCode(ctx, trx, person, code, expiresAt);
    return code;
  });
}
