import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../app/index.ts';
import type { AppPrincipal } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import { findServiceByClientId, serviceKeepsAccess, type PurposeCode } from '../catalogue/index.ts';
import type { PatientId } from '../identity/index.ts';
import { trace } from '../record/index.ts';
import type { Executor } from '../storage/index.ts';
import { stillActsFor } from '../insured/index.ts';
import { APP_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX, newSecret, secretHash } from './secrets.ts';

export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_S = 90 * 24 * 3600;

/** An error of the token endpoint (RFC 6749 §5.2), answered as JSON with its status. */
export class TokenEndpointError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
    this.name = 'TokenEndpointError';
  }
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  /** Only when `offline_access` was granted. */
  readonly refresh_token?: string;
  readonly scope: string;
  /** SMART launch context: the FHIR id of the patient the grant covers. */
  readonly patient: string;
}

type Form = Record<string, string | undefined>;

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `POST /oauth/token`: authorization_code (with PKCE) or refresh_token, for public clients. */
export async function exchangeToken(ctx: AppContext, form: Form): Promise<TokenResponse> {
  switch (form.grant_type) {
    case 'authorization_code':
      return redeemCode(ctx, form);
    case 'refresh_token':
      return refresh(ctx, form);
    default:
      throw new TokenEndpointError(
        'unsupported_grant_type',
        'grant_type must be authorization_code or refresh_token.',
      );
  }
}

async function redeemCode(ctx: AppContext, form: Form): Promise<TokenResponse> {
  const { code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId } = form;
  if (!code || !verifier || !redirectUri || !clientId) {
    throw new TokenEndpointError(
      'invalid_request',
      'code, code_verifier, redirect_uri and client_id are required.',
    );
  }
  const now = ctx.clock.now();
  const invalidGrant = new TokenEndpointError(
    'invalid_grant',
    'The authorization code is invalid, expired or used.',
  );
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app_codes')
      .selectAll()
      .where('code_hash', '=', secretHash(ctx.config, code))
      .executeTakeFirst();
    if (!row || row.client_id !== clientId || row.redirect_uri !== redirectUri) throw invalidGrant;
    // Only the holder of the verifier goes further: a leaked code alone can neither redeem nor cut off the app.
    if (row.expires_at <= now.toISOString() || !sameText(s256(verifier), row.code_challenge))
      throw invalidGrant;
    // The conditional update is what makes the code single-use under concurrent requests.
    const used = await trx
      .updateTable('app_codes')
      .set({ used_at: now.toISOString() })
      .where('code_hash', '=', row.code_hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) {
      // Presented twice: what the code gave is withdrawn (RFC 6749 §4.1.2); the withdrawal commits.
      await revokeGrantTokens(trx, row.patient_id, row.grant_id, now);
      return 'replayed' as const;
    }
    const grant = await liveGrant(trx, row.patient_id, row.grant_id, now);
    if (!grant || !(await serviceKeepsAccess(trx, clientId))) throw invalidGrant;
    return issueTokens(ctx, trx, row.patient_id, row.grant_id, grant, now);
  });
  if (outcome === 'replayed') throw invalidGrant;
  return outcome;
}

async function refresh(ctx: AppContext, form: Form): Promise<TokenResponse> {
  const token = form.refresh_token;
  if (!token || !form.client_id) {
    throw new TokenEndpointError('invalid_request', 'refresh_token and client_id are required.');
  }
  const now = ctx.clock.now();
  const invalidGrant = new TokenEndpointError(
    'invalid_grant',
    'The refresh token is invalid, expired or revoked.',
  );
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app_tokens')
      .innerJoin('app_grants', (j) =>
        j
          .onRef('app_grants.patient_id', '=', 'app_tokens.patient_id')
          .onRef('app_grants.id', '=', 'app_tokens.grant_id'),
      )
      .select([
        'app_tokens.token_hash',
        'app_tokens.patient_id',
        'app_tokens.grant_id',
        'app_tokens.expires_at',
      ])
      .select('app_grants.client_id')
      .where('app_tokens.token_hash', '=', secretHash(ctx.config, token))
      .where('app_tokens.kind', '=', 'refresh')
      .executeTakeFirst();
    if (!row || row.client_id !== form.client_id) throw invalidGrant;
    // Rotation: each refresh token serves once, even under concurrent requests.
    const rotated = await trx
      .updateTable('app_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('token_hash', '=', row.token_hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(rotated.numUpdatedRows) !== 1) {
      // A rotated token presented again was copied: every token of the grant is withdrawn (RFC 9700 §4.14.2).
      await revokeGrantTokens(trx, row.patient_id, row.grant_id, now);
      return 'reused' as const;
    }
    const grant = await liveGrant(trx, row.patient_id, row.grant_id, now);
    if (!grant || row.expires_at <= now.toISOString() || !(await serviceKeepsAccess(trx, row.client_id)))
      throw invalidGrant;
    return issueTokens(ctx, trx, row.patient_id, row.grant_id, grant, now);
  });
  if (outcome === 'reused') throw invalidGrant;
  return outcome;
}

interface LiveGrant {
  readonly dataScopes: string[];
  readonly contextScopes: string[];
}

/**
 * A grant that still gives tokens: not revoked, and, for a parent's connection on a child's profile, only while
 * the parent still represents the child (a refresh token stops at the child's majority, as access tokens do).
 */
