import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import {
  endPendingSignIns,
  findAccountByPatient,
  checkPassword,
  OTP_DIGITS,
  OTP_MAX_ATTEMPTS,
  generateOneTimeCode,
  oneTimeCodeHash,
  admitPasswordCheck,
  hashPassword,
  revokePatientSessions,
  knownRefusal,
  rateRules,
  takeAttempt,
  sameHash,
} from '../auth/index.ts';
import { representedMinors, findInsuredByIns } from '../insured/index.ts';
import { revokeAppTokensGrantedBy } from '../connections/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { enqueueEmail } from '../mail/index.ts';
import { trace } from '../record/index.ts';
import { invalid, type CarnetError, uuidv7 } from '../shared/index.ts';
import { normalizeSerial, parseNir } from './activation.ts';
import { NOBODY } from './code-check.ts';
import {
  PASSWORD_RESET_CODE_SUBJECT,
  PASSWORD_RESET_NOTICE_SUBJECT,
  passwordResetCodeEmail,
  passwordResetNoticeEmail,
} from './messages.ts';

/** A « mot de passe oublié » code is valid this long, once, for OTP_MAX_ATTEMPTS tries. */
export const PASSWORD_RESET_MINUTES = 15;

/**
 * Every answer to a request takes at least this long. Sending a code (a row and an e-mail written) takes a few
 * milliseconds more than sending nothing (measured: a median of 10–20 ms against 3–9 ms); waiting up to a floor
 * well above both leaves nothing to time. Past the floor (a loaded server), the difference shows again, blurred.
 */
export const PASSWORD_RESET_ANSWER_MS = 250;

/** Compared against when no request matched: the HMAC of a code is never this. */
const NO_CODE_HASH = '0'.repeat(64);

export const PASSWORD_RESET_MESSAGE =
  'Si ces informations correspondent à un compte Mon espace santé activé, un code vient d’être envoyé à son adresse électronique. Il est valable 15 minutes.';

/**
 * The one refusal of a code: wrong, expired, already used, replaced by a newer request, tried too often, or a
 * request that matched nobody. Whoever did not receive the e-mail learns nothing from it.
 */
export const resetCodeRefused = () =>
  invalid(
    'password-reset-code-invalid',
    'Ce code est incorrect ou n’est plus valable (il sert une seule fois, pendant 15 minutes). Vérifiez-le, ou demandez un nouveau code.',
    'code',
  );

/** What refuses a « mot de passe oublié » request before its body is read: the address known over its limit. */
export function passwordResetRefusedEarly(ctx: AppContext, ip: string): CarnetError | undefined {
  return knownRefusal(ctx.db, [rateRules.passwordResetIp(ip)], ctx.clock.now());
}

/**
 * « Mot de passe oublié », step 1: NIR and carte Vitale serial. When they name an activated profile with an
 * account and an e-mail address, a code goes there (and any earlier request of that person stops working);
 * otherwise nothing is sent. The answer is the same either way (a request id and one sentence), after the same
 * queries: it does not tell whether anyone is registered.
 */
export async function requestPasswordReset(
  ctx: AppContext,
  input: { nir: string; vitaleSerial: string; ip: string },
  answerFloorMs = PASSWORD_RESET_ANSWER_MS,
): Promise<{ requestId: string; message: string }> {
  const ins = parseNir(input.nir);
  const now = ctx.clock.now();
  await takeAttempt(ctx.db, rateRules.passwordResetIp(input.ip), now);
  await takeAttempt(ctx.db, rateRules.passwordReset(ins), now);
  const started = performance.now();
  const requestId = uuidv7(now.getTime());
  const code = generateOneTimeCode();
  const codeHash = oneTimeCodeHash(ctx.config, requestId, code);
  const person = await findInsuredByIns(ctx.db, ins);
  const account = await findAccountByPatient(ctx.db, person?.id ?? (NOBODY as PatientId));
  const cardMatches =
    person?.vitaleSerial != null && normalizeSerial(input.vitaleSerial) === person.vitaleSerial;
  const match =
    person && cardMatches && account && person.profileState === 'activated' && person.email
      ? { person, account, email: person.email }
      : undefined;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('password_resets')
      .set({ revoked_at: now.toISOString() })
      .where('patient_id', '=', match?.person.id ?? NOBODY)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    if (!match) return;
    await trx
      .insertInto('password_resets')
      .values({
        patient_id: match.person.id,
        id: requestId,
        account_id: match.account.id,
        code_hash: codeHash,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + PASSWORD_RESET_MINUTES * 60_000).toISOString(),
        attempts: 0,
        used_at: null,
        revoked_at: null,
      })
      .execute();
    const mail = {
      to: match.email,
      subject: PASSWORD_RESET_CODE_SUBJECT,
      text: passwordResetCodeEmail(code, PASSWORD_RESET_MINUTES, ctx.config.baseUrl),
    };
    await enqueueEmail(
      ctx.config,
      trx,
      { ...mail, kind: 'password-reset-code', patientId: match.person.id },
      now,
    );
  });
  await sleep(Math.max(0, started + answerFloorMs - performance.now()));
  return { requestId, message: PASSWORD_RESET_MESSAGE };
}

