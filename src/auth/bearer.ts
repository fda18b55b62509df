import { decodeJwt, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { AppContext } from '../app/index.ts';
import type { PatientPrincipal, Principal, ProfessionalPrincipal } from '../access/index.ts';
import { findInsuredById } from '../insured/index.ts';
import { isoInstant } from '../storage/index.ts';
import { verifyPatientAccessToken } from './patient-token.ts';
import { APP_TOKEN_PREFIX, appPrincipalOfToken } from '../connections/index.ts';
import { principalOf, recordProfessional } from './professional/principal.ts';
import { providerTrust } from './professional/provider-keys.ts';
import { readPscClaims } from './professional/psc-claims.ts';
import { tokenError, tokenInvalid, tokenMissing } from '../shared/index.ts';

const PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

function bearerToken(header: string | undefined): string {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw tokenMissing();
  return match[1]!;
}

/**
 * An access token, never an ID token. Both are signed by the same provider with the same keys, and Pro Santé
 * Connect's ID token is addressed to Carnet's client id, which is also an audience its access tokens may carry:
 * only the type tells them apart. RFC 9068 access tokens say so in their header (`typ: at+jwt`, the development
 * provider and `carnet dev-token`); Pro Santé Connect's (Keycloak) in their `typ` claim (`Bearer`, against `ID`
 * for an ID token). A token saying neither is refused.
 */
function isAccessToken(header: JWTHeaderParameters, payload: JWTPayload): boolean {
  const typ = header.typ?.toLowerCase();
  return typ === 'at+jwt' || typ === 'application/at+jwt' || payload.typ === 'Bearer';
}

async function professionalPrincipal(ctx: AppContext, token: string): Promise<ProfessionalPrincipal> {
  const trust = await providerTrust(ctx);
  let payload: JWTPayload;
  let header: JWTHeaderParameters;
  try {
    ({ payload, protectedHeader: header } = await jwtVerify(token, trust.keys, {
      algorithms: PROVIDER_ALGORITHMS,
      issuer: trust.issuer,
      audience: trust.audiences,
      currentDate: ctx.clock.now(),
      requiredClaims: ['exp'],
    }));
  } catch (error) {
    throw tokenError(error);
  }
  if (!isAccessToken(header, payload)) throw tokenInvalid();
  const identity = readPscClaims(payload);
  if (!identity) throw tokenInvalid();
  const professional = await recordProfessional(ctx.db, identity, isoInstant(ctx.clock.now()));
  return principalOf(professional, identity.signIn);
}

async function patientPrincipal(ctx: AppContext, token: string): Promise<PatientPrincipal> {
  const patientId = await verifyPatientAccessToken(ctx, token);
  const person = await findInsuredById(ctx.db, patientId);
  if (!person || person.profileState === 'closed' || person.profileState === 'opposed') throw tokenInvalid();
  return { kind: 'patient', patientId, ins: person.ins, actsFor: [patientId] };
}

/**
 * The principal of an API call from its `Authorization: Bearer` header: a professional's access token from the
 * identity provider (Pro Santé Connect or the development one), a patient's token issued by Carnet, or the
 * opaque token of a service the patient connected.
 * Failures are 401s with `token-missing`, `token-invalid` or `token-expired`.
 */
export async function verifyBearer(
  ctx: AppContext,
  authorizationHeader: string | undefined,
): Promise<Principal> {
  const token = bearerToken(authorizationHeader);
  // A connected service's token is opaque (revocable at once), not a JWT.
  if (token.startsWith(APP_TOKEN_PREFIX)) return appPrincipalOfToken(ctx, token);
  let issuer: string | undefined;
  try {
    // Unverified read, only to choose which keys verify the token.
    issuer = decodeJwt(token).iss;
  } catch {
    throw tokenInvalid();
  }
  return issuer === ctx.config.baseUrl ? patientPrincipal(ctx, token) : professionalPrincipal(ctx, token);
}
