import { SignJWT, jwtVerify } from 'jose';
import type { AppContext } from '../app/index.ts';
import { deriveKey } from '../config/index.ts';
import type { PatientId } from '../identity/index.ts';
import { uuidv7, tokenError } from '../shared/index.ts';
import { apiAudience } from './professional/dev-client.ts';

/** Patient access tokens live one hour (the mobile app renews them with its session). */
export const PATIENT_TOKEN_TTL = 3600;
const ALG = 'HS256';

/** A bearer access token for Carnet's API acting as a patient: HS256, issuer Carnet, audience the API. */
export async function issuePatientAccessToken(ctx: AppContext, patientId: PatientId): Promise<string> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  return new SignJWT({ token_use: 'patient' })
    .setProtectedHeader({ alg: ALG, typ: 'at+jwt' })
    .setIssuer(ctx.config.baseUrl)
    .setAudience(apiAudience(ctx.config))
    .setSubject(patientId)
    .setJti(uuidv7())
    .setIssuedAt(now)
    .setExpirationTime(now + PATIENT_TOKEN_TTL)
    .sign(deriveKey(ctx.config, 'patient-token'));
}

/** The patient a token names; throws `token-invalid` / `token-expired`. */
export async function verifyPatientAccessToken(ctx: AppContext, token: string): Promise<PatientId> {
  try {
    const { payload } = await jwtVerify(token, deriveKey(ctx.config, 'patient-token'), {
      algorithms: [ALG],
      issuer: ctx.config.baseUrl,
      audience: apiAudience(ctx.config),
      currentDate: ctx.clock.now(),
      requiredClaims: ['sub', 'exp'],
    });
    if (payload.token_use !== 'patient') throw new Error('not a patient token');
    return payload.sub as PatientId;
  } catch (error) {
    throw tokenError(error);
  }
}