/**
 * « Mot de passe oublié », step 2: the code and the new password (the rules of activation). In one transaction:
 * the code is used, the password replaced, every session of the person ended, sign-ins begun with the old
 * password stopped, the tokens of the services they connected withdrawn, the reset traced in their history and
 * the account's address told. Returns the login, which the person may have forgotten too.
 */
export async function confirmPasswordReset(
  ctx: AppContext,
  input: { requestId: string; code: string; password: string; ip: string },
): Promise<{ login: string }> {
  const now = ctx.clock.now();
  await takeAttempt(ctx.db, rateRules.passwordResetIp(input.ip), now);
  checkPassword(input.password);
  const reset = await ctx.db
    .selectFrom('password_resets')
    .selectAll()
    .where('id', '=', input.requestId)
    .executeTakeFirst();
  const pending =
    reset && reset.used_at === null && reset.revoked_at === null && reset.expires_at > now.toISOString()
      ? reset
      : undefined;
  // The same queries and hashing run for a request that matched nobody (no row), so that the time of a refusal
  // does not tell the one who asked whether a code went anywhere. The attempt is taken before the comparison,
  // atomically, so parallel guesses cannot exceed the limit.
  const taken = await ctx.db
    .updateTable('password_resets')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('patient_id', '=', pending?.patient_id ?? NOBODY)
    .where('id', '=', input.requestId)
    .where('attempts', '<', OTP_MAX_ATTEMPTS)
    .executeTakeFirst();
  const code = input.code.replace(/\s/g, '');
  const matches = sameHash(
    oneTimeCodeHash(ctx.config, input.requestId, code),
    pending?.code_hash ?? NO_CODE_HASH,
  );
  if (
    !pending ||
    Number(taken.numUpdatedRows) === 0 ||
    !new RegExp(`^\\d{${OTP_DIGITS}}$`).test(code) ||
    !matches
  )
    throw resetCodeRefused();
  const passwordHash = await admitPasswordCheck(() => hashPassword(input.password));
  const patientId = pending.patient_id as PatientId;
  return ctx.db.transaction().execute(async (trx) => {
    const used = await trx
      .updateTable('password_resets')
      .set({ used_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('id', '=', pending.id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw resetCodeRefused();
    const account = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('id', '=', pending.account_id)
      .returning('login')
      .executeTakeFirst();
    if (!account) throw resetCodeRefused();
    const person = await trx
      .selectFrom('patients')
      .select(['ins', 'email'])
      .where('id', '=', patientId)
      .executeTakeFirstOrThrow();
    const ins = person.ins as Ins;
    await revokePatientSessions(trx, patientId, now);
    await endPendingSignIns(trx, patientId, now);
    const minors = await representedMinors(trx, ins, now);
    const appTokens = await revokeAppTokensGrantedBy(trx, patientId, [patientId, ...minors], now);
    const principal: PatientPrincipal = { kind: 'patient', patientId, ins, actsFor: [patientId, ...minors] };
    const detail = { appTokensRevoked: appTokens };
    await appendAudit(
      trx,
      trace(principal, patientId, 'password-reset', 'success', {
        targetType: 'Patient',
        targetId: patientId,
        detail,
      }),
      now,
    );
    if (person.email) {
      const mail = {
        to: person.email,
        subject: PASSWORD_RESET_NOTICE_SUBJECT,
        text: passwordResetNoticeEmail(now, ctx.config.baseUrl),
      };
      await enqueueEmail(ctx.config, trx, { ...mail, patientId }, now);
    }
    return { login: account.login };
  });
}
