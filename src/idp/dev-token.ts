import { SignJWT, importJWK } from 'jose';
import type { AppContext } from '../app/index.ts';
import {
  issuePatientAccessToken,
  ACCESS_TOKEN_TTL,
  DEV_CLIENT_ID,
  apiAudience,
  devIssuer,
  loadDevSigningKeys,
} from '../auth/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { insProblemMessage, nationalIdOfRpps, parseIns, parseRpps } from '../identity/index.ts';
import { CarnetError, invalid, notFound, randomToken } from '../shared/index.ts';
import { isoInstant } from '../storage/index.ts';
import { findDevSubject } from './accounts.ts';
import { pscClaims } from './psc-claims.ts';

export type DevTokenSubject = { readonly rpps: string } | { readonly ins: string };

/**
 * A professional access token signed with the development provider's key, shaped like the provider's own
 * JWT access tokens (RFC 9068 `at+jwt`, PSC claims), for a demo professional or one known to Carnet.
 */
async function professionalToken(ctx: AppContext, rawRpps: string): Promise<string> {
  const rpps = parseRpps(rawRpps);
  if (!rpps.ok) {
    throw invalid(
      'rpps-invalid',
      rpps.problem === 'format'
        ? 'Le numéro RPPS doit comporter 11 chiffres.'
        : 'La clé du numéro RPPS ne correspond pas : vérifiez le numéro saisi.',
    );
  }
  const subject = await findDevSubject(ctx.db, nationalIdOfRpps(rpps.value));
  if (!subject)
    throw notFound('professional-unknown', `Aucun professionnel connu avec le RPPS ${rpps.value}.`);
  const { privateJwk } = await loadDevSigningKeys(ctx.db, isoInstant(ctx.clock.now()));
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ ...pscClaims(subject), scope: 'openid scope_all', client_id: DEV_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: privateJwk.kid! })
    .setIssuer(devIssuer(ctx.config))
    .setAudience(apiAudience(ctx.config))
    .setSubject(subject.nationalId)
    .setJti(randomToken())
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_TTL)
    .sign(await importJWK(privateJwk, 'RS256'));
}

async function patientToken(ctx: AppContext, rawIns: string): Promise<string> {
  const ins = parseIns(rawIns);
  if (!ins.ok) throw invalid('ins-invalid', insProblemMessage[ins.problem]);
  const person = await findInsuredByIns(ctx.db, ins.value.ins);
  if (!person)
    throw notFound('insured-unknown', `Aucun assuré connu avec le matricule INS ${ins.value.ins}.`);
  return issuePatientAccessToken(ctx, person.id);
}

/** A bearer access token for development and tests; refused unless the development provider is on. */
export async function issueDevAccessToken(ctx: AppContext, subject: DevTokenSubject): Promise<string> {
  if (!ctx.config.devIdentityProvider) {
    throw new CarnetError(
      'forbidden',
      'dev-token-disabled',
      'Les jetons de développement sont désactivés : un fournisseur d’identité réel est configuré (CARNET_OIDC_ISSUER).',
    );
  }
  return 'rpps' in subject ? professionalToken(ctx, subject.rpps) : patientToken(ctx, subject.ins);
}
