/**
 * For integration tests: a tiny cookie-jar browser over plain fetch, and a helper that signs a professional
 * in through the real OpenID Connect flow (Carnet → development provider → Carnet).
 */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects (GET) until a non-redirect answer or until `stop` says so; returns the last response. */
  async follow(
    path: string,
    stop: (url: URL) => boolean = () => false,
  ): Promise<{ response: Response; url: URL }> {
    let url = new URL(path, this.baseUrl);
    for (let hops = 0; hops < 15; hops++) {
      if (stop(url)) return { response: new Response(null, { status: 299 }), url };
      const response = await this.fetch(url.href);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url };
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  /** Submits a form of the current page (urlencoded) and returns the redirect target. */
  async submit(action: string, fields: Record<string, string>): Promise<Response> {
    return this.fetch(action, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

/** The login form action of the provider's interaction page. */
export function loginActionOf(html: string): string {
  const match = /<form method="post" action="([^"]+\/login)"/.exec(html);
  if (!match) throw new Error('no login form on the page');
  return match[1]!;
}

/**
 * Signs the professional with this national id (`8` + RPPS) in, up to Carnet's callback. With `interceptCallback`
 * the callback URL is returned instead of visited (to tamper with it, or to exchange the code by hand).
 */
export async function signInThroughProvider(
  browser: TestBrowser,
  nationalId: string,
  options: { loginPath?: string; interceptCallback?: boolean } = {},
): Promise<{ response: Response; url: URL }> {
  const isCallback = (url: URL) => url.pathname === '/auth/pro/callback';
  const page = await browser.follow(options.loginPath ?? '/auth/pro/login');
  if (page.response.status !== 200) throw new Error(`login page answered ${page.response.status}`);
  const action = loginActionOf(await page.response.text());
  const chosen = await browser.submit(action, { sub: nationalId });
  const location = chosen.headers.get('location');
  if (!location) throw new Error(`login answered ${chosen.status} without redirect`);
  const reached = await browser.follow(new URL(location, browser.baseUrl).href, isCallback);
  if (!isCallback(reached.url)) throw new Error(`the provider did not come back: ${reached.response.status}`);
  if (options.interceptCallback) return reached;
  return { response: await browser.fetch(reached.url.href), url: reached.url };
}
