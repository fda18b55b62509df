import { createHash } from 'node:crypto';
import type { AppContext } from '../../app/index.ts';
import type { ProfessionalPrincipal, ProfessionalSignIn } from '../../access/index.ts';
import { findProfessionalById, type Professional } from '../../professionals/index.ts';
import { randomToken, unauthenticated } from '../../shared/index.ts';
import { isoInstant } from '../../storage/index.ts';
import { principalOf } from './principal.ts';

export const PRO_SESSION_COOKIE = 'carnet_pro';
/** A working day: the portal asks for a new e-CPS sign-in after 12 hours. */
export const PRO_SESSION_HOURS = 12;

/** The database keeps only a hash of the cookie: a leaked table does not open sessions. */
const sessionId = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createProfessionalSession(
  ctx: AppContext,
  professional: Professional,
  signIn: ProfessionalSignIn = { regulator: false, declaredEmergency: undefined },
): Promise<string> {
  const token = randomToken();
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('sessions')
    .values({
      id: sessionId(token),
      kind: 'professional',
      patient_id: null,
      professional_id: professional.id,
      // The regulator role only: the portal starts each emergency access on one patient's record, explicitly.
      data: JSON.stringify({ regulator: signIn.regulator }),
      created_at: isoInstant(now),
      expires_at: isoInstant(new Date(now.getTime() + PRO_SESSION_HOURS * 3600_000)),
      revoked_at: null,
    })
    .execute();
  return token;
}

export async function endProfessionalSession(ctx: AppContext, token: string | undefined): Promise<void> {
  if (!token) return;
  await ctx.db
    .updateTable('sessions')
    .set({ revoked_at: isoInstant(ctx.clock.now()) })
    .where('id', '=', sessionId(token))
    .where('kind', '=', 'professional')
    .where('revoked_at', 'is', null)
    .execute();
}

export interface RequestWithCookies {
  readonly cookies: Record<string, string | undefined>;
}

const noSession = () =>
  unauthenticated(
    'session-required',
    'Votre session a expiré ou vous n’êtes pas connecté : connectez-vous avec votre carte e-CPS.',
  );

/** The signed-in professional of a portal request (cookie `carnet_pro`), or a 401 `session-required`. */
export async function professionalPrincipalFromRequest(
  ctx: AppContext,
  request: RequestWithCookies,
): Promise<ProfessionalPrincipal> {
  const token = request.cookies[PRO_SESSION_COOKIE];
  if (!token) throw noSession();
  const row = await ctx.db
    .selectFrom('sessions')
    .select(['professional_id', 'data', 'expires_at', 'revoked_at'])
    .where('id', '=', sessionId(token))
    .where('kind', '=', 'professional')
    .executeTakeFirst();
  if (!row?.professional_id || row.revoked_at || row.expires_at <= isoInstant(ctx.clock.now()))
    throw noSession();
  const professional = await findProfessionalById(ctx.db, row.professional_id);
  if (!professional) throw noSession();
  const { regulator } = JSON.parse(row.data) as { regulator?: boolean };
  return principalOf(professional, { regulator: regulator === true, declaredEmergency: undefined });
}
