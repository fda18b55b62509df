import type { AppContext } from '../app/index.ts';
import { type PatientPrincipal, decide } from '../access/index.ts';
import { appendAudit } from '../audit/index.ts';
import { purposeOf, type PurposeCode } from '../catalogue/index.ts';
import { findInsuredById, displayName } from '../insured/index.ts';
import { forbidden, invalid, uuidv7 } from '../shared/index.ts';
import type { PatientId } from '../identity/index.ts';
import { trace, notifyPatient, serviceConnectedNotice } from '../record/index.ts';
import {
  AuthorizationRedirectError,
  checkAuthorizationRequest,
  type AuthorizationQuery,
} from './authorization-request.ts';
import { grantedDataScopes } from './scopes.ts';
import { CODE_PREFIX, newSecret, secretHash } from './secrets.ts';

/** An authorization code lives a few minutes, as RFC 6749 §4.1.2 advises, and serves once. */
export const CODE_TTL_MS = 5 * 60 * 1000;

export interface ConsentScreen {
  readonly service: {
    readonly id: string;
    readonly name: string;
    readonly editor: string;
    readonly summary: string;
    readonly dataExchanged: readonly string[];
  };
  readonly purposes: readonly { readonly code: PurposeCode; readonly label: string }[];
  /** The profiles the signed-in person may connect: their own, and the minors they represent. */
  readonly profiles: readonly { readonly id: string; readonly name: string; readonly self: boolean }[];
}

/** What the consent page shows: the service, each purpose asked for, and whose profile to connect. */
export async function describeAuthorization(
  ctx: AppContext,
  principal: PatientPrincipal,
  query: AuthorizationQuery,
  fhirBase: string,
): Promise<ConsentScreen> {
  const request = await checkAuthorizationRequest(ctx.db, query, fhirBase);
  const profiles = [];
  for (const id of principal.actsFor) {
    const person = await findInsuredById(ctx.db, id);
    if (person?.profileState === 'activated') {
      profiles.push({ id, name: displayName(person), self: id === principal.patientId });
    }
  }
  const { service } = request;
  return {
    service: {
      id: service.id,
      name: service.name,
      editor: service.editor.name,
      summary: service.summary,
      dataExchanged: service.dataExchanged,
    },
    purposes: request.purposes.map((code) => ({ code, label: purposeOf(code).label })),
    profiles,
  };
}

export interface ConsentDecision {
  readonly approve: boolean;
  readonly patientId: string;
  /** The purposes the patient ticked: a subset of those asked for. */
  readonly purposes: readonly string[];
}

/**
 * The patient's answer: on approval, a grant for exactly the ticked purposes, with the scopes the app asked for
 * within them (replacing any earlier grant of this service on this profile), and a one-use code; the browser is
 * sent back to the app either way.
 */
export async function decideAuthorization(
  ctx: AppContext,
  principal: PatientPrincipal,
  query: AuthorizationQuery,
  decision: ConsentDecision,
  fhirBase: string,
): Promise<string> {
  const request = await checkAuthorizationRequest(ctx.db, query, fhirBase);
  const refuse = () =>
    new AuthorizationRedirectError(
      request.redirectUri,
      request.state,
      'access_denied',
      'The patient did not authorise this service.',
    ).location;
  if (!decision.approve) return refuse();
  const patientId = decision.patientId as PatientId;
  const person = await findInsuredById(ctx.db, patientId);
  const allowed = decide(principal, { type: 'profile.manage', patientId });
  if (!allowed.allowed || person?.profileState !== 'activated') {
    throw forbidden('not-own-record', 'Vous ne pouvez pas connecter un service à ce profil.');
  }
  const granted = request.purposes.filter((p) => decision.purposes.includes(p));
  if (granted.length === 0) {
    throw invalid('oauth-no-purpose', 'Cochez au moins une autorisation, ou refusez la connexion.');
  }
  const now = ctx.clock.now();
  const code = newSecret(CODE_PREFIX);
  await ctx.db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    await trx
      .updateTable('app_grants')
      .set({ revoked_at: at })
      .where('patient_id', '=', patientId)
      .where('client_id', '=', request.service.oauth.clientId)
      .where('revoked_at', 'is', null)
      .execute();
    const grantId = uuidv7(now.getTime());
    await trx
      .insertInto('app_grants')
      .values({
        patient_id: patientId,
        id: grantId,
        service_id: request.service.id,
        client_id: request.service.oauth.clientId,
        purposes: JSON.stringify(granted),
        data_scopes: grantedDataScopes(request.scopes, granted).join(' '),
        context_scopes: request.contextScopes.join(' '),
        granted_by: principal.patientId,
        created_at: at,
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    await trx
      .insertInto('app_codes')
      .values({
        code_hash: secretHash(ctx.config, code),
        patient_id: patientId,
        grant_id: grantId,
        client_id: request.service.oauth.clientId,
        redirect_uri: request.redirectUri,
        code_challenge: request.codeChallenge,
        expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
        used_at: null,
      })
      .execute();
    await notifyPatient(ctx, trx, person, serviceConnectedNotice, now);
    const input = trace(principal, patientId, 'app-connect', 'success', {
      targetType: 'AppConnection',
      targetId: grantId,
      detail: { service: request.service.id, purposes: granted.join(' ') },
    });
    await appendAudit(trx, input, now);
  });
  const location = new URL(request.redirectUri);
  location.searchParams.set('code', code);
  if (request.state !== undefined) location.searchParams.set('state', request.state);
  return location.toString();
}
