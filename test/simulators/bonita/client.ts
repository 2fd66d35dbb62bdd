/** A cookie-keeping test client for the Bonita simulator, over global fetch. */

export interface Req {
  body?: string | Buffer | FormData | URLSearchParams;
  headers?: Record<string, string>;
  /** send the session token in X-Bonita-API-Token */
  csrf?: boolean;
  /** do not send any cookie */
  noCookies?: boolean;
}

/** A tiny cookie-keeping client over global fetch (cookies keyed by name, as a browser would for one path). */
export class Client {
  cookies = new Map<string, string>();
  lastSetCookies: string[] = [];
  constructor(readonly base: string) {}

  get token(): string | undefined {
    return this.cookies.get('X-Bonita-API-Token');
  }
  get jsession(): string | undefined {
    return this.cookies.get('JSESSIONID');
  }

  async req(method: string, p: string, opts: Req = {}): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    if (!opts.noCookies && this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (opts.csrf && this.token) headers['X-Bonita-API-Token'] = this.token;
    const body = Buffer.isBuffer(opts.body) ? new Uint8Array(opts.body) : opts.body;
    const res = await fetch(this.base + p, { method, headers, body, redirect: 'manual' });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const sc of this.lastSetCookies) {
      const [pair = ''] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*Max-Age=0/i.test(sc)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  login(username = 'walter.bates', password = 'bpm', extra: Record<string, string> = {}): Promise<Response> {
    return this.req('POST', '/loginservice', {
      body: new URLSearchParams({ username, password, redirect: 'false', ...extra }).toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  }

  async getJson(p: string): Promise<{ res: Response; data: unknown }> {
    const res = await this.req('GET', p);
    const text = await res.text();
    return { res, data: text ? (JSON.parse(text) as unknown) : undefined };
  }

  postJson(p: string, value: unknown, csrf = true): Promise<Response> {
    return this.req('POST', p, { body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' }, csrf });
  }
}

export type Json = Record<string, unknown>;
export const asItems = (v: unknown): Json[] => v as Json[];
