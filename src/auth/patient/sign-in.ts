import type { AppContext } from '../../app/context.ts';
import type { PatientId } from '../../identity/index.ts';
import { enqueueEmail } from '../../mail/outbox.ts';
import { CarnetError, conflict, unauthenticated } from '../../shared/errors.ts';
import { uuidv7 } from '../../shared/ids.ts';
import { sameHash } from '../../profile/secret-hash.ts';
import { knownRefusal, rateRules, takeAttempt } from '../rate-limit.ts';
import { findAccountByLogin } from './accounts.ts';
import { normalizeLogin } from './credential-rules.ts';
import { maskEmail } from './mask-email.ts';
import {
  OTP_MAX_ATTEMPTS,
  OTP_VALIDITY_MINUTES,
  generateOneTimeCode,
  oneTimeCodeHash,
} from './one-time-code.ts';
import {
  DECOY_PASSWORD_HASH,
  admitPasswordCheck,
  passwordChecksBusy,
  passwordChecksFull,
  verifyPassword,
} from './password.ts';
import { createPatientSession } from './sessions.ts';

const credentialsInvalid = () =>
  unauthenticated('credentials-invalid', 'Identifiant ou mot de passe incorrect.');
const otpInvalid = () => unauthenticated('otp-invalid', 'Le code de connexion est incorrect.');

function otpEmail(code: string): string {
  return (
    `Bonjour,\n\nVotre code de connexion à Mon espace santé est : ${code}\n\n` +
    `Il est valable ${OTP_VALIDITY_MINUTES} minutes et ne sert qu’une fois. Si vous n’êtes pas à l’origine de cette ` +
    `demande, changez votre mot de passe.\n\nCeci est un message automatique, merci de ne pas y répondre.`
  );
}

/**
 * What refuses a sign-in before its body is even read, from memory: every password check busy, or the client's
 * address already known over its limit. The same refusals `startSignIn` gives (it checks again), only cheaper:
 * a flood of sign-ins is answered without parsing, validating or routing its bodies into the domain.
 */
export function signInRefusedEarly(ctx: AppContext, ip: string): CarnetError | undefined {
  if (passwordChecksFull()) return passwordChecksBusy();
  return knownRefusal(ctx.db, [rateRules.signInIp(ip)], ctx.clock.now());
}

/** First step: the password; a one-time code then goes to the personal e-mail address. */
export async function startSignIn(
  ctx: AppContext,
  input: { login: string; password: string; ip: string },
): Promise<{ challengeId: string; sentTo: string }> {
  const login = normalizeLogin(input.login);
  const now = ctx.clock.now();
  const account = await admitPasswordCheck(async () => {
    await takeAttempt(ctx.db, rateRules.signInIp(input.ip), now);
    await takeAttempt(ctx.db, rateRules.signIn(login), now);
    const found = await findAccountByLogin(ctx.db, login);
    const passwordOk = await verifyPassword(input.password, found?.password_hash ?? DECOY_PASSWORD_HASH);
    if (!found || !passwordOk) throw credentialsInvalid();
    return found;
  });
  const person = await ctx.db
    .selectFrom('patients')
    .select(['profile_state', 'email'])
    .where('id', '=', account.patient_id)
    .executeTakeFirstOrThrow();
  if (person.profile_state === 'closed')
    throw conflict('profile-closed', 'Ce profil Mon espace santé a été fermé.');
  if (!person.email)
    throw conflict(
      'email-missing',
      'Aucune adresse électronique n’est connue pour vous envoyer le code de connexion.',
    );
  const email = person.email;
  const challengeId = uuidv7(now.getTime());
  const code = generateOneTimeCode();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('login_challenges')
      .values({
        id: challengeId,
        patient_id: account.patient_id,
        account_id: account.id,
        code_hash: oneTimeCodeHash(ctx.config, challengeId, code),
        expires_at: new Date(now.getTime() + OTP_VALIDITY_MINUTES * 60_000).toISOString(),
        attempts: 0,
        consumed_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    const mail = { to: email, subject: 'Votre code de connexion Mon espace santé', text: otpEmail(code) };
    await enqueueEmail(
      ctx.config,
      trx,
      { ...mail, kind: 'sign-in-code', patientId: account.patient_id },
      now,
    );
  });
  return { challengeId, sentTo: maskEmail(email) };
}

/** Second step: the one-time code (5 attempts, 10 minutes); returns a new session token. */
export async function confirmSignIn(
  ctx: AppContext,
  input: { challengeId: string; code: string },
): Promise<{ token: string; expiresAt: Date; patientId: PatientId }> {
  const now = ctx.clock.now();
  const challenge = await ctx.db
    .selectFrom('login_challenges')
    .selectAll()
    .where('id', '=', input.challengeId)
    .executeTakeFirst();
  if (!challenge || challenge.consumed_at !== null) throw otpInvalid();
  if (challenge.expires_at <= now.toISOString())
    throw new CarnetError(
      'gone',
      'otp-expired',
      'Le code de connexion a expiré : reconnectez-vous pour en recevoir un nouveau.',
    );
  // The attempt is taken before the comparison, atomically, so parallel guesses cannot exceed the limit.
  const taken = await ctx.db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('patient_id', '=', challenge.patient_id)
    .where('id', '=', challenge.id)
    .where('attempts', '<', OTP_MAX_ATTEMPTS)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0)
    throw unauthenticated(
      'otp-exhausted',
      'Trop de codes incorrects : reconnectez-vous pour recevoir un nouveau code.',
    );
  const expected = challenge.code_hash;
  if (
    !/^\d{6}$/.test(input.code.trim()) ||
    !sameHash(oneTimeCodeHash(ctx.config, challenge.id, input.code.trim()), expected)
  )
    throw otpInvalid();
  return ctx.db.transaction().execute(async (trx) => {
    const consumed = await trx
      .updateTable('login_challenges')
      .set({ consumed_at: now.toISOString() })
      .where('patient_id', '=', challenge.patient_id)
      .where('id', '=', challenge.id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(consumed.numUpdatedRows) === 0) throw otpInvalid();
    const patientId = challenge.patient_id as PatientId;
    return { ...(await createPatientSession(trx, patientId, now)), patientId };
  });
}