async function liveGrant(
  db: Executor,
  patientId: string,
  grantId: string,
  now: Date,
): Promise<LiveGrant | undefined> {
  const grant = await db
    .selectFrom('app_grants')
    .select(['data_scopes', 'context_scopes', 'granted_by', 'revoked_at'])
    .where('patient_id', '=', patientId)
    .where('id', '=', grantId)
    .executeTakeFirst();
  if (!grant || grant.revoked_at !== null) return undefined;
  if (!(await stillActsFor(db, grant.granted_by as PatientId, patientId as PatientId, now))) return undefined;
  const scopes = (text: string) => text.split(' ').filter(Boolean);
  return { dataScopes: scopes(grant.data_scopes), contextScopes: scopes(grant.context_scopes) };
}

/** An access token, and a refresh token only when the app asked for offline access (SMART). */
async function issueTokens(
  ctx: AppContext,
  db: Executor,
  patientId: string,
  grantId: string,
  grant: LiveGrant,
  now: Date,
): Promise<TokenResponse> {
  const access = newSecret(APP_TOKEN_PREFIX);
  const refreshToken = grant.contextScopes.includes('offline_access')
    ? newSecret(REFRESH_TOKEN_PREFIX)
    : undefined;
  const at = now.toISOString();
  const expiry = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();
  const row = (token: string, kind: 'access' | 'refresh', ttl: number) => ({
    token_hash: secretHash(ctx.config, token),
    patient_id: patientId,
    grant_id: grantId,
    kind,
    created_at: at,
    expires_at: expiry(ttl),
    revoked_at: null,
  });
  await db
    .insertInto('app_tokens')
    .values([
      row(access, 'access', ACCESS_TOKEN_TTL_S),
      ...(refreshToken ? [row(refreshToken, 'refresh', REFRESH_TOKEN_TTL_S)] : []),
    ])
    .execute();
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_TTL_S,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    // What was asked and consented, as asked (SMART App Launch: the scopes actually granted).
    scope: [...grant.contextScopes, ...grant.dataScopes].join(' '),
    patient: patientId,
  };
}

export async function revokeGrantTokens(
  db: Executor,
  patientId: string,
  grantId: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('app_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('patient_id', '=', patientId)
    .where('grant_id', '=', grantId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Withdraws every access and refresh token of the connections a person set up (for themself or for a child they
 * represent), e.g. after their password was reset: whoever held the old password may have connected an app. The
 * connections stay listed; an app gets new tokens only by asking the person again. Returns how many were withdrawn.
 */
export async function revokeAppTokensGrantedBy(
  db: Executor,
  grantedBy: PatientId,
  profiles: readonly PatientId[],
  now: Date,
): Promise<number> {
  let count = 0;
  // Profile by profile, each query on one patient's rows (the distribution column).
  for (const patientId of profiles) {
    const grants = db
      .selectFrom('app_grants')
      .select('id')
      .where('patient_id', '=', patientId)
      .where('granted_by', '=', grantedBy);
    const revoked = await db
      .updateTable('app_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('patient_id', '=', patientId)
      .where('grant_id', 'in', grants)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    count += Number(revoked.numUpdatedRows);
  }
  return count;
}

/**
 * `POST /oauth/revoke` (RFC 7009), for public clients: an app ends its own access. An access token stops working
 * at once; a refresh token ends the connection itself, as the patient disconnecting the service would, with its
 * trace in the patient's history. A token that is unknown, already revoked or another app's changes nothing and
 * gets the same answer, so the endpoint tells a caller nothing about tokens it does not hold.
 */
export async function revokeAppToken(ctx: AppContext, form: Form): Promise<void> {
  const { token, client_id: clientId } = form;
  if (!token || !clientId)
    throw new TokenEndpointError('invalid_request', 'token and client_id are required.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('app_tokens')
      .innerJoin('app_grants', (j) =>
        j
          .onRef('app_grants.patient_id', '=', 'app_tokens.patient_id')
          .onRef('app_grants.id', '=', 'app_tokens.grant_id'),
      )
      .select(['app_tokens.token_hash', 'app_tokens.patient_id', 'app_tokens.grant_id', 'app_tokens.kind'])
      .select([
        'app_grants.client_id',
        'app_grants.service_id',
        'app_grants.purposes',
        'app_grants.data_scopes',
      ])
      .where('app_tokens.token_hash', '=', secretHash(ctx.config, token))
      .where('app_tokens.revoked_at', 'is', null)
      .where('app_grants.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row || row.client_id !== clientId) return;
    if (row.kind === 'access') {
      await trx
        .updateTable('app_tokens')
        .set({ revoked_at: now.toISOString() })
        .where('token_hash', '=', row.token_hash)
        .execute();
      return;
    }
    await trx
      .updateTable('app_grants')
      .set({ revoked_at: now.toISOString() })
      .where('patient_id', '=', row.patient_id)
      .where('id', '=', row.grant_id)
      .execute();
    await revokeGrantTokens(trx, row.patient_id, row.grant_id, now);
    const service = await findServiceByClientId(trx, clientId);
    const app: AppPrincipal = {
      kind: 'app',
      serviceId: row.service_id,
      serviceName: service?.name ?? row.service_id,
      grantId: row.grant_id,
      patientId: row.patient_id as PatientId,
      purposes: JSON.parse(row.purposes) as PurposeCode[],
      scopes: row.data_scopes.split(' ').filter(Boolean),
    };
    await appendAudit(
      trx,
      trace(app, app.patientId, 'app-revoke', 'success', {
        targetType: 'AppConnection',
        targetId: row.grant_id,
        detail: { service: row.service_id, by: 'service' },
      }),
      now,
    );
  });
}
