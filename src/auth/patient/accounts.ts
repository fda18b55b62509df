import type { PatientId } from '../../identity/index.ts';
import { conflict, uuidv7 } from '../../shared/index.ts';
import type { Executor } from '../../storage/index.ts';
import { checkLogin, checkPassword, normalizeLogin } from './credential-rules.ts';
import { admitPasswordCheck, hashPassword } from './password.ts';

export const loginTaken = () =>
  conflict('login-taken', 'Cet identifiant est déjà utilisé : choisissez-en un autre.');

/** Through `account_logins`, which alone knows a login across patients, then the patient's account. */
export async function findAccountByLogin(db: Executor, login: string) {
  const holder = await db
    .selectFrom('account_logins')
    .select('patient_id')
    .where('login', '=', normalizeLogin(login))
    .executeTakeFirst();
  return holder && findAccountByPatient(db, holder.patient_id as PatientId);
}

export function findAccountByPatient(db: Executor, patientId: PatientId) {
  return db.selectFrom('accounts').selectAll().where('patient_id', '=', patientId).executeTakeFirst();
}

/** Unique-constraint violations on either dialect (a concurrent request took the login first). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Validates the chosen credentials; hashing is slow, so it happens before any transaction is opened. */
export async function prepareCredentials(login: string, password: string) {
  const normalized = checkLogin(login);
  checkPassword(password);
  return { login: normalized, passwordHash: await admitPasswordCheck(() => hashPassword(password)) };
}

export async function createAccount(
  db: Executor,
  patientId: PatientId,
  credentials: { login: string; passwordHash: string },
  now: Date,
): Promise<void> {
  if (await findAccountByLogin(db, credentials.login)) throw loginTaken();
  try {
    // The login first: its key is what refuses a login taken by a concurrent request.
    await db
      .insertInto('account_logins')
      .values({ login: credentials.login, patient_id: patientId })
      .execute();
    await db
      .insertInto('accounts')
      .values({
        id: uuidv7(now.getTime()),
        patient_id: patientId,
        login: credentials.login,
        password_hash: credentials.passwordHash,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw loginTaken();
    throw error;
  }
}
