import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'fhir-kit-client';
import * as oauthClient from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientSession, PATIENT_SESSION_COOKIE } from '../auth/index.ts';
import { decideServiceStatus, GLUCOSUIVI_CLIENT_ID } from '../catalogue/index.ts';
import { seedDemo } from '../demo/index.ts';
import type { Ins } from '../identity/index.ts';
import { findInsuredByIns } from '../insured/index.ts';
import { startTestCarnet, type TestCarnet } from '../server/test-server.ts';
import { testDialects } from '../storage/test-databases.ts';
import { outgoingEmails } from '../mail/test-outbox.ts';

const REDIRECT = 'http://127.0.0.1:8090/callback';
const RDV = {
  clientId: 'rdv-sante-proche',
  redirectUri: 'https://www.rdv-sante-proche.example.fr/connexion/retour',
};
const NEUF_MOIS = {
  clientId: 'neuf-mois-serein',
  redirectUri: 'https://www.neufmoisserein.example.fr/auth/callback',
};

/** fhir-kit-client rejects a non-2xx answer with `response: { status, data }`. */
interface ClientError {
  response: { status: number; data: { resourceType: string; issue: { code: string }[] } };
}
async function failure(request: () => Promise<unknown>): Promise<ClientError> {
  try {
    await request();
  } catch (error) {
    return error as ClientError;
  }
  throw new Error('expected the request to fail');
}

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

  interface Tokens {
    access_token: string;
    refresh_token: string;
    scope: string;
    patient: string;
  }

  /** A full connection with the given purposes ticked: the app's tokens. */
  const connect = (purposes: string[]) => connectService({ purposes });

  /** A full connection of any service, asking `scope`, consented by `asWho` for `profileId`. */
  const connectService = async (options: {
    purposes: string[];
    clientId?: string;
    redirectUri?: string;
    scope?: string;
    asWho?: string;
    profileId?: string;
  }): Promise<Tokens> => {
    const { verifier, challenge } = pkce();
    const redirectUri = options.redirectUri ?? REDIRECT;
    const clientId = options.clientId ?? GLUCOSUIVI_CLIENT_ID;
    const query = authorizeQuery(challenge, {
      client_id: clientId,
      redirect_uri: redirectUri,
      ...(options.scope ? { scope: options.scope } : {}),
    });
    const decided = await carnet.app.inject({
      method: 'POST',
      url: '/api/patient/oauth/decision',
      headers: { cookie: options.asWho ?? cookie },
      payload: {
        query,
        approve: true,
        patientId: options.profileId ?? patientId,
        purposes: options.purposes,
      },
    });
    const code = new URL(decided.json().redirectTo as string).searchParams.get('code')!;
    const response = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    });
    expect(response.statusCode).toBe(200);
    return response.json() as Tokens;
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
    expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(200);

    // Revoking one access token stops only that one: the refresh token still gives a new one.
    await oauthClient.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(401);
    const refreshed = await oauthClient.refreshTokenGrant(config, tokens.refresh_token!);
    expect((await fhirGet(`Observation?patient=${patientId}`, refreshed.access_token)).statusCode).toBe(200);

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
    expect((await fhirGet(`Observation?patient=${patientId}`, refreshed.access_token)).statusCode).toBe(401);
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
    expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(200);
    const missing = await revoke({ token: tokens.access_token });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: 'invalid_request' });
    expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(200);
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
    // Its patient's id comes with the token (launch context); her identity is not its business.
    expect((await fhirGet(`Patient/${patientId}`, tokens.access_token)).statusCode).toBe(403);

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
    const afterReplay = await fhirGet(`Observation?patient=${patientId}`, first.json().access_token);
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
    expect((await fhirGet(`Observation?patient=${patientId}`, first.json().access_token)).statusCode).toBe(
      200,
    );
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
    expect((await fhirGet(`Observation?patient=${patientId}`, winner.access_token)).statusCode).toBe(401);
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
    expect((await fhirGet(`Observation?patient=${patientId}`, access)).statusCode).toBe(200);
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
    const after = await fhirGet(`Observation?patient=${patientId}`, access);
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
    expect((await fhirGet(`Observation?patient=${chloe.id}`, access)).statusCode).toBe(200);
    // The Assurance Maladie no longer lists Émilie as Chloé's representative (or Chloé came of age).
    const links = await carnet.ctx.db
      .selectFrom('representatives')
      .selectAll()
      .where('patient_id', '=', chloe.id)
      .execute();
    await carnet.ctx.db.deleteFrom('representatives').where('patient_id', '=', chloe.id).execute();
    try {
      expect((await fhirGet(`Observation?patient=${chloe.id}`, access)).statusCode).toBe(401);
    } finally {
      await carnet.ctx.db.insertInto('representatives').values(links).execute();
    }
  });

  it('a suspended service loses access at once, and cannot be connected while suspended', async () => {
    const tokens = await connect(['read-measurements']);
    await decideServiceStatus(carnet.ctx, 'glucosuivi', 'suspend', 'Faille de sécurité signalée');
    try {
      expect((await fhirGet(`Observation?patient=${patientId}`, tokens.access_token)).statusCode).toBe(401);
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
  /** An app's FHIR client (fhir-kit-client, over real HTTP) holding this access token. */
  const fhirClient = (accessToken: string) =>
    new Client({ baseUrl: `${carnet.config.baseUrl}/fhir`, bearerToken: accessToken });

  /** The SMART configuration as a third-party client reads it, and openid-client configured from it. */
  const thirdPartyClient = async () => {
    const metadata = (await (
      await fetch(`${carnet.config.baseUrl}/fhir/.well-known/smart-configuration`)
    ).json()) as oauthClient.ServerMetadata & { capabilities: string[] };
    const config = new oauthClient.Configuration(
      metadata,
      GLUCOSUIVI_CLIENT_ID,
      undefined,
      oauthClient.None(),
    );
    oauthClient.allowInsecureRequests(config);
    return { metadata, config };
  };

  // Security review regression: fails on 027241f, before the fix.
  it('tells an app that only writes measurements its patient’s id, nothing more: Patient reads are 403', async () => {
    const tokens = await connectService({
      purposes: ['write-measurements'],
      scope: 'launch/patient patient/Observation.write',
    });
    // The launch context names the patient; that is all the app needs to write her measurements.
    expect(tokens.patient).toBe(patientId);
    expect((await postGlucose(tokens.access_token, 1.05)).statusCode).toBe(201);
    const fhir = fhirClient(tokens.access_token);
    const read = await failure(() => fhir.read({ resourceType: 'Patient', id: patientId }));
    expect(read.response.status).toBe(403);
    expect(read.response.data).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'forbidden' }],
    });
    const search = await failure(() =>
      fhir.search({
        resourceType: 'Patient',
        searchParams: { identifier: 'urn:oid:1.2.250.1.213.1.4.8|168047505611243' },
      }),
    );
    expect(search.response.status).toBe(403);
    expect(search.response.data.resourceType).toBe('OperationOutcome');

    // An app granted her documents (which name her anyway) reads who she is.
    const reader = await connectService({
      ...NEUF_MOIS,
      scope: 'launch/patient patient/DocumentReference.read',
      purposes: ['read-documents'],
    });
    expect(
      await fhirClient(reader.access_token).read({ resourceType: 'Patient', id: patientId }),
    ).toMatchObject({ resourceType: 'Patient', id: patientId });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('grants SMART v2 scopes exactly as asked: Observation.c creates, never reads, and is not widened', async () => {
    const { config } = await thirdPartyClient();
    const verifier = oauthClient.randomPKCECodeVerifier();
    const authorizeUrl = oauthClient.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'launch/patient offline_access patient/Observation.c',
      code_challenge: await oauthClient.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      aud: `${carnet.config.baseUrl}/fhir`,
    });
    const decided = await consent(Object.fromEntries(authorizeUrl.searchParams), ['write-measurements']);
    const tokens = await oauthClient.authorizationCodeGrant(config, new URL(decided.body.redirectTo!), {
      pkceCodeVerifier: verifier,
    });
    expect(tokens.scope).toBe('launch/patient offline_access patient/Observation.c');
    const refreshed = await oauthClient.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.scope).toBe('launch/patient offline_access patient/Observation.c');
    expect((await postGlucose(refreshed.access_token, 1.12)).statusCode).toBe(201);
    const listed = await failure(() =>
      fhirClient(refreshed.access_token).search({
        resourceType: 'Observation',
        searchParams: { patient: patientId },
      }),
    );
    expect(listed.response.status).toBe(403);

    // Asked for more than the patient consented to: only the consented part, in the app's own syntax.
    const narrowed = await connectService({
      purposes: ['write-measurements'],
      scope: 'launch/patient patient/Observation.cruds',
    });
    expect(narrowed.scope).toBe('launch/patient patient/Observation.cud');

    // Appointment.c pushes an appointment, but neither reschedules it nor reads the agenda.
    const pusher = await connectService({
      ...RDV,
      scope: 'launch/patient patient/Appointment.c',
      purposes: ['write-agenda'],
    });
    expect(pusher.scope).toBe('launch/patient patient/Appointment.c');
    const appointment = (start: string) => ({
      resourceType: 'Appointment',
      status: 'booked',
      description: 'Consultation de cardiologie',
      start,
      end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
      participant: [
        { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
        { actor: { display: 'Dr Claire MARTIN' }, status: 'accepted' },
      ],
    });
    const agenda = fhirClient(pusher.access_token);
    const created = (await agenda.create({
      resourceType: 'Appointment',
      body: appointment('2027-05-03T08:00:00Z'),
    })) as unknown as { id: string };
    const moved = { ...appointment('2027-05-04T08:00:00Z'), id: created.id };
    const update = await failure(() =>
      agenda.update({ resourceType: 'Appointment', id: created.id, body: moved }),
    );
    expect(update.response.status).toBe(403);
    const search = await failure(() =>
      agenda.search({ resourceType: 'Appointment', searchParams: { patient: patientId } }),
    );
    expect(search.response.status).toBe(403);
    // Asked (and granted) create and update, the same app reschedules what it pushed.
    const rescheduler = await connectService({
      ...RDV,
      scope: 'launch/patient patient/Appointment.cu',
      purposes: ['write-agenda'],
    });
    expect(
      await fhirClient(rescheduler.access_token).update({
        resourceType: 'Appointment',
        id: created.id,
        body: moved,
      }),
    ).toMatchObject({ id: created.id, start: '2027-05-04T08:00:00.000Z' });
  });

  // Security review regression: fails on 027241f, before the fix.
  it('advertises permission-offline, as an app asking offline_access gets a refresh token', async () => {
    const { metadata } = await thirdPartyClient();
    expect(metadata.capabilities).toContain('permission-offline');
    expect(metadata.scopes_supported).toContain('offline_access');
    expect((await connect(['read-measurements'])).refresh_token).toBeTruthy();
  });

  // Security review regression: fails on 027241f, before the fix.
  it('a parent’s connection on a child’s profile gives no new token once the child comes of age', async () => {
    const emilie = (await findInsuredByIns(carnet.ctx.db, '290063306307802' as Ins))!;
    const chloe = (await findInsuredByIns(carnet.ctx.db, '215027511520318' as Ins))!;
    const session = await createPatientSession(carnet.ctx.db, emilie.id, carnet.ctx.clock.now());
    const tokens = await connectService({
      purposes: ['read-measurements'],
      asWho: `${PATIENT_SESSION_COOKIE}=${session.token}`,
      profileId: chloe.id,
    });
    expect(tokens.patient).toBe(chloe.id);
    expect(tokens.refresh_token).toBeTruthy();
    // Chloé turned 18 two days ago: her mother no longer speaks for her, and neither does the app she connected.
    const now = carnet.ctx.clock.now();
    const adult = new Date(Date.UTC(now.getUTCFullYear() - 18, now.getUTCMonth(), now.getUTCDate() - 2));
    const setBirthDate = (birthDate: string) =>
      carnet.ctx.db
        .updateTable('patients')
        .set({ birth_date: birthDate })
        .where('id', '=', chloe.id)
        .execute();
    await setBirthDate(adult.toISOString().slice(0, 10));
    try {
      const refreshed = await token({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: GLUCOSUIVI_CLIENT_ID,
      });
      expect([refreshed.statusCode, refreshed.json().error]).toEqual([400, 'invalid_grant']);
      expect(refreshed.json().access_token).toBeUndefined();
      expect((await fhirGet(`Observation?patient=${chloe.id}`, tokens.access_token)).statusCode).toBe(401);
    } finally {
      await setBirthDate(chloe.birthDate);
    }
  });
});
