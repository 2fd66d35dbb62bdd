import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { startSimpliciteSimulator, type SimpliciteSimulator, type SimpliciteSimulatorOptions } from './index';

type Json = Record<string, unknown>;
/** The seed records' created_dt and updated_dt. */
const SEED_STAMP = '2026-01-05 09:00:00';
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface Req {
  body?: string | FormData | URLSearchParams;
  headers?: Record<string, string>;
}

function basic(login: string, password: string): string {
  return `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** fetch against a base URL, no redirect following. */
function call(base: string, method: string, p: string, opts: Req = {}): Promise<Response> {
  return fetch(base + p, { method, headers: opts.headers, body: opts.body, redirect: 'manual' });
}

/** Everything (deeply) a string, as Simplicité record values are. */
function allStrings(row: Json): boolean {
  return Object.values(row).every((v) => typeof v === 'string');
}

describe('Simplicité simulator', function () {
  this.timeout(20000);
  let sim: SimpliciteSimulator;
  let api: string;
  const extra: SimpliciteSimulator[] = [];

  async function startExtra(opts: SimpliciteSimulatorOptions): Promise<SimpliciteSimulator> {
    const s = await startSimpliciteSimulator(opts);
    extra.push(s);
    return s;
  }

  async function login(base = api, user = 'designer', password = 'designer'): Promise<string> {
    const res = await call(base, 'GET', '/login', { headers: { Authorization: basic(user, password) } });
    expect(res.status).to.equal(200);
    return res.text();
  }

  /** GET/POST/... with the token in X-Simplicite-Authorization. */
  function authed(token: string, method: string, p: string, opts: Req = {}, base = api): Promise<Response> {
    return call(base, method, p, { ...opts, headers: { 'X-Simplicite-Authorization': `Bearer ${token}`, ...opts.headers } });
  }
  function sendJson(token: string, method: string, p: string, value: unknown): Promise<Response> {
    return authed(token, method, p, { body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } });
  }

  beforeEach(async () => {
    sim = await startSimpliciteSimulator();
    api = `${sim.url}/api`;
  });
  afterEach(async () => {
    await sim.close();
    while (extra.length) await extra.pop()!.close();
  });

  describe('startup', () => {
    it('listens on 127.0.0.1 as a ROOT deployment (API at /api)', async () => {
      expect(sim.origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.url).to.equal(sim.origin);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, logouts: 0, apiCalls: 0 });
      expect((await call(sim.origin, 'GET', '/api/login', { headers: { Authorization: basic('designer', 'designer') } })).status).to.equal(200);
    });

    it('honours the contextPath option (API at <context>/api, health at <context>/health)', async () => {
      const s = await startExtra({ contextPath: 'myapp/' });
      expect(s.url).to.equal(`${s.origin}/myapp`);
      const token = await login(`${s.url}/api`);
      expect((await authed(token, 'GET', '/rest/DemoClient', {}, `${s.url}/api`)).status).to.equal(200);
      expect((await call(s.origin, 'GET', '/api/login', { headers: { Authorization: basic('designer', 'designer') } })).status).to.equal(404);
      expect((await call(s.url, 'GET', '/health?format=json')).status).to.equal(200);
      expect((await call(s.origin, 'GET', '/health?format=json')).status).to.equal(404);
    });
  });

  describe('login: credentials', () => {
    it('HTTP Basic: 200 with the token as text/plain', async () => {
      const res = await call(api, 'GET', '/login', { headers: { Authorization: basic('designer', 'designer') } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/plain/);
      const token = await res.text();
      expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect((await authed(token, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      expect(sim.stats.logins).to.equal(1);
    });

    it('HTTP Basic in the custom X-Simplicite-Authorization header, and on POST', async () => {
      const res = await call(api, 'POST', '/login', { headers: { 'X-Simplicite-Authorization': basic('designer', 'designer') } });
      expect(res.status).to.equal(200);
      expect((await authed(await res.text(), 'GET', '/rest/DemoProduct')).status).to.equal(200);
    });

    it('GET query username/password', async () => {
      const res = await call(api, 'GET', '/login?username=designer&password=designer');
      expect(res.status).to.equal(200);
      expect((await authed(await res.text(), 'GET', '/rest/DemoProduct')).status).to.equal(200);
    });

    it('POST multipart form (curl --form) and urlencoded form', async () => {
      const fd = new FormData();
      fd.set('username', 'designer');
      fd.set('password', 'designer');
      const m = await call(api, 'POST', '/login', { body: fd });
      expect(m.status).to.equal(200);
      expect((await authed(await m.text(), 'GET', '/rest/DemoProduct')).status).to.equal(200);
      const u = await call(api, 'POST', '/login', { body: new URLSearchParams({ username: 'designer', password: 'designer' }) });
      expect(u.status).to.equal(200);
      expect((await authed(await u.text(), 'GET', '/rest/DemoProduct')).status).to.equal(200);
    });

    it('acceptUrlencodedLogin=false ignores an urlencoded body (401) but still reads multipart', async () => {
      const s = await startExtra({ acceptUrlencodedLogin: false });
      const u = await call(`${s.url}/api`, 'POST', '/login', { body: new URLSearchParams({ username: 'designer', password: 'designer' }) });
      expect(u.status).to.equal(401);
      const fd = new FormData();
      fd.set('username', 'designer');
      fd.set('password', 'designer');
      expect((await call(`${s.url}/api`, 'POST', '/login', { body: fd })).status).to.equal(200);
    });

    it('missing or wrong credentials: 401 with an empty body (text mode)', async () => {
      const cases: Array<[string, Req]> = [
        ['/login', {}],
        ['/login?username=designer', {}],
        ['/login?username=designer&password=wrong', {}],
        ['/login?username=nobody&password=designer', {}],
        ['/login?username=&password=', {}],
        ['/login', { headers: { Authorization: basic('designer', 'wrong') } }],
        ['/login', { headers: { Authorization: basic('designer', '') } }],
        ['/login', { headers: { Authorization: 'Basic !!!notbase64' } }],
      ];
      for (const [p, opts] of cases) {
        const res = await call(api, 'GET', p, opts);
        expect(res.status, p).to.equal(401);
        expect(await res.text(), p).to.equal('');
      }
      expect(sim.stats.loginFailures).to.equal(cases.length);
      expect(sim.stats.logins).to.equal(0);
    });

    it('login with a valid bearer token re-validates it (same token); with a dead one 401', async () => {
      const token = await login();
      const res = await call(api, 'GET', '/login?format=json', { headers: { 'X-Simplicite-Authorization': `Bearer ${token}` } });
      expect(res.status).to.equal(200);
      expect(((await res.json()) as Json).authtoken).to.equal(token);
      expect((await call(api, 'GET', '/login', { headers: { Authorization: 'Bearer nope' } })).status).to.equal(401);
    });

    it('answers 405 on other methods', async () => {
      expect((await call(api, 'PUT', '/login?username=designer&password=designer')).status).to.equal(405);
      expect((await call(api, 'DELETE', '/logout')).status).to.equal(405);
    });

    it('issues a new token per login (all valid); reuseTokens=true returns the live one', async () => {
      const a = await login();
      const b = await login();
      expect(a).to.not.equal(b);
      expect((await authed(a, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      expect((await authed(b, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      const s = await startExtra({ reuseTokens: true });
      const c = await login(`${s.url}/api`);
      expect(await login(`${s.url}/api`)).to.equal(c);
    });

    it('tokenMode simple gives a 50-character alphanumeric token; jwt (default) names the user', async () => {
      const s = await startExtra({ tokenMode: 'simple' });
      expect(await login(`${s.url}/api`)).to.match(/^[A-Za-z0-9]{50}$/);
      const jwt = await login();
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Json;
      expect(payload.sub).to.equal('designer');
    });

    it('accepts other configured users and keeps them apart', async () => {
      const s = await startExtra({ users: { alice: 'a1', bob: 'b2' } });
      const base = `${s.url}/api`;
      expect((await call(base, 'GET', '/login?username=designer&password=designer')).status).to.equal(401);
      const res = await call(base, 'GET', '/login?username=bob&password=b2&_json=true');
      const body = (await res.json()) as Json;
      expect(body.login).to.equal('bob');
    });
  });

  describe('login: response shapes', () => {
    const KEYS = ['authtoken', 'sessionid', 'login', 'firstname', 'lastname', 'lang', 'authtokenexpiry', 'userid', 'email'];

    for (const variant of ['_json=true', '_output=json', 'format=json', 'accept']) {
      it(`JSON with ${variant}`, async () => {
        const before = Date.now();
        const res =
          variant === 'accept'
            ? await call(api, 'GET', '/login', { headers: { Authorization: basic('designer', 'designer'), Accept: 'application/json' } })
            : await call(api, 'GET', `/login?${variant}`, { headers: { Authorization: basic('designer', 'designer') } });
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.match(/^application\/json/);
        const body = (await res.json()) as Json;
        expect(Object.keys(body)).to.have.members(KEYS);
        expect(body.login).to.equal('designer');
        expect(body.lang).to.equal('ENU');
        expect(body.sessionid).to.match(/^[0-9A-F]{32}$/);
        expect(body.authtokenexpiry).to.be.a('number').within(before + 30 * 60 * 1000 - 10, Date.now() + 30 * 60 * 1000 + 10);
        expect((await authed(body.authtoken as string, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      });
    }

    it('JSON from a form-posted format=json too; loginJsonExtras=false gives the 6 documented fields', async () => {
      const res = await call(api, 'POST', '/login', { body: new URLSearchParams({ username: 'designer', password: 'designer', format: 'json' }) });
      expect(Object.keys((await res.json()) as Json)).to.have.members(KEYS);
      const s = await startExtra({ loginJsonExtras: false });
      const r2 = await call(`${s.url}/api`, 'GET', '/login?_json=true&username=designer&password=designer');
      expect(Object.keys((await r2.json()) as Json)).to.have.members(['authtoken', 'sessionid', 'login', 'firstname', 'lastname', 'lang']);
    });

    it('JSON mode failure: 401 {"error","status":401}', async () => {
      for (const p of ['/login?_json=true', '/login?format=json&username=designer&password=bad', '/login?_oauth2=true&username=x&password=y']) {
        const res = await call(api, 'GET', p);
        expect(res.status, p).to.equal(401);
        const body = (await res.json()) as Json;
        expect(body.status).to.equal(401);
        expect(body.error).to.be.a('string').and.not.equal('');
      }
      const res = await call(api, 'GET', '/login', { headers: { Accept: 'application/json' } });
      expect(res.status).to.equal(401);
      expect(((await res.json()) as Json).status).to.equal(401);
    });

    for (const variant of ['_oauth2=true', '_output=oauth2']) {
      it(`OAuth2 shape with ${variant}`, async () => {
        const res = await call(api, 'GET', `/login?${variant}`, { headers: { Authorization: basic('designer', 'designer') } });
        expect(res.status).to.equal(200);
        const body = (await res.json()) as Json;
        expect(Object.keys(body)).to.have.members(['access_token', 'token_type', 'expires_in', 'scope']);
        expect(body.token_type).to.equal('bearer');
        expect(body.expires_in).to.equal(300);
        expect(body.scope).to.equal(null);
        expect((await authed(body.access_token as string, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      });
    }

    it('expiresIn sets expires_in', async () => {
      const s = await startExtra({ expiresIn: 1800 });
      const res = await call(`${s.url}/api`, 'GET', '/login?_oauth2=true&username=designer&password=designer');
      expect(((await res.json()) as Json).expires_in).to.equal(1800);
    });

    it('oauth2RequiresHttps: 400 over plain http, 200 behind an HTTPS proxy (X-Forwarded-Proto)', async () => {
      const s = await startExtra({ oauth2RequiresHttps: true });
      const base = `${s.url}/api`;
      const plain = await call(base, 'GET', '/login?_oauth2=true&username=designer&password=designer');
      expect(plain.status).to.equal(400);
      expect(((await plain.json()) as Json).error).to.match(/HTTPS/);
      const proxied = await call(base, 'GET', '/login?_oauth2=true&username=designer&password=designer', { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(proxied.status).to.equal(200);
      // the other shapes do not care
      expect((await call(base, 'GET', '/login?_json=true&username=designer&password=designer')).status).to.equal(200);
    });

    it('redirect_uri: 302 to <uri>?access_token=<token> (or &access_token= when the uri has a query)', async () => {
      const res = await call(api, 'GET', `/login?redirect_uri=${encodeURIComponent('https://app.example/cb')}`, { headers: { Authorization: basic('designer', 'designer') } });
      expect(res.status).to.equal(302);
      const loc = new URL(res.headers.get('location')!);
      expect(loc.origin + loc.pathname).to.equal('https://app.example/cb');
      const token = loc.searchParams.get('access_token')!;
      expect((await authed(token, 'GET', '/rest/DemoProduct')).status).to.equal(200);
      const res2 = await call(api, 'GET', `/login?username=designer&password=designer&redirect_uri=${encodeURIComponent('https://app.example/cb?state=xyz#frag')}`);
      expect(res2.status).to.equal(302);
      expect(res2.headers.get('location')).to.match(/^https:\/\/app\.example\/cb\?state=xyz&access_token=[^&#]+#frag$/);
    });

    it('redirect_uri with bad credentials: 401, no redirect; redirectStatus option', async () => {
      const res = await call(api, 'GET', `/login?username=designer&password=bad&redirect_uri=${encodeURIComponent('https://app.example/cb')}`);
      expect(res.status).to.equal(401);
      expect(res.headers.get('location')).to.equal(null);
      const s = await startExtra({ redirectStatus: 303 });
      const r2 = await call(`${s.url}/api`, 'GET', `/login?username=designer&password=designer&redirect_uri=/cb`);
      expect(r2.status).to.equal(303);
      expect(r2.headers.get('location')).to.match(/^\/cb\?access_token=/);
    });
  });

  describe('token transports and rejection', () => {
    let token: string;
    beforeEach(async () => {
      token = await login();
    });

    it('accepts X-Simplicite-Authorization: Bearer, Authorization: Bearer and ?_x_simplicite_authorization_=', async () => {
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { 'X-Simplicite-Authorization': `Bearer ${token}` } })).status).to.equal(200);
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { Authorization: `Bearer ${token}` } })).status).to.equal(200);
      expect((await call(api, 'GET', `/rest/DemoClient?_x_simplicite_authorization_=${encodeURIComponent(token)}`)).status).to.equal(200);
      // the misspelled name of services-auth.md is not the parameter
      expect((await call(api, 'GET', `/rest/DemoClient?_x_simplicite_autorization_=${encodeURIComponent(token)}`)).status).to.equal(401);
    });

    it('urlParamName renames the URL parameter', async () => {
      const s = await startExtra({ urlParamName: 'tok' });
      const base = `${s.url}/api`;
      const t = await login(base);
      expect((await call(base, 'GET', `/rest/DemoClient?tok=${encodeURIComponent(t)}`)).status).to.equal(200);
      expect((await call(base, 'GET', `/rest/DemoClient?_x_simplicite_authorization_=${encodeURIComponent(t)}`)).status).to.equal(401);
      const r = await authed(t, 'GET', '/rest/SystemParam?sys_code=USERTOKENS_URL_PARAM', {}, base);
      expect(((await r.json()) as Json[])[0]!.sys_value).to.equal('tok');
    });

    it('a header without the "Bearer " prefix gets 401 (both headers), even with a valid token', async () => {
      for (const h of ['X-Simplicite-Authorization', 'Authorization']) {
        const res = await call(api, 'GET', '/rest/DemoClient', { headers: { [h]: token } });
        expect(res.status, h).to.equal(401);
        const body = (await res.json()) as Json;
        expect(body).to.include({ status: 401 });
        expect(body.error).to.be.a('string');
      }
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { Authorization: 'Bearer ' } })).status).to.equal(401);
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { Authorization: `Token ${token}` } })).status).to.equal(401);
    });

    it('a malformed header is not rescued by a valid URL parameter', async () => {
      const res = await call(api, 'GET', `/rest/DemoClient?_x_simplicite_authorization_=${encodeURIComponent(token)}`, { headers: { Authorization: token } });
      expect(res.status).to.equal(401);
    });

    it('bearerPrefixRequired=false takes a prefix-less header value as the token', async () => {
      const s = await startExtra({ bearerPrefixRequired: false });
      const t = await login(`${s.url}/api`);
      expect((await call(`${s.url}/api`, 'GET', '/rest/DemoClient', { headers: { 'X-Simplicite-Authorization': t } })).status).to.equal(200);
    });

    it('no credentials, unknown token, Basic on the API: 401', async () => {
      expect((await call(api, 'GET', '/rest/DemoClient')).status).to.equal(401);
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { Authorization: 'Bearer not-a-token' } })).status).to.equal(401);
      expect((await call(api, 'GET', '/rest/DemoClient?_x_simplicite_authorization_=nope')).status).to.equal(401);
      expect((await call(api, 'GET', '/rest/DemoClient', { headers: { Authorization: basic('designer', 'designer') } })).status).to.equal(401);
      expect((await call(api, 'POST', '/rest/DemoClient', { body: '{}', headers: { 'Content-Type': 'application/json' } })).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(5);
    });

    it('acceptBasicOnApi=true lets Basic through on REST calls (bad password still 401)', async () => {
      const s = await startExtra({ acceptBasicOnApi: true });
      expect((await call(`${s.url}/api`, 'GET', '/rest/DemoClient', { headers: { Authorization: basic('designer', 'designer') } })).status).to.equal(200);
      expect((await call(`${s.url}/api`, 'GET', '/rest/DemoClient', { headers: { Authorization: basic('designer', 'x') } })).status).to.equal(401);
    });

    it('a token unused for longer than tokenTimeoutMs expires (401); use keeps it alive', async () => {
      const s = await startExtra({ tokenTimeoutMs: 300 });
      const base = `${s.url}/api`;
      const idle = await login(base);
      const busy = await login(base);
      for (let i = 0; i < 5; i++) {
        await sleep(120);
        expect((await authed(busy, 'GET', '/rest/DemoClient', {}, base)).status).to.equal(200);
      }
      expect((await authed(idle, 'GET', '/rest/DemoClient', {}, base)).status).to.equal(401);
      expect((await authed(busy, 'GET', '/rest/DemoClient', {}, base)).status).to.equal(200);
      expect(s.stats.unauthorized).to.equal(1);
    });

    it('expireSessions() and POST /_sim/expire kill every token', async () => {
      sim.expireSessions();
      expect((await authed(token, 'GET', '/rest/DemoClient')).status).to.equal(401);
      const t2 = await login();
      expect((await call(sim.origin, 'POST', '/_sim/expire')).status).to.equal(204);
      expect((await authed(t2, 'GET', '/rest/DemoClient')).status).to.equal(401);
    });

    it('logout (GET with the token): 200, then the token gets 401; other tokens live on', async () => {
      const other = await login();
      const res = await authed(token, 'GET', '/logout');
      expect(res.status).to.equal(200);
      expect(sim.stats.logouts).to.equal(1);
      expect((await authed(token, 'GET', '/rest/DemoClient')).status).to.equal(401);
      expect((await authed(token, 'GET', '/logout')).status).to.equal(401);
      expect(sim.stats.logouts).to.equal(1);
      expect((await authed(other, 'GET', '/rest/DemoClient')).status).to.equal(200);
    });

    it('logout ?format=json (as the JS client calls it) and POST logout with the URL parameter', async () => {
      const res = await call(api, 'GET', '/logout?format=json', { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.be.an('object');
      const t2 = await login();
      expect((await call(api, 'POST', `/logout?_x_simplicite_authorization_=${encodeURIComponent(t2)}`)).status).to.equal(200);
      expect((await authed(t2, 'GET', '/rest/DemoClient')).status).to.equal(401);
      expect(sim.stats.logouts).to.equal(2);
    });

    it('logout without a token: 401', async () => {
      expect((await call(api, 'GET', '/logout')).status).to.equal(401);
      expect(sim.stats.logouts).to.equal(0);
      expect(sim.stats.unauthorized).to.equal(1);
    });
  });

  describe('v3Mode (3.x: the token needs its JSESSIONID)', () => {
    it('login sets JSESSIONID; the token is refused without it or with another session cookie', async () => {
      const s = await startExtra({ v3Mode: true });
      const base = `${s.url}/api`;
      const res = await call(base, 'GET', '/login?_json=true&username=designer&password=designer');
      const body = (await res.json()) as Json;
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('JSESSIONID='));
      expect(cookie, 'JSESSIONID cookie').to.be.a('string');
      expect(cookie).to.match(/Path=\/(;|$)/);
      expect(cookie).to.match(/HttpOnly/i);
      const jsession = cookie!.split(';')[0]!.slice('JSESSIONID='.length);
      expect(jsession).to.equal(body.sessionid);
      const token = body.authtoken as string;

      expect((await authed(token, 'GET', '/rest/DemoClient', {}, base)).status).to.equal(401);
      expect((await authed(token, 'GET', '/rest/DemoClient', { headers: { Cookie: `JSESSIONID=${jsession}` } }, base)).status).to.equal(200);

      const other = await call(base, 'GET', '/login?username=designer&password=designer');
      const otherSession = other.headers.getSetCookie()[0]!.split(';')[0]!.slice('JSESSIONID='.length);
      expect(otherSession).to.not.equal(jsession);
      expect((await authed(token, 'GET', '/rest/DemoClient', { headers: { Cookie: `JSESSIONID=${otherSession}` } }, base)).status).to.equal(401);
      expect((await authed(token, 'GET', '/rest/DemoClient', { headers: { Cookie: 'JSESSIONID=BOGUS' } }, base)).status).to.equal(401);

      // logout needs the cookie too, and clears it
      expect((await authed(token, 'GET', '/logout', {}, base)).status).to.equal(401);
      const out = await authed(token, 'GET', '/logout', { headers: { Cookie: `JSESSIONID=${jsession}` } }, base);
      expect(out.status).to.equal(200);
      expect(out.headers.getSetCookie().some((c) => /^JSESSIONID=.*Max-Age=0/.test(c))).to.equal(true);
      expect((await authed(token, 'GET', '/rest/DemoClient', { headers: { Cookie: `JSESSIONID=${jsession}` } }, base)).status).to.equal(401);
    });

    it('uses the context path as cookie path', async () => {
      const s = await startExtra({ v3Mode: true, contextPath: '/myapp' });
      const res = await call(`${s.url}/api`, 'GET', '/login?username=designer&password=designer');
      expect(res.headers.getSetCookie()[0]).to.match(/Path=\/myapp(;|$)/);
    });

    it('4.0+ (default) sets no cookie and needs none', async () => {
      const res = await call(api, 'GET', '/login?username=designer&password=designer');
      expect(res.headers.getSetCookie()).to.deep.equal([]);
      expect((await authed(await res.text(), 'GET', '/rest/DemoClient', { headers: { Cookie: 'JSESSIONID=whatever' } })).status).to.equal(200);
    });
  });

  describe('REST API on business objects', () => {
    let token: string;
    beforeEach(async () => {
      token = await login();
    });
    const get = (p: string): Promise<Response> => authed(token, 'GET', p);

    it('search returns a JSON array of string-valued records, with <fk>__<field> joins', async () => {
      const res = await get('/rest/DemoProduct');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      const rows = (await res.json()) as Json[];
      expect(rows).to.have.length(5);
      expect(rows.map((r) => r.row_id)).to.deep.equal(['1', '2', '3', '4', '5']);
      expect(rows.every(allStrings)).to.equal(true);
      expect(rows[0]).to.include({ demoPrdReference: 'REF001', demoPrdSupId: '3', demoPrdSupId__demoSupCode: 'PEAR' });
    });

    it('filters by field, exact or with the % wildcard (%25), on joined fields too, with or without the trailing slash', async () => {
      const exact = (await (await get('/rest/SystemParam?sys_code=TEST')).json()) as Json[];
      expect(exact.map((r) => r.sys_code)).to.deep.equal(['TEST']);
      expect(exact[0]).to.deep.equal({ row_id: '107', sys_code: 'TEST', sys_value: 'foo', sys_type: '', sys_desc: '', row_module_id: '29', row_module_id__mdl_name: 'Test', created_dt: SEED_STAMP, updated_dt: SEED_STAMP });
      const prefix = (await (await get('/rest/SystemParam/?sys_code=TES%25')).json()) as Json[];
      expect(prefix.map((r) => r.sys_code)).to.deep.equal(['TEST']);
      const tokens = (await (await get('/rest/SystemParam?sys_code=USERTOKENS_%25')).json()) as Json[];
      expect(tokens).to.have.length(4);
      const infix = (await (await get('/rest/DemoProduct?demoPrdName=%25Laptop%25&demoPrdSupId__demoSupCode=BIM')).json()) as Json[];
      expect(infix.map((r) => r.demoPrdReference)).to.deep.equal(['REF005']);
      expect(await (await get('/rest/DemoProduct?demoPrdType=NOPE')).json()).to.deep.equal([]);
      expect((await (await get('/rest/DemoProduct?demoPrdName=Laptop')).json()) as Json[]).to.have.length(0);
      // unknown parameters are ignored
      expect((await (await get('/rest/DemoProduct?unknownField=x&_inline_documents=true')).json()) as Json[]).to.have.length(5);
    });

    it('the search syntax on the technical dates: is not null, comparisons joined by and, order__<field> (negative: descending), then row_id', async () => {
      const ids = async (query: string) => ((await (await get(`/rest/DemoClient?${query}`)).json()) as Json[]).map((r) => r.row_id);
      sim.setClockSkew(60_000);
      const later = ((await (await sendJson(token, 'POST', '/rest/DemoClient', { demoCliCode: 'CLI010', demoCliLastname: 'Later' })).json()) as Json).row_id;
      sim.setClockSkew(0);
      try {
        expect(await ids(`created_dt=${encodeURIComponent("is not null")}`)).to.deep.equal(['1', '2', '3', later]);
        expect(await ids(`created_dt=${encodeURIComponent(`>'${SEED_STAMP}'`)}`)).to.deep.equal([later]);
        expect(await ids(`created_dt=${encodeURIComponent(`>='${SEED_STAMP}' and <='${SEED_STAMP}'`)}`)).to.deep.equal(['1', '2', '3']);
        expect(await ids('order__created_dt=-1')).to.deep.equal([later, '1', '2', '3']);
        expect(await ids('order__created_dt=1')).to.deep.equal(['1', '2', '3', later]);
        expect(await ids('order__demoCliCode=-1&order__created_dt=2')).to.deep.equal([later, '3', '2', '1']);
        // an order on a name that is no field is ignored, as unknown filters are
        expect(await ids('order__nope=-1')).to.deep.equal(['1', '2', '3', later]);
      } finally {
        sim.resetData();
      }
    });

    it('_count=true counts, _page pages (page size option)', async () => {
      const count = (await (await get('/rest/DemoProduct?_count=true&demoPrdType=LAPTOP')).json()) as Json;
      expect(count.count).to.equal(2);
      const s = await startExtra({ pageSize: 2 });
      const base = `${s.url}/api`;
      const t = await login(base);
      const page = async (n: string): Promise<unknown[]> => (await (await authed(t, 'GET', `/rest/DemoProduct?_page=${n}`, {}, base)).json()) as unknown[];
      expect(((await page('0')) as Json[]).map((r) => r.row_id)).to.deep.equal(['1', '2']);
      expect(((await page('2')) as Json[]).map((r) => r.row_id)).to.deep.equal(['5']);
      expect(await page('3')).to.deep.equal([]);
      expect(((await (await authed(t, 'GET', '/rest/DemoProduct?_count=true', {}, base)).json()) as Json).pages).to.equal(3);
      const bad = await authed(t, 'GET', '/rest/DemoProduct?_page=x', {}, base);
      expect(bad.status).to.equal(400);
    });

    it('GET /<row_id>: the record; a missing one 404 {"error","status":404}', async () => {
      const res = await get('/rest/DemoClient/2');
      expect(res.status).to.equal(200);
      const row = (await res.json()) as Json;
      expect(row).to.include({ row_id: '2', demoCliCode: 'CLI002', demoCliLastname: 'Martin' });
      expect(allStrings(row)).to.equal(true);
      const miss = await get('/rest/DemoClient/999');
      expect(miss.status).to.equal(404);
      const body = (await miss.json()) as Json;
      expect(body.status).to.equal(404);
      expect(body.error).to.match(/999/);
    });

    it('POST create (Content-Type application/json): the full record, all strings, incrementing row_ids', async () => {
      const res = await sendJson(token, 'POST', '/rest/SystemParam', { sys_code: 'MY_PARAM', sys_value: 42, sys_desc: null });
      expect(res.status).to.equal(200);
      const row = (await res.json()) as Json;
      const { created_dt: created, updated_dt: updated, ...fields } = row;
      expect(fields).to.deep.equal({ row_id: '108', sys_code: 'MY_PARAM', sys_value: '42', sys_type: '', sys_desc: '', row_module_id: '29', row_module_id__mdl_name: 'Test' });
      // The server dates its records, to the second, in its datetime format.
      expect(created).to.match(DATETIME).and.equal(updated);
      expect(Math.abs(Date.parse(`${String(created).replace(' ', 'T')}Z`) - Date.now())).to.be.below(5000);
      const r2 = await sendJson(token, 'POST', '/rest/SystemParam/0', { sys_code: 'MY_PARAM2', row_id: '5000' });
      expect(((await r2.json()) as Json).row_id).to.equal('109');
      const r3 = await sendJson(token, 'POST', '/rest/SystemParam/_', { sys_code: 'MY_PARAM3' });
      expect(((await r3.json()) as Json).row_id).to.equal('110');
      const got = (await (await get('/rest/SystemParam/108')).json()) as Json;
      expect(got.sys_value).to.equal('42');
      const withCharset = await authed(token, 'POST', '/rest/DemoClient', {
        body: JSON.stringify({ demoCliCode: 'CLI004', demoCliLastname: 'Doe', demoCliFirstname: true }),
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
      });
      expect(withCharset.status).to.equal(200);
      expect(await withCharset.json()).to.include({ row_id: '4', demoCliFirstname: 'true', demoCliEmail: '' });
    });

    it('POST without the JSON content type: the body is ignored, so the create fails validation (400)', async () => {
      const body = JSON.stringify({ sys_code: 'IGNORED' });
      for (const headers of [{}, { 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/x-www-form-urlencoded' }] as Array<Record<string, string>>) {
        const res = await authed(token, 'POST', '/rest/SystemParam', { body, headers });
        expect(res.status).to.equal(400);
        const err = (await res.json()) as Json;
        expect(err.status).to.equal(400);
        expect(err.error).to.match(/sys_code/);
      }
      expect((await (await get('/rest/SystemParam?sys_code=IGNORED')).json()) as Json[]).to.have.length(0);
    });

    it('validation errors: 400 {"error","status":400} (required, type, enum, link, duplicate key, bad JSON)', async () => {
      const bad: unknown[] = [
        { demoPrdName: 'No ref', demoPrdSupId: '1' },
        { demoPrdReference: 'R1', demoPrdName: 'x', demoPrdSupId: '1', demoPrdStock: 'many' },
        { demoPrdReference: 'R2', demoPrdName: 'x', demoPrdSupId: '1', demoPrdPrice: '12,5' },
        { demoPrdReference: 'R3', demoPrdName: 'x', demoPrdSupId: '1', demoPrdType: 'CAR' },
        { demoPrdReference: 'R4', demoPrdName: 'x', demoPrdSupId: '99' },
        { demoPrdReference: 'REF001', demoPrdName: 'dup', demoPrdSupId: '1' },
        { demoPrdReference: 'R5', demoPrdName: { nested: true }, demoPrdSupId: '1' },
        ['not', 'an', 'object'],
      ];
      for (const value of bad) {
        const res = await sendJson(token, 'POST', '/rest/DemoProduct', value);
        expect(res.status, JSON.stringify(value)).to.equal(400);
        const err = (await res.json()) as Json;
        expect(err).to.include({ status: 400 });
        expect(err.error).to.be.a('string');
      }
      const broken = await authed(token, 'POST', '/rest/DemoProduct', { body: '{"demoPrdReference": ', headers: { 'Content-Type': 'application/json' } });
      expect(broken.status).to.equal(400);
      expect(((await broken.json()) as Json).error).to.match(/JSON/);
      expect((await (await get('/rest/DemoProduct')).json()) as Json[]).to.have.length(5);
    });

    it('PUT update (partial) returns the full record; POST ?_method=PUT too', async () => {
      const res = await sendJson(token, 'PUT', '/rest/SystemParam/107', { sys_value: 'bar' });
      expect(res.status).to.equal(200);
      const { updated_dt: updated, ...fields } = (await res.json()) as Json;
      expect(fields).to.deep.equal({ row_id: '107', sys_code: 'TEST', sys_value: 'bar', sys_type: '', sys_desc: '', row_module_id: '29', row_module_id__mdl_name: 'Test', created_dt: SEED_STAMP });
      expect(updated).to.match(DATETIME).and.not.equal(SEED_STAMP);
      const viaPost = await sendJson(token, 'POST', '/rest/DemoProduct/3?_method=PUT', { demoPrdStock: 9, demoPrdSupId: '2' });
      expect(viaPost.status).to.equal(200);
      expect(await viaPost.json()).to.include({ row_id: '3', demoPrdStock: '9', demoPrdSupId: '2', demoPrdSupId__demoSupCode: 'LLED', demoPrdReference: 'REF003' });
      expect((await (await get('/rest/DemoProduct?_count=true')).json()) as Json).to.include({ count: 5 });
    });

    it('PUT: without the JSON content type nothing changes; missing record 404; invalid value 400', async () => {
      const res = await authed(token, 'PUT', '/rest/SystemParam/107', { body: JSON.stringify({ sys_value: 'ignored' }), headers: { 'Content-Type': 'text/plain' } });
      expect(res.status).to.equal(200);
      expect(((await res.json()) as Json).sys_value).to.equal('foo');
      expect((await sendJson(token, 'PUT', '/rest/SystemParam/9999', { sys_value: 'x' })).status).to.equal(404);
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdReference: 'REF002' })).status).to.equal(400);
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdName: '' })).status).to.equal(400);
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct', { demoPrdName: 'x' })).status).to.equal(400);
    });

    it('DELETE returns {"row_id"}; POST ?_method=DELETE too; then 404', async () => {
      const del = await authed(token, 'DELETE', '/rest/DemoClient/3');
      expect(del.status).to.equal(200);
      expect(await del.json()).to.deep.equal({ row_id: '3' });
      expect((await get('/rest/DemoClient/3')).status).to.equal(404);
      const viaPost = await authed(token, 'POST', '/rest/DemoClient/2?_method=DELETE');
      expect(viaPost.status).to.equal(200);
      expect(await viaPost.json()).to.deep.equal({ row_id: '2' });
      expect((await (await get('/rest/DemoClient')).json()) as Json[]).to.have.length(1);
      expect((await authed(token, 'DELETE', '/rest/DemoClient/2')).status).to.equal(404);
      expect((await authed(token, 'DELETE', '/rest/DemoClient')).status).to.equal(400);
    });

    it('new row_ids keep incrementing after a delete', async () => {
      await authed(token, 'DELETE', '/rest/DemoClient/3');
      const res = await sendJson(token, 'POST', '/rest/DemoClient', { demoCliCode: 'NEW', demoCliLastname: 'New' });
      expect(((await res.json()) as Json).row_id).to.equal('4');
    });

    it('unknown object: 404; forbidden object: 403; both {"error","status"}', async () => {
      const unknown = await get('/rest/NoSuchObject');
      expect(unknown.status).to.equal(404);
      expect(await unknown.json()).to.include({ status: 404 });
      for (const [method, p] of [
        ['GET', '/rest/DemoOrder'],
        ['GET', '/rest/DemoOrder/1'],
        ['DELETE', '/rest/DemoOrder/1'],
      ] as const) {
        const res = await authed(token, method, p);
        expect(res.status, p).to.equal(403);
        const body = (await res.json()) as Json;
        expect(body.status).to.equal(403);
        expect(body.error).to.match(/DemoOrder/);
      }
      expect((await sendJson(token, 'POST', '/rest/DemoOrder', { demoOrdNumber: 'X' })).status).to.equal(403);
    });

    it('forbiddenObjects is per user (* = everyone)', async () => {
      const s = await startExtra({ users: { designer: 'designer', sales: 'sales' }, forbiddenObjects: { sales: ['SystemParam'] } });
      const base = `${s.url}/api`;
      const d = await login(base);
      const sales = await login(base, 'sales', 'sales');
      expect((await authed(d, 'GET', '/rest/SystemParam', {}, base)).status).to.equal(200);
      expect((await authed(d, 'GET', '/rest/DemoOrder', {}, base)).status).to.equal(200);
      expect((await authed(sales, 'GET', '/rest/SystemParam', {}, base)).status).to.equal(403);
    });

    it('errorStatuses makes every error status configurable', async () => {
      const s = await startExtra({ errorStatuses: { unknownObject: 410, forbidden: 401, notFound: 418, validation: 422 } });
      const base = `${s.url}/api`;
      const t = await login(base);
      const check = async (res: Response, status: number): Promise<void> => {
        expect(res.status).to.equal(status);
        expect(((await res.json()) as Json).status).to.equal(status);
      };
      await check(await authed(t, 'GET', '/rest/Nope', {}, base), 410);
      await check(await authed(t, 'GET', '/rest/DemoOrder', {}, base), 401);
      await check(await authed(t, 'GET', '/rest/DemoProduct/77', {}, base), 418);
      await check(await authed(t, 'POST', '/rest/DemoProduct', { body: '{}', headers: { 'Content-Type': 'application/json' } }, base), 422);
    });

    it('record actions: ?_action= and /action:<name> answer {"result"}', async () => {
      const a = await get('/rest/DemoProduct/1?_action=DemoIncrementStock');
      expect(a.status).to.equal(200);
      expect(await a.json()).to.deep.equal({ result: 'Stock incremented to 13' });
      const b = await get('/rest/DemoProduct/1/action:DemoIncrementStock');
      expect(await b.json()).to.deep.equal({ result: 'Stock incremented to 14' });
      expect((await get('/rest/DemoProduct/1?_action=Nope')).status).to.equal(404);
      expect((await get('/rest/DemoProduct/99/action:DemoIncrementStock')).status).to.equal(404);
    });

    it('PATCH: 405; unknown sub-path: 404', async () => {
      expect((await authed(token, 'PATCH', '/rest/DemoProduct/1', { body: '{}', headers: { 'Content-Type': 'application/json' } })).status).to.equal(405);
      expect((await get('/rest/DemoProduct/1/whatever')).status).to.equal(404);
      expect((await get('/nothing-here')).status).to.equal(404);
      expect((await call(api, 'GET', '/nothing-here')).status).to.equal(401);
    });

    it('GET <api>/rest gives user information (and ?session=true the session)', async () => {
      const info = (await (await get('/rest')).json()) as { user: Json };
      expect(info.user.login).to.equal('designer');
      const session = (await (await get('/rest?session=true')).json()) as Json;
      expect(session.login).to.equal('designer');
      expect(session.sessionid).to.match(/^[0-9A-F]{32}$/);
    });

    it('createStatus option', async () => {
      const s = await startExtra({ createStatus: 201 });
      const t = await login(`${s.url}/api`);
      const res = await authed(t, 'POST', '/rest/Module', { body: '{"mdl_name":"X"}', headers: { 'Content-Type': 'application/json' } }, `${s.url}/api`);
      expect(res.status).to.equal(201);
    });

    it('resetData() and POST /_sim/reset restore the seed data; tokens survive', async () => {
      await authed(token, 'DELETE', '/rest/DemoClient/1');
      sim.resetData();
      expect((await get('/rest/DemoClient/1')).status).to.equal(200);
      await authed(token, 'DELETE', '/rest/DemoClient/1');
      expect((await call(sim.origin, 'POST', '/_sim/reset')).status).to.equal(204);
      expect((await get('/rest/DemoClient/1')).status).to.equal(200);
    });
  });

  describe('object description, custom actions, publications, documents, counters and faults', () => {
    let token: string;
    beforeEach(async () => {
      token = await login();
    });
    const get = (p: string): Promise<Response> => authed(token, 'GET', p);
    const body = async (p: string): Promise<Json> => (await (await get(p)).json()) as Json;

    it('_metadata=true: fields with integer type codes, required / updatable / default flags, joins as ref fields', async () => {
      const meta = await body('/rest/DemoProduct?_metadata=true');
      expect(meta).to.include({ name: 'DemoProduct', rowidfield: 'row_id', instance: 'api_DemoProduct' });
      const fields = meta.fields as Json[];
      const byInput = new Map(fields.map((f) => [f.fullinput, f]));
      expect(byInput.get('row_id')).to.include({ type: 0, updatable: false });
      expect(byInput.get('demoPrdSupId')).to.include({ type: 0, required: true, ref: false, refObject: 'DemoSupplier' });
      expect(byInput.get('demoPrdSupId__demoSupCode')).to.include({ name: 'demoSupCode', type: 3, ref: true, updatable: false });
      expect(byInput.get('demoPrdReference')).to.include({ type: 3, required: true, updatable: false });
      expect(byInput.get('demoPrdType')).to.deep.include({ type: 7, defaultValue: 'OTHER', listOfValues: [{ code: 'LAPTOP', value: 'Laptop' }, { code: 'TABLET', value: 'Tablet' }, { code: 'PHONE', value: 'Phone' }, { code: 'OTHER', value: 'Other' }] });
      expect([byInput.get('demoPrdStock')!.type, byInput.get('demoPrdPrice')!.type, byInput.get('demoPrdAvailable')!.type, byInput.get('demoPrdBrochure')!.type]).to.deep.equal([1, 2, 8, 17]);
      const s = await startExtra({ serveMetadata: false });
      const t = await login(`${s.url}/api`);
      expect(await (await authed(t, 'GET', '/rest/DemoProduct?_metadata=true', {}, `${s.url}/api`)).json()).to.be.an('array').with.length(5);
    });

    it('_doc=true&_output=openapi: the record schema, and one path per action and publication; Markdown without _output', async () => {
      const doc = await body('/rest/DemoProduct?_doc=true&_output=openapi');
      expect(doc.openapi).to.equal('3.0.2');
      const schema = (doc.components as { schemas: Record<string, { properties: Record<string, Json> }> }).schemas.DemoProduct!;
      expect(schema.properties.demoPrdStock).to.include({ type: 'integer' });
      expect(schema.properties.demoPrdType).to.deep.include({ type: 'string', enum: ['LAPTOP', 'TABLET', 'PHONE', 'OTHER'] });
      expect(schema.properties.demoPrdBrochure).to.include({ type: 'object' });
      expect(schema.properties).to.have.property('demoPrdSupId__demoSupName');
      expect(Object.keys(doc.paths as Json).filter((p) => p.includes(':'))).to.deep.equal([
        '/rest/DemoProduct/{row_id}/action:DemoIncrementStock',
        '/rest/DemoProduct/{row_id}/action:DemoRestock',
        '/rest/DemoProduct/{row_id}/publication:DemoProduct-Card',
        '/rest/DemoProduct/{row_id}/publication:DemoProduct-PDF',
        '/rest/DemoProduct/{row_id}/publication:DemoProduct-CSV',
      ]);
      const client = await body('/rest/DemoClient?_doc=true&_output=openapi');
      expect((client.components as { schemas: Record<string, { properties: Record<string, Json> }> }).schemas.DemoClient!.properties.demoCliLastContact).to.include({ example: 'yyyy-MM-dd HH:mm:ss' });
      const markdown = await get('/rest/DemoProduct?_doc=true');
      expect(markdown.headers.get('content-type')).to.match(/^text\/markdown/);
      expect(await markdown.text()).to.match(/^# DemoProduct/);
    });

    it('ObjectInternal lists the objects to designers only (403 for the others), with search, _count and _page', async () => {
      const names = ((await body('/rest/ObjectInternal?obo_name=%25Demo%25')) as unknown as Json[]).map((r) => r.obo_name);
      expect(names).to.deep.equal(['DemoSupplier', 'DemoProduct', 'DemoClient', 'DemoOrder']);
      expect(await body('/rest/ObjectInternal?_count=true')).to.include({ count: 7 });
      const s = await startExtra({ users: { designer: 'designer', sales: 'sales', lead: 'lead' }, designers: ['designer', 'lead'] });
      const base = `${s.url}/api`;
      const sales = await authed(await login(base, 'sales', 'sales'), 'GET', '/rest/ObjectInternal', {}, base);
      expect(sales.status).to.equal(403);
      expect(await sales.json()).to.include({ status: 403 });
      expect((await authed(await login(base, 'lead', 'lead'), 'GET', '/rest/ObjectInternal', {}, base)).status).to.equal(200);
    });

    it('global actions run on the records the filters select; a record action needs a row_id and a global one refuses it', async () => {
      expect(await body('/rest/DemoProduct/action:DemoRestock?demoPrdType=LAPTOP')).to.deep.equal({ result: 'Restocked 0 product(s)' });
      expect(await body('/rest/DemoProduct/action:DemoRestock')).to.deep.equal({ result: 'Restocked 1 product(s)' });
      expect(((await body('/rest/DemoProduct/3')) as Json).demoPrdStock).to.equal('10');
      expect((await get('/rest/DemoProduct/action:DemoIncrementStock')).status).to.equal(400);
      expect((await get('/rest/DemoProduct/1/action:DemoRestock')).status).to.equal(400);
      expect(sim.operations.actionsRun).to.equal(2);
    });

    it('publications answer {mime, content}: text as is, binary in base64, global ones over the filtered records; ?_printtemplate= too', async () => {
      expect(await body('/rest/DemoProduct/2/publication:DemoProduct-Card')).to.deep.equal({ mime: 'text/plain', content: 'REF002: Tablet Mini (TABLET), 40 in stock' });
      const pdf = await body('/rest/DemoProduct/1/publication:DemoProduct-PDF');
      expect(pdf.mime).to.equal('application/pdf');
      expect(Buffer.from(pdf.content as string, 'base64').subarray(0, 8).toString()).to.equal('%PDF-1.4');
      expect((await body('/rest/DemoProduct/publication:DemoProduct-CSV?demoPrdStock=0')).content).to.equal('reference;name;stock\nREF003;Smart Phone X;0');
      expect((await body('/rest/DemoProduct/2?_printtemplate=DemoProduct-Card')).content).to.match(/^REF002/);
      expect((await get('/rest/DemoProduct/publication:DemoProduct-Card')).status).to.equal(400);
      expect((await get('/rest/DemoProduct/99/publication:DemoProduct-Card')).status).to.equal(404);
      expect((await get('/rest/DemoProduct/1/publication:Nope')).status).to.equal(404);
      expect(sim.operations.publications).to.equal(4);
    });

    it('documents written inline are kept and read back with _inline_documents=true; a malformed one is refused (400)', async () => {
      const content = Buffer.from('brochure').toString('base64');
      const created = (await (await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdBrochure: { id: '0', name: 'b.pdf', mime: 'application/pdf', content } })).json()) as Json;
      expect(created.demoPrdBrochure).to.match(/^\d+$/);
      expect(((await body('/rest/DemoProduct/1?_inline_documents=true')) as Json).demoPrdBrochure).to.deep.equal({ id: created.demoPrdBrochure, name: 'b.pdf', mime: 'application/pdf', content });
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdBrochure: { name: 'b.pdf', content: 'not base64!' } })).status).to.equal(400);
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdName: { name: 'b.pdf', content } })).status).to.equal(400);
    });

    it('booleans (1/0, true/false), dates and date-times are checked; a field that is not updatable is refused on update', async () => {
      const ok = await sendJson(token, 'PUT', '/rest/DemoClient/1', { demoCliSince: '2020-02-29', demoCliLastContact: '2026-01-02 03:04:05' });
      expect(await ok.json()).to.include({ demoCliSince: '2020-02-29', demoCliLastContact: '2026-01-02 03:04:05' });
      expect((await sendJson(token, 'PUT', '/rest/DemoClient/1', { demoCliSince: '29/02/2020' })).status).to.equal(400);
      expect((await sendJson(token, 'PUT', '/rest/DemoClient/1', { demoCliLastContact: '2026-01-02T03:04:05Z' })).status).to.equal(400);
      expect(((await (await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdAvailable: false })).json()) as Json).demoPrdAvailable).to.equal('0');
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdAvailable: 'yes' })).status).to.equal(400);
      const fixed = await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdReference: 'REF999' });
      expect(fixed.status).to.equal(400);
      expect(((await fixed.json()) as Json).error).to.match(/not updatable/);
      expect((await sendJson(token, 'PUT', '/rest/DemoProduct/1', { demoPrdReference: 'REF001', demoPrdStock: 2 })).status).to.equal(200);
    });

    it('counts the writes and actions that took effect; dropAfterProcessing destroys the answer of the next one after processing it', async () => {
      sim.dropAfterProcessing('create');
      await sendJson(token, 'POST', '/rest/DemoClient', { demoCliCode: 'LOST', demoCliLastname: 'Lost' }).then(
        () => expect.fail('answered'),
        (error: Error) => expect(error.message).to.match(/fetch failed/),
      );
      expect(((await body('/rest/DemoClient?demoCliCode=LOST')) as unknown as Json[]).map((r) => r.demoCliCode)).to.deep.equal(['LOST']);
      expect((await sendJson(token, 'POST', '/rest/DemoClient', { demoCliCode: 'KEPT', demoCliLastname: 'Kept' })).status).to.equal(200);
      sim.dropAfterProcessing('action');
      await get('/rest/DemoProduct/1/action:DemoIncrementStock').then(() => expect.fail('answered'), () => undefined);
      expect(((await body('/rest/DemoProduct/1')) as Json).demoPrdStock).to.equal('13');
      await sendJson(token, 'PUT', '/rest/DemoClient/1', { demoCliCity: 'Nice' });
      await authed(token, 'DELETE', '/rest/DemoClient/2');
      expect(sim.operations).to.deep.equal({ recordsCreated: 2, recordsUpdated: 1, recordsDeleted: 1, actionsRun: 1, publications: 0 });
      sim.dropAfterProcessing('delete');
      sim.resetData();
      expect((await authed(token, 'DELETE', '/rest/DemoClient/2')).status).to.equal(200);
      sim.resetStats();
      expect(sim.operations.recordsDeleted).to.equal(0);
    });

    it('configure() changes the page size and the count shape at run time; bulkCreate adds valid records', async () => {
      const ids = sim.bulkCreate('DemoProduct', 4, (i) => ({ demoPrdType: i % 2 === 0 ? 'PHONE' : 'TABLET' }));
      expect(ids).to.deep.equal(['6', '7', '8', '9']);
      expect(((await body('/rest/DemoProduct/7')) as Json).demoPrdType).to.equal('PHONE');
      sim.configure({ pageSize: 4, countAnswer: 'number' });
      expect(((await (await get('/rest/DemoProduct?_page=2')).json()) as Json[]).map((r) => r.row_id)).to.deep.equal(['9']);
      expect(await (await get('/rest/DemoProduct?_count=true')).json()).to.equal(9);
    });
  });

  describe('health', () => {
    it('GET /health?format=json needs no authentication: 200 JSON', async () => {
      const res = await call(sim.url, 'GET', '/health?format=json');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      const body = (await res.json()) as { platform: Json; application: Json };
      expect(body.platform.status).to.equal('OK');
      expect(body.platform.version).to.be.a('string');
      // the JS client adds &full=false
      expect((await call(sim.url, 'GET', '/health?format=json&full=false')).status).to.equal(200);
      const text = await call(sim.url, 'GET', '/health');
      expect(text.headers.get('content-type')).to.match(/^text\/plain/);
      expect(await text.text()).to.contain('status=OK');
      expect(sim.stats.unauthorized).to.equal(0);
    });
  });

  describe('control endpoints and bookkeeping', () => {
    it('GET /_sim/stats, POST /_sim/expire, POST /_sim/reset (not recorded, not counted)', async () => {
      const token = await login();
      await call(api, 'GET', '/login?username=designer&password=bad');
      await authed(token, 'GET', '/rest/DemoProduct');
      await call(api, 'GET', '/rest/DemoProduct');
      const stats = (await (await call(sim.origin, 'GET', '/_sim/stats')).json()) as Json;
      expect(stats).to.deep.equal({ logins: 1, loginFailures: 1, unauthorized: 1, logouts: 0, apiCalls: 2 });
      expect((await call(sim.origin, 'GET', '/_sim/expire')).status).to.equal(405);
      expect((await call(sim.origin, 'POST', '/_sim/stats')).status).to.equal(405);
      expect((await call(sim.origin, 'GET', '/_sim/nothing')).status).to.equal(404);
      expect((await call(sim.origin, 'POST', '/_sim/expire')).status).to.equal(204);
      expect((await authed(token, 'GET', '/rest/DemoProduct')).status).to.equal(401);
      expect((await call(sim.origin, 'POST', '/_sim/reset')).status).to.equal(204);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, logouts: 0, apiCalls: 0 });
      expect(sim.requests.some((r) => r.path.startsWith('/_sim'))).to.equal(false);
    });

    it('/_sim endpoints sit at the origin even with a context path', async () => {
      const s = await startExtra({ contextPath: '/myapp' });
      expect((await call(s.origin, 'GET', '/_sim/stats')).status).to.equal(200);
    });

    it('resetStats() keeps the same live stats object', async () => {
      const stats = sim.stats;
      await login();
      sim.resetStats();
      expect(sim.stats).to.equal(stats);
      expect(stats.logins).to.equal(0);
      await login();
      expect(stats.logins).to.equal(1);
    });

    it('records requests with their headers, bounded to the last 1000', async () => {
      const token = await login();
      await call(api, 'GET', '/rest/DemoProduct?x=1', { headers: { 'X-Simplicite-Authorization': `Bearer ${token}`, 'X-Trace': 'abc' } });
      const last = sim.requests[sim.requests.length - 1]!;
      expect(last).to.include({ method: 'GET', path: '/api/rest/DemoProduct', url: '/api/rest/DemoProduct?x=1' });
      expect(last.headers['x-trace']).to.equal('abc');
      expect(last.headers['x-simplicite-authorization']).to.equal(`Bearer ${token}`);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
      const get = (): Promise<void> =>
        new Promise((resolve, reject) => {
          http
            .get(`${api}/rest/DemoProduct`, { agent, headers: { 'X-Simplicite-Authorization': `Bearer ${token}` } }, (res) => {
              res.resume();
              res.on('end', resolve);
            })
            .on('error', reject);
        });
      await Promise.all(Array.from({ length: 1010 }, () => get()));
      agent.destroy();
      expect(sim.requests).to.have.length(1000);
      expect(sim.requests.every((r) => r.path === '/api/rest/DemoProduct')).to.equal(true);
    });

    it('handles concurrent requests', async () => {
      const tokens = await Promise.all(Array.from({ length: 10 }, () => login()));
      expect(new Set(tokens).size).to.equal(10);
      const rows = await Promise.all(
        Array.from({ length: 40 }, (_, i) => sendJson(tokens[i % 10]!, 'POST', '/rest/DemoClient', { demoCliCode: `C${i}`, demoCliLastname: `L${i}` }).then((r) => r.json() as Promise<Json>)),
      );
      expect(new Set(rows.map((r) => r.row_id)).size).to.equal(40);
      const count = (await (await authed(tokens[0]!, 'GET', '/rest/DemoClient?_count=true')).json()) as Json;
      expect(count.count).to.equal(43);
    });

    it('survives malformed input', async () => {
      const token = await login();
      const raw = (method: string, target: string, headers: Record<string, string> = {}, body?: Buffer, withToken = true): Promise<number> =>
        new Promise((resolve) => {
          const auth: Record<string, string> = withToken ? { 'X-Simplicite-Authorization': `Bearer ${token}` } : {};
          const req = http.request(`${sim.origin}${target}`, { method, headers: { ...auth, ...headers } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', () => resolve(-1));
          req.end(body);
        });
      expect(await raw('GET', '/api/rest/%E0%A4%A')).to.equal(404);
      expect(await raw('GET', '/api/rest/DemoProduct/%zz')).to.equal(404);
      expect(await raw('GET', '/api/rest/DemoProduct?demoPrdName=%zz&_page=%')).to.equal(400);
      expect(await raw('GET', '/api/rest/DemoProduct?demoPrdName=(.*)[')).to.equal(200);
      expect(await raw('POST', '/api/rest/DemoProduct', { 'Content-Type': 'application/json' }, Buffer.from([0xff, 0xfe, 0x00]))).to.equal(400);
      expect(await raw('POST', '/api/rest/DemoProduct', { 'Content-Type': 'application/json' }, Buffer.alloc(2 * 1048576, 0x20))).to.equal(413);
      expect(await raw('POST', '/api/login', { 'Content-Type': 'multipart/form-data; boundary=xyz' }, Buffer.from('garbage'), false)).to.equal(401);
      expect(await raw('POST', '/api/login', { 'Content-Type': 'multipart/form-data' }, Buffer.from('--\r\n'), false)).to.equal(401);
      expect(await raw('GET', '/api/login', { Authorization: 'Basic' }, undefined, false)).to.equal(401);
      expect(await raw('GET', '/api/login?username=designer&password=designer', { Authorization: 'Basic' }, undefined, false)).to.equal(200);
      expect(await raw('GET', '/api/rest/DemoProduct', { 'X-Simplicite-Authorization': 'Bearer' })).to.equal(401);
      expect(await raw('GET', '/nowhere')).to.equal(404);
      expect(await raw('GET', '/api/rest/DemoProduct')).to.equal(200);
    });
  });

  describe('CLI', () => {
    it('starts, prints the listening line, and exits on SIGTERM', async function () {
      this.timeout(30000);
      const main = path.join(__dirname, 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--context-path', '/myapp'], {
        cwd: path.join(__dirname, '../../..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let out = '';
          let err = '';
          child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            const nl = out.indexOf('\n');
            if (nl >= 0) resolve(out.slice(0, nl));
          });
          child.stderr.on('data', (d: Buffer) => (err += d.toString()));
          child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
        });
        const m = /^simplicite simulator listening on (http:\/\/127\.0\.0\.1:\d+\/myapp)$/.exec(line);
        expect(m, line).to.not.equal(null);
        expect(await login(`${m![1]!}/api`)).to.be.a('string').and.not.equal('');
        const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exit).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
