import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startTestCarnet, type TestCarnet } from '../../server/test-server.ts';
import { testDialects } from '../../storage/test-databases.ts';
import { DEV_CLIENT_ID, devClientSecret } from './dev-client.ts';
import { verifyBearer } from '../bearer.ts';
import { TestBrowser, signInThroughProvider } from './test-pro-login.ts';

const MARTIN = '810001000115';

/** The PKCE verifier Carnet keeps in its signed login cookie (`<json>.<signature>`, URL-encoded). */
function verifierOf(browser: TestBrowser): string {
  const raw = decodeURIComponent(browser.cookies.get('carnet_pro_login')!);
  return (JSON.parse(raw.slice(0, raw.lastIndexOf('.'))) as { codeVerifier: string }).codeVerifier;
}

async function exchange(carnet: TestCarnet, code: string, verifier: string): Promise<Response> {
  return fetch(`${carnet.url}/idp/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${DEV_CLIENT_ID}:${devClientSecret(carnet.config)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: `${carnet.url}/auth/pro/callback`,
    }),
  });
}

describe.each(testDialects)('professional sign-in through the identity provider (%s)', (dialect) => {
  let carnet: TestCarnet;
  beforeAll(async () => {
    carnet = await startTestCarnet(dialect);
  });
  afterAll(async () => {
    await carnet?.stop();
  });

  it('signs Dr Martin in with her e-CPS and shows her identity, then signs her out', async () => {
    const browser = new TestBrowser(carnet.url);
    const login = await browser.follow('/auth/pro/login');
    const page = await login.response.text();
    expect(login.url.pathname).toMatch(/^\/idp\/interaction\//);
    expect(page).toContain('Se connecter avec la carte e-CPS de Dr Claire MARTIN');
    expect(page).toContain('Cabinet médical des Lilas');

    const { response, url } = await signInThroughProvider(browser, MARTIN);
    expect(url.pathname).toBe('/auth/pro/callback');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/pro/');
    const cookie = browser.cookies.get('carnet_pro')!;
    expect(cookie).toBeTruthy();

    const me = await browser.fetch('/api/pro/me');
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      nationalId: MARTIN,
      rpps: '10001000115',
      givenName: 'Claire',
      familyName: 'Martin',
      professionCode: '10',
      professionLabel: 'Médecin',
      specialtyCode: 'SM26',
      structure: { name: 'Cabinet médical des Lilas', nationalId: '312345678900011' },
    });
    // Only a hash of the cookie is stored.
    const sessions = await carnet.ctx.db.selectFrom('sessions').select(['id', 'kind']).execute();
    expect(sessions.some((s) => s.kind === 'professional')).toBe(true);
    expect(sessions.some((s) => s.id === cookie)).toBe(false);

    expect((await browser.fetch('/auth/pro/logout', { method: 'POST' })).status).toBe(204);
    const after = await fetch(`${carnet.url}/api/pro/me`, { headers: { cookie: `carnet_pro=${cookie}` } });
    expect(after.status).toBe(401);
  });

  // Security review regression: fails on 027241f, before the fix.
  it('carries the SAMU regulator role of the sign-in into the portal session, for the regulator only', async () => {
    const roleOf = async (nationalId: string) => {
      const browser = new TestBrowser(carnet.url);
      await signInThroughProvider(browser, nationalId);
      const me = await browser.fetch('/api/pro/me');
      return (await me.json()) as { regulator: boolean };
    };
    expect(await roleOf('810001000818')).toMatchObject({ regulator: true });
    expect(await roleOf(MARTIN)).toMatchObject({ regulator: false });
  });

  it('starts the sign-in on the configured base URL, so the login cookie comes back', async () => {
    const other = carnet.url.replace('localhost', '127.0.0.1');
    const response = await fetch(`${other}/auth/pro/login`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${carnet.url}/auth/pro/login`);
  });

  it('refuses a callback whose state was tampered with, and opens no session', async () => {
    const browser = new TestBrowser(carnet.url);
    const { url } = await signInThroughProvider(browser, MARTIN, { interceptCallback: true });
    url.searchParams.set('state', 'forged-state');
    const before = await carnet.ctx.db.selectFrom('sessions').select('id').execute();
    const response = await browser.fetch(url.pathname + url.search);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('pro-login-failed');
    expect(browser.cookies.has('carnet_pro')).toBe(false);
    expect(await carnet.ctx.db.selectFrom('sessions').select('id').execute()).toHaveLength(before.length);
  });

  it('requires PKCE: no code challenge, or a wrong verifier, is refused by the provider', async () => {
    const authorize = new URL(`${carnet.url}/idp/auth`);
    authorize.search = new URLSearchParams({
      client_id: DEV_CLIENT_ID,
      response_type: 'code',
      scope: 'openid scope_all',
      redirect_uri: `${carnet.url}/auth/pro/callback`,
      state: 's',
      nonce: 'n',
    }).toString();
    const noChallenge = await fetch(authorize, { redirect: 'manual' });
    expect(noChallenge.headers.get('location')).toContain('error=invalid_request');

    const browser = new TestBrowser(carnet.url);
    const { url } = await signInThroughProvider(browser, MARTIN, { interceptCallback: true });
    const code = url.searchParams.get('code')!;
    const wrong = await exchange(carnet, code, 'x'.repeat(43) + 'wrongverifier');
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it("issues JWT access tokens for Carnet's API that verifyBearer accepts", async () => {
    const browser = new TestBrowser(carnet.url);
    const { url } = await signInThroughProvider(browser, '810001000214', { interceptCallback: true });
    const tokens = (await (
      await exchange(carnet, url.searchParams.get('code')!, verifierOf(browser))
    ).json()) as {
      access_token: string;
    };
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: `${carnet.url}/fhir`,
      SubjectNameID: '810001000214',
      SubjectRole: ['60^1.2.250.1.213.1.1.5.5'],
    });
    const principal = await verifyBearer(carnet.ctx, `Bearer ${tokens.access_token}`);
    expect(principal).toMatchObject({ kind: 'professional', rpps: '10001000214', professionCode: '60' });
  });
});
