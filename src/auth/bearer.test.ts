import * as oauthClient from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import { deriveKey } from '../config/index.ts';
import { loadDevSigningKeys } from './professional/signing-keys.ts';
import type { AppContext } from '../app/index.ts';
import { type CarnetError, fixedClock } from '../shared/index.ts';
import type { Ins, PatientId } from '../identity/index.ts';
import { insuredRow, type InsuredPerson } from '../insured/index.ts';
import { issueDevAccessToken, pscClaims, demoSubjects } from '../idp/index.ts';
import {
  DEV_CLIENT_ID,
  PSC_SCOPE,
  devClientSecret,
  devIssuer,
  proCallbackUrl,
} from './professional/dev-client.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects, type TestDatabase } from '../storage/test-databases.ts';
import { verifyBearer } from './bearer.ts';
import { issuePatientAccessToken } from './patient-token.ts';
import { TestBrowser, signInThroughProvider } from './professional/test-pro-login.ts';
import { createTestContext } from './test-context.ts';

const patient: InsuredPerson = {
  id: '0190f0d2-0000-7000-8000-000000000001' as PatientId,
  ins: '279035121518989' as Ins,
  insOid: '1.2.250.1.213.1.4.10',
  birthName: 'PAT-TROIS',
  usedName: undefined,
  firstNames: 'Dominique',
  birthDate: '1979-03-28',
  sex: 'female',
  birthPlaceInsee: undefined,
  email: undefined,
  phone: undefined,
  vitaleSerial: undefined,
  profileState: 'activated',
  stateChangedAt: '2026-01-01T00:00:00.000Z',
  deletionRequested: false,
};

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as CarnetError | undefined;
  expect(error?.kind).toBe('unauthenticated');
  return error!.code;
}

describe.each(testDialects)('bearer access tokens (%s)', (dialect) => {
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let ctx: AppContext;
  let database: TestDatabase;
  beforeAll(async () => {
    ({ ctx, database } = await createTestContext(dialect, { clock }));
    await ctx.db.insertInto('patients').values(insuredRow(patient, '2026-01-01T00:00:00.000Z')).execute();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('accepts a development token for Dr Martin and records her as a professional', async () => {
    const token = await issueDevAccessToken(ctx, { rpps: '10001000115' });
    const principal = await verifyBearer(ctx, `Bearer ${token}`);
    expect(principal).toMatchObject({
      kind: 'professional',
      nationalId: '810001000115',
      rpps: '10001000115',
      professionCode: '10',
      specialtyCode: 'SM26',
      familyName: 'Martin',
      signIn: { regulator: false, declaredEmergency: undefined },
      structure: { nationalId: '312345678900011', name: 'Cabinet médical des Lilas' },
    });
    const row = await ctx.db
      .selectFrom('professionals')
      .selectAll()
      .where('national_id', '=', '810001000115')
      .executeTakeFirst();
    expect(row?.id).toBe(principal.kind === 'professional' ? principal.professionalId : undefined);
  });

  it('accepts a patient token and acts for that patient only', async () => {
    const principal = await verifyBearer(ctx, `Bearer ${await issuePatientAccessToken(ctx, patient.id)}`);
    expect(principal).toEqual({
      kind: 'patient',
      patientId: patient.id,
      ins: patient.ins,
      actsFor: [patient.id],
    });
    const viaCli = await issueDevAccessToken(ctx, { ins: patient.ins });
    expect(decodeJwt(viaCli).sub).toBe(patient.id);
  });

  it('refuses a missing or malformed header with token-missing', async () => {
    expect(await refusal(verifyBearer(ctx, undefined))).toBe('token-missing');
    expect(await refusal(verifyBearer(ctx, 'Basic abc'))).toBe('token-missing');
    expect(await refusal(verifyBearer(ctx, 'Bearer not-a-jwt'))).toBe('token-invalid');
  });

  it('refuses a token signed by another key with token-invalid', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const forged = await new SignJWT(pscClaims(demoSubjects()[0]!))
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: (await exportJWK(privateKey)).kid ?? 'forged' })
      .setIssuer(`${ctx.config.baseUrl}/idp`)
      .setAudience(`${ctx.config.baseUrl}/fhir`)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await refusal(verifyBearer(ctx, `Bearer ${forged}`))).toBe('token-invalid');
    const patientForged = await new SignJWT({ token_use: 'patient' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ctx.config.baseUrl)
      .setAudience(`${ctx.config.baseUrl}/fhir`)
      .setSubject(patient.id)
      .setExpirationTime('1h')
      .sign(Buffer.alloc(32, 7));
    expect(await refusal(verifyBearer(ctx, `Bearer ${patientForged}`))).toBe('token-invalid');
  });

  it('refuses an expired token with token-expired', async () => {
    const token = await issueDevAccessToken(ctx, { rpps: '10001000214' });
    const patientToken = await issuePatientAccessToken(ctx, patient.id);
    clock.advance(3601_000);
    expect(await refusal(verifyBearer(ctx, `Bearer ${token}`))).toBe('token-expired');
    expect(await refusal(verifyBearer(ctx, `Bearer ${patientToken}`))).toBe('token-expired');
  });

  it('refuses a token for another audience with token-invalid', async () => {
    const { privateJwk } = await loadDevSigningKeys(ctx.db, '2026-01-01T00:00:00.000Z');
    const now = Math.floor(clock.now().getTime() / 1000);
    const sign = (audience: string) =>
      importJWK(privateJwk, 'RS256').then((key) =>
        new SignJWT(pscClaims(demoSubjects()[0]!))
          .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: privateJwk.kid! })
          .setIssuer(`${ctx.config.baseUrl}/idp`)
          .setAudience(audience)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(key),
      );
    // The same key and issuer do not make a token for another service acceptable.
    expect(await verifyBearer(ctx, `Bearer ${await sign(`${ctx.config.baseUrl}/fhir`)}`)).toMatchObject({
      kind: 'professional',
    });
    expect(await refusal(verifyBearer(ctx, `Bearer ${await sign('https://other-service.test/api')}`))).toBe(
      'token-invalid',
    );
    const patientToken = await new SignJWT({ token_use: 'patient' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ctx.config.baseUrl)
      .setAudience('https://other-service.test/api')
      .setSubject(patient.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(deriveKey(ctx.config, 'patient-token'));
    expect(await refusal(verifyBearer(ctx, `Bearer ${patientToken}`))).toBe('token-invalid');
  });
});

