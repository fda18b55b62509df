import type { AppContext } from '../../app/index.ts';
import type { PatientPrincipal } from '../../access/index.ts';
import { appendAudit } from '../../audit/index.ts';
import { trace } from '../../guard/index.ts';
import type { PatientId } from '../../identity/index.ts';
import { enqueueEmail } from '../../mail/index.ts';
import { invalid, unauthenticated } from '../../shared/index.ts';
import type { Executor } from '../../storage/index.ts';
import { rateRules, takeAttempt } from '../rate-limit.ts';
import { findAccountByPatient } from './accounts.ts';
import { checkPassword } from './credential-rules.ts';
import { admitPasswordCheck, hashPassword, verifyPassword } from './password.ts';
import { revokeOtherPatientSessions } from './sessions.ts';

const signature =
  '\n\nCeci est un message automatique, merci de ne pas y répondre.\nL’équipe Mon espace santé';

export const PASSWORD_CHANGED_SUBJECT = 'Le mot de passe de votre compte Mon espace santé a été modifié';

function passwordChangedEmail(baseUrl: string): string {
  return (
    `Bonjour,\n\nLe mot de passe de votre compte Mon espace santé vient d’être modifié, et les connexions ` +
    `ouvertes sur vos autres appareils ont été fermées.\n\n` +
    `Si vous n’êtes pas à l’origine de ce changement, quelqu’un connaît vos identifiants : connectez-vous sur ` +
    `${baseUrl}/connexion et changez votre mot de passe, ou contactez le service d’assistance de Mon espace santé.` +
    signature
  );
}

const passwordIncorrect = () =>
  invalid('password-incorrect', 'Le mot de passe actuel est incorrect.', 'currentPassword');

/**
 * Whoever changes how the account is reached (its e-mail, its password) proves they know the password: a
 * session left open on a shared computer is not enough. Counts against the same limit as sign-ins.
 */
export async function confirmCurrentPassword(
  ctx: AppContext,
  patientId: PatientId,
  currentPassword: string | undefined,
): Promise<void> {
  const account = await findAccountByPatient(ctx.db, patientId);
  if (!account) throw unauthenticated();
  await admitPasswordCheck(async () => {
    await takeAttempt(ctx.db, rateRules.signIn(account.login), ctx.clock.now());
    if (!currentPassword || !(await verifyPassword(currentPassword, account.password_hash)))
      throw passwordIncorrect();
  });
}

/**
 * Changes the password after checking the current one; in the same transaction, every other session of the
 * patient ends (the one making the change stays), sign-ins begun with the old password can no longer finish,
 * and the account's address is told.
 */
export async function changePassword(
  ctx: AppContext,
  principal: PatientPrincipal,
  input: { currentPassword: string; newPassword: string; sessionToken: string | undefined },
): Promise<void> {
  const { patientId } = principal;
  await confirmCurrentPassword(ctx, patientId, input.currentPassword);
  checkPassword(input.newPassword);
  const passwordHash = await admitPasswordCheck(() => hashPassword(input.newPassword));
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, updated_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .execute();
    await revokeOtherPatientSessions(trx, patientId, input.sessionToken, now);
    await endPendingSignIns(trx, patientId, now);
    const traced = trace(principal, patientId, 'password-change', 'success', {
      targetType: 'Patient',
      targetId: patientId,
    });
    await appendAudit(trx, traced, now);
    const person = await trx
      .selectFrom('patients')
      .select('email')
      .where('id', '=', patientId)
      .executeTakeFirst();
    if (person?.email) {
      await enqueueEmail(
        ctx.config,
        trx,
        {
          to: person.email,
          subject: PASSWORD_CHANGED_SUBJECT,
          text: passwordChangedEmail(ctx.config.baseUrl),
          patientId,
        },
        now,
      );
    }
  });
}

/** Sign-ins begun with the old password can no longer finish. */
export async function endPendingSignIns(db: Executor, patientId: PatientId, now: Date): Promise<void> {
  await db
    .updateTable('login_challenges')
    .set({ consumed_at: now.toISOString() })
    .where('patient_id', '=', patientId)
    .where('consumed_at', 'is', null)
    .execute();
}
