import { createHash } from 'node:crypto';
import type { AppContext } from '../../app/index.ts';
import type { PatientPrincipal } from '../../access/index.ts';
import type { Ins, PatientId } from '../../identity/index.ts';
import { representedMinors } from '../../insured/index.ts';
import { unauthenticated, randomToken } from '../../shared/index.ts';
import type { Executor } from '../../storage/index.ts';

export const PATIENT_SESSION_COOKIE = 'carnet_patient';
export const PATIENT_SESSION_HOURS = 12;

/** Only the token's SHA-256 is stored: a copy of the database does not let anyone in. */
export const sessionIdOf = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createPatientSession(
  db: Executor,
  patientId: PatientId,
  now: Date,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + PATIENT_SESSION_HOURS * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      id: sessionIdOf(token),
      kind: 'patient',
      patient_id: patientId,
      professional_id: null,
      data: '{}',
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
    })
    .execute();
  return { token, expiresAt };
}

export async function revokeSessionToken(db: Executor, token: string, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', sessionIdOf(token))
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokePatientSessions(db: Executor, patientId: PatientId, now: Date): Promise<void> {
  await revokeOtherPatientSessions(db, patientId, undefined, now);
}

/** Ends every session of the patient but the one holding `keepToken` (the one that changed the password). */
export async function revokeOtherPatientSessions(
  db: Executor,
  patientId: PatientId,
  keepToken: string | undefined,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('kind', '=', 'patient')
    .where('patient_id', '=', patientId)
    .where('revoked_at', 'is', null)
    .where('id', '!=', keepToken ? sessionIdOf(keepToken) : '')
    .execute();
}

/** The signed-in patient behind a session token, with the profiles they act for; throws `unauthenticated`. */
export async function patientPrincipalFromToken(
  ctx: AppContext,
  token: string | undefined,
): Promise<PatientPrincipal> {
  if (!token) throw unauthenticated();
  const now = ctx.clock.now();
  const row = await ctx.db
    .selectFrom('sessions')
    .innerJoin('patients', 'patients.id', 'sessions.patient_id')
    .select(['patients.id', 'patients.ins', 'patients.profile_state'])
    .where('sessions.id', '=', sessionIdOf(token))
    .where('sessions.kind', '=', 'patient')
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row || row.profile_state !== 'activated') throw unauthenticated();
  const patientId = row.id as PatientId;
  const ins = row.ins as Ins;
  return {
    kind: 'patient',
    patientId,
    ins,
    actsFor: [patientId, ...(await representedMinors(ctx.db, ins, now))],
  };
}

/** Anything carrying parsed cookies (a Fastify request once @fastify/cookie is registered). */
export interface CookieCarrier {
  readonly cookies: { readonly [name: string]: string | undefined };
}

export function patientPrincipalFromRequest(
  ctx: AppContext,
  request: CookieCarrier,
): Promise<PatientPrincipal> {
  return patientPrincipalFromToken(ctx, request.cookies[PATIENT_SESSION_COOKIE]);
}
