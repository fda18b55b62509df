import { createHash, randomBytes } from 'node:crypto';
import * as oauthClient from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../auth/patient/index.ts';
import { decideServiceStatus, GLUCOSUIVI_CLIENT_ID } from '../catalogue/index.ts';
import { seedDemo } from '../demo/seed.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';

const REDIRECT = 'http://127.0.0.1:8090/callback';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe.each(testDialects)('connecting a service (SMART App Launch) on %s', (dialect) => {
  let carnet: TestCarnet;
  let cookie: string;
  let patientId: string;

  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
    await seedDemo(carnet.ctx);
    const jean = await findInsuredByIns(carnet.ctx.db, '168047505611243' as Ins);
    patientId = jean!.id;
    const session = await createPatientSession(carnet.ctx.db, jean!.id, carnet.ctx.clock.now());
    cookie = `${PATIENT_SESSION_COOKIE}=${session.token}`;
  }, 60_000);
  afterAll(() => carnet?.stop());

  const authorizeQuery = (challenge: string, extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: GLUCOSUIVI_CLIENT_ID,
    redirect_uri: REDIRECT,
    scope:
      'launch/patient offline_access patient/Observation.write patient/Observation.read patient/DocumentReference.read',
    state: 'etat-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    aud: `${carnet.config.baseUrl}/fhir`,
    ...extra,
  });

  const consent = async (query: Record<string, string>, purposes: string[], approve = true) => {
    const response = await carnet.app.inject({
      method: 'POST',
      url: '/api/patient/oauth/decision',
      headers: { cookie },
      payload: { query, approve, patientId, purposes },
    });
    return { status: response.statusCode, body: response.json() as { redirectTo?: string; error?: unknown } };
  };

  const token = (form: Record<string, string>) =>
    carnet.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });

  /** A full connection with the given purposes ticked: the app's tokens. */
  const connect = async (purposes: string[]) => {
    const { verifier, challenge } = pkce();
    const query = authorizeQuery(challenge);
    const decided = await consent(query, purposes);
    const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
    const response = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
      code_verifier: verifier,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { access_token: string; refresh_token: string; scope: string; patient: string };
  };

  const postGlucose = (accessToken: string, value: number, unit = 'g/L') =>
    carnet.app.inject({
      method: 'POST',
      url: '/fhir/Observation',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: '2026-11-20T08:15:00+01:00',
        valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
      }),
    });

  const fhirGet = (path: string, accessToken: string) =>
    carnet.app.inject({
      method: 'GET',
      url: `/fhir/${path}`,
      headers: { authorization: `Bearer ${accessToken}` },
    });

  it('publishes its SMART configuration', async () => {
    const response = await carnet.app.inject({ method: 'GET', url: '/fhir/.well-known/smart-configuration' });
    expect(response.json()).toMatchObject({
      authorization_endpoint: `${carnet.config.baseUrl}/oauth/authorize`,
      token_endpoint: `${carnet.config.baseUrl}/oauth/token`,
      revocation_endpoint: `${carnet.config.baseUrl}/oauth/revoke`,
      code_challenge_methods_supported: ['S256'],
    });
  });

  it('serves a third-party OAuth client end to end; the app revoking its refresh token disconnects it', async () => {
    // openid-client, configured from the published SMART configuration, over real HTTP.
    const metadata = (await (
      await fetch(`${carnet.config.baseUrl}/fhir/.well-known/smart-configuration`)
    ).json()) as oauthClient.ServerMetadata;
    const config = new oauthClient.Configuration(
      metadata,
      GLUCOSUIVI_CLIENT_ID,
      undefined,
      oauthClient.None(),
    );
    oauthClient.allowInsecureRequests(config);
    const verifier = oauthClient.randomPKCECodeVerifier();
    const state = oauthClient.randomState();
    const authorizeUrl = oauthClient.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'launch/patient offline_access patient/Observation.write patient/Observation.read',
      code_challenge: await oauthClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      aud: `${carnet.config.baseUrl}/fhir`,
    });
    const decided = await consent(Object.fromEntries(authorizeUrl.searchParams), ['read-measurements']);
    const tokens = await oauthClient.authorizationCodeGrant(config, new URL(decided.body.redirectTo!), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.patient).toBe(patientId);
    expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(200);

    // Revoking one access token stops only that one: the refresh token still gives a new one.
    await oauthClient.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(401);
    const refreshed = await oauthClient.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await fhirGet(`Patient/${patientId}`, refreshed.access_token)).statusCode).toBe(200);

    // Revoking the refresh token ends the connection: every token stops, the patient's list no longer shows it,
    // and her history says the service disconnected itself.
    const connections = async () =>
      (
        await carnet.app.inject({
          method: 'GET',
          url: `/api/patient/record/${patientId}/connections`,
          headers: { cookie },
        })
      ).json().connections as { id: string }[];
    const before = await connections();
    await oauthClient.tokenRevocation(config, refreshed.refresh_token!);
    expect((await fhirGet(`Patient/${patientId}`, refreshed.access_token)).statusCode).toBe(401);
    await expect(oauthClient.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await connections()).length).toBe(before.length - 1);
    const trace = await carnet.ctx.db
      .selectFrom('audit_events')
      .select(['actor_kind', 'detail'])
      .where('action', '=', 'app-revoke')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(trace.actor_kind).toBe('app');
    expect(JSON.parse(trace.detail ?? '{}')).toMatchObject({ by: 'service' });
  });

  it('answers a revocation of an unknown or another app’s token alike, and refuses one without client_id', async () => {
    const revoke = (form: Record<string, string>) =>
      carnet.app.inject({
        method: 'POST',
        url: '/oauth/revoke',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const tokens = await connect(['read-measurements']);
    expect((await revoke({ token: 'mes_at_inconnu', client_id: GLUCOSUIVI_CLIENT_ID })).statusCode).toBe(200);
    expect((await revoke({ token: tokens.access_token, client_id: 'another-app' })).statusCode).toBe(200);
    expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(200);
    const missing = await revoke({ token: tokens.access_token });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: 'invalid_request' });
    expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(200);
  });

  it('sends the browser to the consent page, which lists only the purposes the service is referenced for', async () => {
    const query = authorizeQuery(pkce().challenge);
    const authorize = await carnet.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${new URLSearchParams(query).toString()}`,
    });
    expect(authorize.statusCode).toBe(302);
    expect(authorize.headers.location).toMatch(/^\/autoriser-service\?/);
    const screen = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/oauth/request?${new URLSearchParams(query).toString()}`,
      headers: { cookie },
    });
    expect(screen.statusCode).toBe(200);
    // Documents were asked for, but GlucoSuivi is not referenced for reading them: not even offered.
    expect(screen.json().purposes.map((p: { code: string }) => p.code)).toEqual([
      'read-measurements',
      'write-measurements',
    ]);
    expect(screen.json().service).toMatchObject({ name: 'GlucoSuivi', editor: 'Diabéto Connect SAS' });
  });

  it('refuses a request without PKCE back at the app, and an unknown redirect address to the patient', async () => {
    const noPkce = await carnet.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${new URLSearchParams(authorizeQuery('', { code_challenge_method: 'plain' })).toString()}`,
    });
    const back = new URL(noPkce.headers.location as string);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('etat-123');

    const { aud: _aud, ...noAudience } = authorizeQuery(pkce().challenge);
    const noAud = await carnet.app.inject({
      method: 'GET',
      url: `/oauth/authorize?${new URLSearchParams(noAudience).toString()}`,
    });
    expect(new URL(noAud.headers.location as string).searchParams.get('error')).toBe('invalid_request');

    const wrongUri = authorizeQuery(pkce().challenge, { redirect_uri: 'https://attaquant.example/callback' });
    const screen = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/oauth/request?${new URLSearchParams(wrongUri).toString()}`,
      headers: { cookie },
    });
    expect(screen.statusCode).toBe(400);
    expect(screen.json().error.code).toBe('oauth-redirect-uri');
  });

  it('sends a refusal back to the app as access_denied, and asks for at least one purpose', async () => {
    const query = authorizeQuery(pkce().challenge);
    const refused = await consent(query, [], false);
    const back = new URL(refused.body.redirectTo!);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    const empty = await consent(query, []);
    expect(empty.status).toBe(400);
  });

  it('gives a token for exactly the purposes ticked: measurements written, documents refused with 403', async () => {
    const tokens = await connect(['write-measurements']);
    expect(tokens.patient).toBe(patientId);
    expect(tokens.scope.split(' ')).toContain('patient/Observation.write');
    expect(tokens.scope).not.toContain('Observation.read');
    const documents = await fhirGet(`DocumentReference?patient=${patientId}`, tokens.access_token);
    expect(documents.statusCode).toBe(403);
    expect(documents.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    const patient = await fhirGet(`Patient/${patientId}`, tokens.access_token);
    expect(patient.statusCode).toBe(200);

    const created = await postGlucose(tokens.access_token, 1.32);
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toMatch(/\/fhir\/Observation\/[0-9a-f-]{36}$/);
    expect(created.json()).toMatchObject({
      resourceType: 'Observation',
      valueQuantity: { value: 1.32, code: 'g/L' },
    });
    const profile = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/record/${patientId}/profile?section=measurements`,
      headers: { cookie },
    });
    const glucose = profile
      .json()
      .entries.filter((e: { data: { kind: string } }) => e.data.kind === 'glucose');
    expect(glucose).toEqual([
      expect.objectContaining({
        source: 'app',
        sourceName: 'GlucoSuivi',
        data: expect.objectContaining({ value: 1.32 }),
      }),
    ]);
    // It wrote measurements; reading them back was not granted.
    expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(403);
    const wrongUnit = await postGlucose(tokens.access_token, 7.3, 'mmol/L');
    expect(wrongUnit.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrongUnit.json().resourceType).toBe('OperationOutcome');

    const list = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/record/${patientId}/connections`,
      headers: { cookie },
    });
    const connection = list.json().connections[0];
    expect(connection.service.name).toBe('GlucoSuivi');
    expect(connection.purposes.map((p: { code: string }) => p.code)).toEqual(['write-measurements']);
    expect(connection.accesses.some((a: { outcome: string }) => a.outcome === 'denied')).toBe(true);
  });

  it('refuses a wrong PKCE verifier, and a code used twice withdraws the tokens it gave', async () => {
    const { verifier, challenge } = pkce();
    const decided = await consent(authorizeQuery(challenge), ['read-measurements']);
    const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
    };
    const wrong = await token({ ...form, code_verifier: pkce().verifier });
    expect([wrong.statusCode, wrong.json().error]).toEqual([400, 'invalid_grant']);
    const first = await token({ ...form, code_verifier: verifier });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const replay = await token({ ...form, code_verifier: verifier });
    expect([replay.statusCode, replay.json().error]).toEqual([400, 'invalid_grant']);
    const afterReplay = await fhirGet(`Patient/${patientId}`, first.json().access_token);
    expect(afterReplay.statusCode).toBe(401);
  });

  it('tells the patient by e-mail that a service was connected, without naming it, unless they opted out', async () => {
    const mails = async () =>
      (await outgoingEmails(carnet.ctx)).filter(
        (m) => m.patient_id === patientId && m.subject === 'Un service a été connecté à votre espace santé',
      );
    const before = (await mails()).length;
    await connect(['read-measurements']);
    const after = await mails();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.body_text).toContain('Mes services connectés');
    expect(after.at(-1)!.body_text).not.toContain('GlucoSuivi');

    const preferences = await carnet.app.inject({
      method: 'PUT',
      url: `/api/patient/notifications/${patientId}`,
      headers: { cookie },
      payload: { services: false },
    });
    expect(preferences.statusCode).toBe(200);
    await connect(['read-measurements']);
    expect((await mails()).length).toBe(before + 1);
  });

  it('refuses a measurement from an app allowed only to read them', async () => {
    const tokens = await connect(['read-measurements']);
    const refused = await postGlucose(tokens.access_token, 1.1);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().issue[0].code).toBe('forbidden');
  });

  it('redeems a code once even when the app sends it several times at once', async () => {
    const { verifier, challenge } = pkce();
    const decided = await consent(authorizeQuery(challenge), ['read-measurements']);
    const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
      code_verifier: verifier,
    };
    const answers = await Promise.all([token(form), token(form), token(form)]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
  });

  it('a used code with a wrong verifier changes nothing for the app that redeemed it', async () => {
    const { verifier, challenge } = pkce();
    const decided = await consent(authorizeQuery(challenge), ['read-measurements']);
    const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
    };
    const first = await token({ ...form, code_verifier: verifier });
    const attacker = await token({ ...form, code_verifier: pkce().verifier });
    expect(attacker.json().error).toBe('invalid_grant');
    expect((await fhirGet(`Patient/${patientId}`, first.json().access_token)).statusCode).toBe(200);
  });

  it('gives no refresh token to an app that did not ask for offline access', async () => {
    const { verifier, challenge } = pkce();
    const query = authorizeQuery(challenge, { scope: 'launch/patient patient/Observation.read' });
    const decided = await consent(query, ['read-measurements']);
    const code = new URL(decided.body.redirectTo!).searchParams.get('code')!;
    const answer = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
      code_verifier: verifier,
    });
    expect(answer.json().refresh_token).toBeUndefined();
    expect(answer.json().scope).toBe('launch/patient patient/Observation.read');
  });

  it('a refresh token used twice withdraws every token of the connection', async () => {
    const tokens = await connect(['read-measurements']);
    const form = {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: GLUCOSUIVI_CLIENT_ID,
    };
    const [a, b] = await Promise.all([token(form), token(form)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 400]);
    const winner = (a.statusCode === 200 ? a : b).json();
    expect(winner.scope).toBe(tokens.scope);
    // The copy was detected: what the winner got is withdrawn too.
    expect((await fhirGet(`Patient/${patientId}`, winner.access_token)).statusCode).toBe(401);
  });

  it('rotates refresh tokens; revocation by the patient takes effect at the next call', async () => {
    const tokens = await connect(['read-measurements']);
    const refreshed = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: GLUCOSUIVI_CLIENT_ID,
    });
    expect(refreshed.statusCode).toBe(200);
    const reused = await token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: GLUCOSUIVI_CLIENT_ID,
    });
    expect(reused.json().error).toBe('invalid_grant');
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: (await connect(['read-measurements'])).refresh_token,
      client_id: GLUCOSUIVI_CLIENT_ID,
    });
    const access = again.json().access_token as string;
    expect((await fhirGet(`Patient/${patientId}`, access)).statusCode).toBe(200);
    const list = await carnet.app.inject({
      method: 'GET',
      url: `/api/patient/record/${patientId}/connections`,
      headers: { cookie },
    });
    const grantId = list.json().connections[0].id as string;
    const revoked = await carnet.app.inject({
      method: 'DELETE',
      url: `/api/patient/record/${patientId}/connections/${grantId}`,
      headers: { cookie },
    });
    expect(revoked.statusCode).toBe(204);
    const after = await fhirGet(`Patient/${patientId}`, access);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('invalid_token');
  });

  it('a parent’s connection on a child’s profile ends with the parent’s authority', async () => {
    const emilie = (await findInsuredByIns(carnet.ctx.db, '290063306307802' as Ins))!;
    const chloe = (await findInsuredByIns(carnet.ctx.db, '215027511520318' as Ins))!;
    const session = await createPatientSession(carnet.ctx.db, emilie.id, carnet.ctx.clock.now());
    const { verifier, challenge } = pkce();
    const decided = await carnet.app.inject({
      method: 'POST',
      url: '/api/patient/oauth/decision',
      headers: { cookie: `${PATIENT_SESSION_COOKIE}=${session.token}` },
      payload: {
        query: authorizeQuery(challenge),
        approve: true,
        patientId: chloe.id,
        purposes: ['read-measurements'],
      },
    });
    const code = new URL(decided.json().redirectTo).searchParams.get('code')!;
    const answer = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: GLUCOSUIVI_CLIENT_ID,
      code_verifier: verifier,
    });
    expect(answer.json().patient).toBe(chloe.id);
    const access = answer.json().access_token as string;
    expect((await fhirGet(`Patient/${chloe.id}`, access)).statusCode).toBe(200);
    // The Assurance Maladie no longer lists Émilie as Chloé's representative (or Chloé came of age).
    const links = await carnet.ctx.db
      .selectFrom('representatives')
      .selectAll()
      .where('patient_id', '=', chloe.id)
      .execute();
    await carnet.ctx.db.deleteFrom('representatives').where('patient_id', '=', chloe.id).execute();
    try {
      expect((await fhirGet(`Patient/${chloe.id}`, access)).statusCode).toBe(401);
    } finally {
      await carnet.ctx.db.insertInto('representatives').values(links).execute();
    }
  });

  it('a suspended service loses access at once, and cannot be connected while suspended', async () => {
    const tokens = await connect(['read-measurements']);
    await decideServiceStatus(carnet.ctx, 'glucosuivi', 'suspend', 'Faille de sécurité signalée');
    try {
      expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(401);
      const screen = await carnet.app.inject({
        method: 'GET',
        url: `/api/patient/oauth/request?${new URLSearchParams(authorizeQuery(pkce().challenge)).toString()}`,
        headers: { cookie },
      });
      expect(screen.json().error.code).toBe('oauth-unknown-client');
    } finally {
      await decideServiceStatus(carnet.ctx, 'glucosuivi', 'reinstate', 'Faille corrigée');
    }
  });
});
