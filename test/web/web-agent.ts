/**
 * A tiny browser stand-in for `inject()` tests: keeps cookies between requests and picks the
 * CSRF token out of the last page, like a person filling in the form would.
 *
 * @example
 *   const a = new WebAgent(t.app);
 *   await a.get('/account/sign-up');
 *   const res = await a.post('/account/sign-up', { email, password });
 */
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../src/http/app-type.js';
import type { ScryptParams } from '../../src/web/auth/password-hasher.js';

/** Fast enough for dozens of sign-ups per test file; production uses DEFAULT_SCRYPT. */
export const TEST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };

export function csrfFrom(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

export class WebAgent {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  last: LightMyRequestResponse | undefined;

  private readonly headers: Record<string, string>;
  private readonly remoteAddress: string | undefined;

  constructor(
    private readonly app: App,
    opts: { headers?: Record<string, string>; remoteAddress?: string } = {},
  ) {
    this.headers = opts.headers ?? {};
    this.remoteAddress = opts.remoteAddress;
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    const set = res.headers['set-cookie'];
    for (const line of set === undefined ? [] : Array.isArray(set) ? set : [set]) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const token = res.headers['content-type']?.toString().startsWith('text/html')
      ? csrfFrom(res.body)
      : undefined;
    if (token) this.csrf = token;
    this.last = res;
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        remoteAddress: this.remoteAddress,
        headers: { ...this.headers, ...this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a form; `_csrf` is the last page's token unless the form sets its own (or null: none). */
  async post(
    url: string,
    form: Record<string, string | null> = {},
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const fields = Object.entries({ _csrf: this.csrf ?? null, ...form }).filter(
      (e): e is [string, string] => e[1] !== null,
    );
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.remoteAddress,
        headers: {
          ...this.headers,
          ...this.cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** Signs up (or in) through the real forms; returns the final response. */
  async signUp(email: string, password = 'correct horse battery'): Promise<LightMyRequestResponse> {
    await this.get('/account/sign-up');
    return this.post('/account/sign-up', { email, password });
  }

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/account/sign-in');
    return this.post('/account/sign-in', { email, password });
  }
}
