import type { AppContext } from '../../app/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { enqueueEmail } from '../../mail/index.ts';
import { CarnetError, conflict, rateLimited, unauthenticated, uuidv7 } from '../../shared/index.ts';
import type { Executor } from '../../storage/index.ts';
import { sameHash } from './secret-hash.ts';
import { knownRefusal, rateRules, takeAttempt } from '../rate-limit.ts';
import { findAccountByLogin } from './accounts.ts';
import { normalizeLogin } from './credential-rules.ts';
import { maskEmail } from './mask-email.ts';
import {
  OTP_CHALLENGE_MINUTES,
  OTP_MAX_ATTEMPTS,
  OTP_MAX_RESENDS,
  OTP_RESEND_COOLDOWN_SECONDS,
  OTP_VALIDITY_MINUTES,
  generateOneTimeCode,
  oneTimeCodeHash,
  resendWait,
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

const SIGN_IN_CODE_SUBJECT = 'Votre code de connexion Mon espace santé';

async function sendSignInCode(
  ctx: AppContext,
  db: Executor,
  to: { email: string; patientId: string },
  code: string,
  now: Date,
): Promise<void> {
  const mail = { to: to.email, subject: SIGN_IN_CODE_SUBJECT, text: otpEmail(code) };
  await enqueueEmail(ctx.config, db, { ...mail, kind: 'sign-in-code', patientId: to.patientId }, now);
}

/** What the code step is told: where the code went, and when « Renvoyer le code » may be used. */
export interface SignInChallenge {
  readonly challengeId: string;
  readonly sentTo: string;
  /** Seconds before a new code may be asked for. */
  readonly resendInSeconds: number;
  /** New codes that may still be asked for in this sign-in. */
  readonly resendsLeft: number;
}

/** First step: the password; a one-time code then goes to the personal e-mail address. */
export async function startSignIn(
  ctx: AppContext,
  input: { login: string; password: string; ip: string },
): Promise<SignInChallenge> {
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
        sent_at: now.toISOString(),
        resends: 0,
      })
      .execute();
    await sendSignInCode(ctx, trx, { email, patientId: account.patient_id }, code, now);
  });
  return {
    challengeId,
    sentTo: maskEmail(email),
    resendInSeconds: OTP_RESEND_COOLDOWN_SECONDS,
    resendsLeft: OTP_MAX_RESENDS,
  };
}

const signInOver = () =>
  unauthenticated('otp-restart', 'Cette connexion n’est plus en cours : recommencez la connexion.');

/**
 * « Renvoyer le code »: a fresh code replaces the one in force (which stops working) and is sent to the same
 * address, with a fresh count of attempts and validity. At most OTP_MAX_RESENDS times per sign-in, each at
 * least OTP_RESEND_COOLDOWN_SECONDS after the previous code was sent; counted against the address's sign-ins.
 */
export async function resendSignInCode(
  ctx: AppContext,
  input: { challengeId: string; ip: string },
): Promise<SignInChallenge> {
  const now = ctx.clock.now();
  await takeAttempt(ctx.db, rateRules.signInIp(input.ip), now);
  const challenge = await ctx.db
    .selectFrom('login_challenges')
    .selectAll()
    .where('id', '=', input.challengeId)
    .executeTakeFirst();
  const over = new Date(challenge ? challenge.created_at : 0).getTime() + OTP_CHALLENGE_MINUTES * 60_000;
  if (!challenge || challenge.consumed_at !== null || now.getTime() >= over) throw signInOver();
  const sentAt = challenge.sent_at ?? challenge.created_at;
  const wait = resendWait({ sentAt, resends: challenge.resends }, now);
  if (wait === 'exhausted')
    throw rateLimited(
      'Vous avez demandé trop de nouveaux codes : recommencez la connexion.',
      'otp-resend-limit',
    );
  if (wait > 0)
    throw rateLimited(
      `Un nouveau code pourra être demandé dans ${wait} seconde${wait > 1 ? 's' : ''}.`,
      'otp-resend-too-soon',
    );
  const person = await ctx.db
    .selectFrom('patients')
    .select('email')
    .where('id', '=', challenge.patient_id)
    .executeTakeFirst();
  if (!person?.email) throw signInOver();
  const email = person.email;
  const code = generateOneTimeCode();
  await ctx.db.transaction().execute(async (trx) => {
    // Conditional on the code being the one read: of two resends at once, one sends a code, the other nothing.
    const replaced = await trx
      .updateTable('login_challenges')
      .set({
        code_hash: oneTimeCodeHash(ctx.config, challenge.id, code),
        expires_at: new Date(now.getTime() + OTP_VALIDITY_MINUTES * 60_000).toISOString(),
        attempts: 0,
        sent_at: now.toISOString(),
        resends: challenge.resends + 1,
      })
      .where('patient_id', '=', challenge.patient_id)
      .where('id', '=', challenge.id)
      .where('code_hash', '=', challenge.code_hash)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(replaced.numUpdatedRows) !== 1) throw signInOver();
    await sendSignInCode(ctx, trx, { email, patientId: challenge.patient_id }, code, now);
  });
  return {
    challengeId: challenge.id,
    sentTo: maskEmail(email),
    resendInSeconds: OTP_RESEND_COOLDOWN_SECONDS,
    resendsLeft: OTP_MAX_RESENDS - challenge.resends - 1,
  };
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
      'Le code de connexion a expiré : demandez un nouveau code, ou recommencez la connexion.',
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
      'Trop de codes incorrects : demandez un nouveau code, ou recommencez la connexion.',
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