describe.each(testDialects)('Pro Santé Connect tokens (%s)', (dialect) => {
  let carnet: TestCarnet;
  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  // Security review regression: fails on 027241f, before the fix.
  it('never takes an ID token for an access token, though both are signed alike and name Carnet', async () => {
    // Carnet as in production, trusting an external provider whose ID tokens are addressed to Carnet's client id
    // (an audience its access tokens may carry too). The provider is the development one, which issues both.
    const { config } = carnet;
    const secret = devClientSecret(config);
    const psc: AppContext = {
      ...carnet.ctx,
      config: {
        ...config,
        oidc: { issuer: devIssuer(config), clientId: DEV_CLIENT_ID, clientSecret: secret },
      },
    };
    // A third-party OpenID Connect client (openid-client) signs Dr Martin in and gets both tokens.
    const provider = await oauthClient.discovery(
      new URL(devIssuer(config)),
      DEV_CLIENT_ID,
      secret,
      oauthClient.ClientSecretBasic(secret),
      { execute: [oauthClient.allowInsecureRequests] },
    );
    const verifier = oauthClient.randomPKCECodeVerifier();
    const nonce = oauthClient.randomNonce();
    const authorize = oauthClient.buildAuthorizationUrl(provider, {
      redirect_uri: proCallbackUrl(config),
      scope: PSC_SCOPE,
      acr_values: 'eidas1',
      nonce,
      code_challenge: await oauthClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { url } = await signInThroughProvider(new TestBrowser(carnet.url), '810001000115', {
      loginPath: authorize.href,
      interceptCallback: true,
    });
    const tokens = await oauthClient.authorizationCodeGrant(provider, url, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    expect(await verifyBearer(psc, `Bearer ${tokens.access_token}`)).toMatchObject({
      kind: 'professional',
      rpps: '10001000115',
    });
    const idToken = tokens.id_token!;
    expect(decodeJwt(idToken)).toMatchObject({ aud: DEV_CLIENT_ID, SubjectNameID: '810001000115' });
    expect(decodeProtectedHeader(idToken).typ).not.toBe('at+jwt');
    expect(await refusal(verifyBearer(psc, `Bearer ${idToken}`))).toBe('token-invalid');

    // Pro Santé Connect (Keycloak) types its tokens in the payload: `Bearer` is an access token, `ID` is not.
    const { privateJwk } = await loadDevSigningKeys(carnet.ctx.db, '2026-01-01T00:00:00.000Z');
    const now = Math.floor(carnet.ctx.clock.now().getTime() / 1000);
    const keycloakStyle = async (typ: string) =>
      new SignJWT({ ...pscClaims(demoSubjects()[0]!), typ, azp: DEV_CLIENT_ID })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: privateJwk.kid! })
        .setIssuer(devIssuer(config))
        .setAudience(DEV_CLIENT_ID)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(await importJWK(privateJwk, 'RS256'));
    expect(await verifyBearer(psc, `Bearer ${await keycloakStyle('Bearer')}`)).toMatchObject({
      kind: 'professional',
    });
    expect(await refusal(verifyBearer(psc, `Bearer ${await keycloakStyle('ID')}`))).toBe('token-invalid');
  });
});
