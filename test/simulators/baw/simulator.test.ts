import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { startBawSimulator, type BawSimulator, type BawSimulatorOptions } from './index';
import { APP_HIRING, APP_VACATION, BPD_HIRING, BPD_VACATION } from './data';

const CSRF_BODY = {
  error_number: 'CWTBG0651E',
  error_message: 'CWTBG0651E: The request was blocked because the BPMCSRFToken token header could not be verified.',
  error_message_parameters: [],
};
const NO_BODY = Symbol('no body');
const REALM = 'Basic realm="BPMRESTAPI"';
const VACATION = encodeURIComponent(BPD_VACATION.name);

type Json = Record<string, any>;

interface Req {
  body?: string | URLSearchParams;
  /** JSON body (sets Content-Type) */
  json?: unknown;
  headers?: Record<string, string>;
  /** send BPMCSRFToken (default: true when the client holds a token) */
  csrf?: boolean | string;
  /** send Basic credentials: true = the client's, or a ready header value */
  basic?: boolean | string;
  /** do not send any cookie */
  noCookies?: boolean;
}

interface Reply {
  res: Response;
  status: number;
  text: string;
  data: any;
}

const basicHeader = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A small cookie-keeping client over global fetch. */
class Client {
  cookies = new Map<string, string>();
  token: string | undefined;
  lastSetCookies: string[] = [];
  constructor(
    readonly base: string,
    readonly user = 'admin',
    readonly password = 'admin',
  ) {}

  async req(method: string, p: string, opts: Req = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (!opts.noCookies && this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = opts.csrf ?? true;
    if (typeof csrf === 'string') headers.BPMCSRFToken = csrf;
    else if (csrf && this.token) headers.BPMCSRFToken = this.token;
    if (opts.basic === true) headers.Authorization = basicHeader(this.user, this.password);
    else if (typeof opts.basic === 'string') headers.Authorization = opts.basic;
    let body: string | URLSearchParams | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(this.base + p, { method, headers, body, redirect: 'manual' });
    this.lastSetCookies = res.headers.getSetCookie();
    for (const sc of this.lastSetCookies) {
      const [pair = ''] = sc.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await res.text();
    let data: any;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    return { res, status: res.status, text, data };
  }

  /** body: a value to JSON-encode, a raw string, or NO_BODY */
  async login(body: unknown = { refresh_groups: false }, basic: boolean | string = true): Promise<Reply> {
    const r = await this.req('POST', '/bpm/system/login', {
      body: body === NO_BODY ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'Content-Type': 'application/json' },
      basic,
      csrf: false,
    });
    if (r.status === 201) this.token = r.data.csrf_token;
    return r;
  }
}

function cookieLine(lines: string[], name: string): string {
  const line = lines.find((l) => l.startsWith(`${name}=`));
  expect(line, `Set-Cookie ${name} in ${JSON.stringify(lines)}`).to.be.a('string');
  return line!;
}

function expectCsrf403(r: Reply): void {
  expect(r.status).to.equal(403);
  expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
  expect(r.data).to.deep.equal(CSRF_BODY);
}

function expect401(r: Reply): void {
  expect(r.status).to.equal(401);
  expect(r.res.headers.get('www-authenticate')).to.equal(REALM);
}

function expectWleError(r: Reply, status: number, code: string, spelling: 'errorNumber' | 'error_number' = 'errorNumber'): Json {
  expect(r.status, r.text).to.equal(status);
  expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
  expect(r.data.status).to.equal('error');
  const d = r.data.Data as Json;
  expect(d.status).to.equal('error');
  expect(d.exceptionType).to.be.a('string').and.match(/^com\.lombardisoftware\./);
  if (spelling === 'errorNumber') {
    expect(d.errorNumber).to.equal(code);
    expect(d.errorMessage).to.be.a('string').and.match(new RegExp(`^${code}: `));
    expect(d.errorMessageParameters).to.be.an('array');
    expect(d).to.not.have.property('error_number');
  } else {
    expect(d.error_number).to.equal(code);
    expect(d.error_message).to.be.a('string').and.match(new RegExp(`^${code}: `));
    expect(d.error_message_parameters).to.be.an('array');
    expect(d).to.not.have.property('errorNumber');
  }
  return d;
}

const startUrl = (extra: Record<string, string> = {}): string =>
  `/rest/bpm/wle/v1/process?${new URLSearchParams({ action: 'start', bpdId: BPD_VACATION.bpdId, processAppId: APP_VACATION.processAppId, ...extra }).toString()}`;

describe('IBM BAW simulator', function () {
  this.timeout(20000);
  let sim: BawSimulator;
  let client: Client;
  let nowMs: number;
  const extra: BawSimulator[] = [];
  const clock = (): number => nowMs;

  async function startExtra(opts: BawSimulatorOptions): Promise<BawSimulator> {
    const s = await startBawSimulator({ clock, ...opts });
    extra.push(s);
    return s;
  }

  beforeEach(async () => {
    nowMs = Date.parse('2026-03-02T10:00:00.000Z');
    sim = await startBawSimulator({ clock });
    client = new Client(sim.url);
  });
  afterEach(async () => {
    await sim.close();
    while (extra.length) await extra.pop()!.close();
  });

  describe('startup and prefix', () => {
    it('listens on 127.0.0.1 with no prefix by default', () => {
      expect(sim.origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.url).to.equal(sim.origin);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, csrfRejections: 0, unauthorized: 0, apiCalls: 0 });
    });

    it('serves every path under the cloud prefix, and nothing outside it', async () => {
      const s = await startExtra({ prefix: 'baw/dev/' });
      expect(s.url).to.equal(`${s.origin}/baw/dev`);
      const c = new Client(s.url);
      expect((await c.login()).status).to.equal(201);
      const list = await c.req('GET', '/bpm/processes?size=1');
      expect(list.status).to.equal(200);
      expect(list.data.next).to.match(/^\/baw\/dev\/bpm\/processes\?/);
      expect((await c.req('POST', startUrl(), { csrf: false })).data.status).to.equal('200');
      const outside = new Client(s.origin);
      expect((await outside.login()).status).to.equal(404);
      expect((await outside.req('GET', '/rest/bpm/wle/v1/user/current', { basic: basicHeader('admin', 'admin') })).status).to.equal(404);
    });
  });

  describe('POST /bpm/system/login', () => {
    it('answers 201 {csrf_token, expiration} with LtpaToken2, JSESSIONID and XSRF-TOKEN cookies (underscore spelling)', async () => {
      const r = await client.login({ refresh_groups: false, requested_lifetime: 7200 });
      expect(r.status).to.equal(201);
      expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
      expect(Object.keys(r.data).sort()).to.deep.equal(['csrf_token', 'expiration']);
      expect(r.data.csrf_token).to.be.a('string').with.length.greaterThan(20);
      expect(r.data.expiration).to.equal(7200);
      expect(cookieLine(r.res.headers.getSetCookie(), 'LtpaToken2')).to.match(/HttpOnly/);
      expect(cookieLine(r.res.headers.getSetCookie(), 'JSESSIONID')).to.match(/HttpOnly/);
      expect(cookieLine(r.res.headers.getSetCookie(), 'XSRF-TOKEN')).to.not.match(/HttpOnly/);
      expect(sim.stats.logins).to.equal(1);
      expect(sim.stats.apiCalls).to.equal(0);
    });

    it('accepts the hyphen spelling from the IBM topic', async () => {
      const r = await client.login({ 'refresh-groups': true, 'requested-lifetime': 600 });
      expect(r.status).to.equal(201);
      expect(r.data.expiration).to.equal(600);
    });

    it('caps the lifetime at 7200 and defaults to 7200 (also for {} and null)', async () => {
      expect((await client.login({ refresh_groups: false, requested_lifetime: 100000 })).data.expiration).to.equal(7200);
      expect((await client.login({ 'requested-lifetime': 7201 })).data.expiration).to.equal(7200);
      expect((await client.login({ refresh_groups: false })).data.expiration).to.equal(7200);
      expect((await client.login({})).data.expiration).to.equal(7200);
      expect((await client.login({ requested_lifetime: null })).data.expiration).to.equal(7200);
    });

    it('issues a new token on every login; earlier tokens stay valid until they expire', async () => {
      const first = (await client.login()).data.csrf_token as string;
      const second = (await client.login()).data.csrf_token as string;
      expect(first).to.not.equal(second);
      expect((await client.req('GET', '/bpm/processes', { csrf: first })).status).to.equal(200);
      expect((await client.req('GET', '/bpm/processes', { csrf: second })).status).to.equal(200);
    });

    it('answers 400 with the exception JSON for a missing or invalid body', async () => {
      const bad: Array<string | symbol> = [
        NO_BODY,
        '',
        '   ',
        '{not json',
        '[]',
        '"x"',
        'null',
        '{"requested_lifetime":"7200"}',
        '{"requested_lifetime":0}',
        '{"requested-lifetime":-5}',
        '{"requested_lifetime":1.5}',
        '{"refresh_groups":"no"}',
      ];
      for (const body of bad) {
        const r = await client.login(body);
        expect(r.status, String(body)).to.equal(400);
        expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
        expect(r.data.error_number).to.match(/^CWTBG\d{4}E$/);
        expect(r.data.error_message).to.match(/^CWTBG\d{4}E: /);
        expect(r.data.error_message_parameters).to.be.an('array');
        expect(r.res.headers.getSetCookie()).to.deep.equal([]);
      }
      expect(sim.stats.loginFailures).to.equal(bad.length);
      expect(sim.stats.logins).to.equal(0);
    });

    it('loginBodyRequired=false treats an empty body as {} (an invalid body is still 400)', async () => {
      const s = await startExtra({ loginBodyRequired: false });
      const c = new Client(s.url);
      const r = await c.login(NO_BODY);
      expect(r.status).to.equal(201);
      expect(r.data.expiration).to.equal(7200);
      expect((await c.login('{oops')).status).to.equal(400);
    });

    it('answers 401 with WWW-Authenticate: Basic realm="BPMRESTAPI" for missing or bad Basic credentials', async () => {
      const cases: Array<boolean | string> = [
        false,
        basicHeader('admin', 'wrong'),
        basicHeader('nobody', 'admin'),
        basicHeader('', ''),
        'Basic !!!notbase64',
        `Basic ${Buffer.from('nocolon').toString('base64')}`,
        'Bearer abc',
      ];
      for (const basic of cases) {
        const r = await client.login({ refresh_groups: false }, basic);
        expect401(r);
        expect(r.res.headers.getSetCookie()).to.deep.equal([]);
      }
      // authentication comes before body validation
      expect401(await client.login(NO_BODY, basicHeader('admin', 'wrong')));
      expect(sim.stats.loginFailures).to.equal(cases.length + 1);
      expect(sim.stats.logins).to.equal(0);
    });

    it('expirationFormat=epoch reports the expiry instant in epoch seconds', async () => {
      const s = await startExtra({ expirationFormat: 'epoch' });
      const r = await new Client(s.url).login({ requested_lifetime: 60 });
      expect(r.data.expiration).to.equal(Math.floor(nowMs / 1000) + 60);
    });

    it('only POST is allowed', async () => {
      expect((await client.req('GET', '/bpm/system/login', { basic: true })).status).to.equal(405);
    });
  });

  describe('/bpm authentication and BPMCSRFToken', () => {
    it('answers 401 with the realm header without session cookies or Basic (token or not)', async () => {
      await client.login();
      expect401(await client.req('GET', '/bpm/processes', { noCookies: true }));
      expect401(await client.req('GET', '/bpm/user-tasks', { noCookies: true, csrf: false }));
      expect401(await client.req('GET', '/bpm/processes', { noCookies: true, basic: basicHeader('admin', 'nope') }));
      expect401(await client.req('GET', '/bpm/processes', { headers: { cookie: 'LtpaToken2=forged; JSESSIONID=0000forged:-1' }, noCookies: true }));
      // a bad Basic header is refused even next to valid cookies
      expect401(await client.req('GET', '/bpm/processes', { basic: basicHeader('admin', 'nope') }));
      expect(sim.stats.unauthorized).to.equal(5);
      expect(sim.stats.csrfRejections).to.equal(0);
    });

    it('answers 403 CWTBG0651E for a missing, unknown or empty token (GET included)', async () => {
      await client.login();
      expectCsrf403(await client.req('GET', '/bpm/processes', { csrf: false }));
      expectCsrf403(await client.req('GET', '/bpm/user-tasks', { csrf: 'not-a-token' }));
      expectCsrf403(await client.req('GET', '/bpm/processes/301', { csrf: '' }));
      expectCsrf403(await client.req('POST', `/bpm/processes?model=${VACATION}&container=VR`, { csrf: false, json: { input: [] } }));
      // the token is case-sensitive and must be the whole value
      expectCsrf403(await client.req('GET', '/bpm/processes', { csrf: client.token!.toLowerCase() + 'x' }));
      expect(sim.stats.csrfRejections).to.equal(5);
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
    });

    it('answers 403 CWTBG0651E with valid Basic but no token', async () => {
      expectCsrf403(await client.req('GET', '/bpm/user-tasks', { basic: true, noCookies: true }));
    });

    it('accepts Basic auth plus the token without any cookie', async () => {
      await client.login();
      const r = await client.req('GET', '/bpm/processes', { basic: true, noCookies: true });
      expect(r.status).to.equal(200);
      expect(r.data.processes).to.have.length(3);
    });

    it('accepts the JSESSIONID or the LtpaToken2 cookie alone', async () => {
      await client.login();
      const { token } = client;
      for (const name of ['JSESSIONID', 'LtpaToken2']) {
        const r = await client.req('GET', '/bpm/processes', { noCookies: true, headers: { cookie: `${name}=${client.cookies.get(name)!}` }, csrf: token });
        expect(r.status, name).to.equal(200);
      }
    });

    it("refuses another user's token", async () => {
      await client.login();
      const viewer = new Client(sim.url, 'viewer', 'viewer');
      expectCsrf403(await viewer.req('GET', '/bpm/processes', { basic: true, csrf: client.token }));
    });

    it('expires the token after the requested lifetime (clock), then a new login works', async () => {
      await client.login({ refresh_groups: false, requested_lifetime: 60 });
      nowMs += 59_999;
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
      nowMs += 1;
      expectCsrf403(await client.req('GET', '/bpm/processes'));
      expectCsrf403(await client.req('GET', '/bpm/processes', { basic: true }));
      expect((await client.login()).status).to.equal(201);
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
    });

    it('expires the default 7200 s token, even when more was requested', async () => {
      await client.login({ requested_lifetime: 86400 });
      nowMs += 7199_000;
      expect((await client.req('GET', '/bpm/user-tasks')).status).to.equal(200);
      nowMs += 1000;
      expectCsrf403(await client.req('GET', '/bpm/user-tasks'));
    });

    it('expireSessions(): the next call with the cookies is 403 CWTBG0651E, and a new login recovers', async () => {
      await client.login();
      const jsession = client.cookies.get('JSESSIONID')!;
      sim.expireSessions();
      expectCsrf403(await client.req('GET', '/bpm/processes'));
      expectCsrf403(await client.req('GET', '/bpm/processes', { basic: true, noCookies: true }));
      // the HTTP session itself is gone: JSESSIONID alone no longer authenticates
      expect401(await client.req('GET', '/bpm/processes', { noCookies: true, headers: { cookie: `JSESSIONID=${jsession}` } }));
      expect((await client.login()).status).to.equal(201);
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
    });

    it('ltpaTimeoutSeconds: expired cookies give 401, Basic still works', async () => {
      const s = await startExtra({ ltpaTimeoutSeconds: 300 });
      const c = new Client(s.url);
      await c.login();
      nowMs += 300_000;
      expect401(await c.req('GET', '/bpm/processes'));
      expect((await c.req('GET', '/bpm/processes', { basic: true })).status).to.equal(200);
    });

    it('has no logout endpoint (404)', async () => {
      await client.login();
      for (const method of ['GET', 'POST', 'DELETE']) {
        const r = await client.req(method, '/bpm/system/logout');
        expect(r.status, method).to.equal(404);
        expect(r.data.error_number).to.match(/^CWTBG\d{4}E$/);
      }
      // still logged in
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
    });

    it('a permission error is a different 403 (CWTBG0019E), not counted as a CSRF rejection', async () => {
      const viewer = new Client(sim.url, 'viewer', 'viewer');
      await viewer.login();
      const r = await viewer.req('POST', `/bpm/processes?model=${VACATION}&container=VR`, { json: { input: [] } });
      expect(r.status).to.equal(403);
      expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
      expect(r.data.error_number).to.equal('CWTBG0019E');
      expect(r.data.error_message).to.match(/^CWTBG0019E: The user "viewer" is not authorized to /);
      expect(r.data.error_message_parameters).to.include('viewer');
      expect(r.data).to.not.deep.equal(CSRF_BODY);
      expect(sim.stats.csrfRejections).to.equal(0);
      // reads are allowed, other writes are refused the same way
      expect((await viewer.req('GET', '/bpm/processes')).status).to.equal(200);
      expect((await viewer.req('DELETE', '/bpm/processes/301')).data.error_number).to.equal('CWTBG0019E');
      expect((await viewer.req('POST', '/bpm/user-tasks/501/claim')).data.error_number).to.equal('CWTBG0019E');
      // the CSRF check still comes first
      expectCsrf403(await viewer.req('POST', `/bpm/processes?model=${VACATION}&container=VR`, { csrf: false }));
    });

    it('readOnlyUsers option', async () => {
      const s = await startExtra({ users: { ops: 'pw', admin: 'admin' }, readOnlyUsers: ['ops'] });
      const ops = new Client(s.url, 'ops', 'pw');
      await ops.login();
      expect((await ops.req('POST', `/bpm/processes?model=${VACATION}`)).data.error_number).to.equal('CWTBG0019E');
      expect(await new Client(s.url, 'viewer', 'viewer').login().then((r) => r.status)).to.equal(401);
    });
  });

  describe('Process REST resources', () => {
    beforeEach(async () => {
      await client.login();
    });

    it('GET /bpm/processes: {processes, previous, next}, newest first', async () => {
      const r = await client.req('GET', '/bpm/processes');
      expect(r.status).to.equal(200);
      expect(Object.keys(r.data).sort()).to.deep.equal(['next', 'previous', 'processes']);
      expect(r.data.processes.map((p: Json) => p.piid)).to.deep.equal(['303', '302', '301']);
      expect(r.data.previous).to.equal(null);
      expect(r.data.next).to.equal(null);
      const p = r.data.processes[2] as Json;
      expect(p).to.include({ piid: '301', name: 'Vacation request:301', state: 'running', model: 'Vacation request', container: 'VR' });
      expect(p.creation_time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('filters with states, search_term, model, container(s); pages with offset/size and links', async () => {
      const ids = async (q: string): Promise<string[]> => (await client.req('GET', `/bpm/processes?${q}`)).data.processes.map((p: Json) => p.piid);
      expect(await ids('states=running')).to.deep.equal(['302', '301']);
      expect(await ids('states=completed,running&sort=piid:asc')).to.deep.equal(['301', '302', '303']);
      expect(await ids('search_term=vacation')).to.deep.equal(['303', '301']);
      expect(await ids(`model=${encodeURIComponent(BPD_HIRING.name)}`)).to.deep.equal(['302']);
      expect(await ids('containers=HSS')).to.deep.equal(['302']);
      expect(await ids('container=VR&states=running')).to.deep.equal(['301']);
      expect(await ids('model=NoSuchModel')).to.deep.equal([]);
      const p1 = await client.req('GET', '/bpm/processes?offset=0&size=2&states=running,completed');
      expect(p1.data.processes).to.have.length(2);
      expect(p1.data.previous).to.equal(null);
      expect(p1.data.next).to.equal('/bpm/processes?offset=2&size=2&states=running%2Ccompleted');
      const p2 = await client.req('GET', p1.data.next);
      expect(p2.data.processes.map((p: Json) => p.piid)).to.deep.equal(['301']);
      expect(p2.data.previous).to.equal('/bpm/processes?offset=0&size=2&states=running%2Ccompleted');
      expect(p2.data.next).to.equal(null);
    });

    it('answers 400 for invalid list parameters', async () => {
      for (const q of ['offset=-1', 'size=0', 'size=abc', 'states=bogus', 'sort=nope:asc', 'sort=name:up']) {
        const r = await client.req('GET', `/bpm/processes?${q}`);
        expect(r.status, q).to.equal(400);
        expect(r.data.error_number).to.equal('CWTBG0012E');
      }
    });

    it('POST /bpm/processes?model=&container= with {input:[...]}: 201 process object, and one task for it', async () => {
      const r = await client.req('POST', `/bpm/processes?model=${VACATION}&container=VR&optional_parts=data,actions`, {
        json: { input: [{ name: 'requester', data: 'admin' }, { name: 'days', data: 5 }] },
      });
      expect(r.status).to.equal(201);
      expect(r.data).to.include({ state: 'running', model: 'Vacation request', container: 'VR', creator: 'admin' });
      expect(r.data.name).to.equal(`Vacation request:${r.data.piid}`);
      expect(r.data.data).to.deep.equal({ requester: 'admin', days: 5 });
      expect(r.data.actions).to.include('terminate');
      expect(r.data.creation_time).to.equal('2026-03-02T10:00:00.000Z');
      const tasks = await client.req('GET', `/bpm/user-tasks?process_id=${r.data.piid}`);
      expect(tasks.data.user_task_instances).to.have.length(1);
      expect(tasks.data.user_task_instances[0]).to.include({ piid: r.data.piid, name: 'Submit request', state: 'claimed', owner: 'admin' });
      expect((await client.req('GET', `/bpm/processes/${r.data.piid}`)).data.piid).to.equal(r.data.piid);
      // no body at all is fine, and the bpdId works as the model
      expect((await client.req('POST', `/bpm/processes?model=${BPD_HIRING.bpdId}`)).status).to.equal(201);
    });

    it('POST /bpm/processes: 404 unknown model/container/version, 400 missing model or bad body', async () => {
      const r = await client.req('POST', '/bpm/processes?model=Nope&container=VR', { json: { input: [] } });
      expect(r.status).to.equal(404);
      expect(r.data.error_number).to.match(/^CWTBG\d{4}E$/);
      expect(r.data.error_message_parameters).to.be.an('array');
      expect((await client.req('POST', `/bpm/processes?model=${VACATION}&container=HSS`)).status).to.equal(404);
      expect((await client.req('POST', `/bpm/processes?model=${VACATION}&version=9.9`)).status).to.equal(404);
      expect((await client.req('POST', `/bpm/processes?model=${VACATION}&branch_name=Other`)).status).to.equal(404);
      expect((await client.req('POST', '/bpm/processes?container=VR')).status).to.equal(400);
      for (const body of ['{bad', '[1]', '{"input":{}}', '{"input":[{"data":1}]}']) {
        const b = await client.req('POST', `/bpm/processes?model=${VACATION}`, { body, headers: { 'Content-Type': 'application/json' } });
        expect(b.status, body).to.equal(400);
        expect(b.data.error_number).to.equal('CWTBG0012E');
      }
      expect((await client.req('PUT', '/bpm/processes')).status).to.equal(405);
    });

    it('GET and DELETE /bpm/processes/{id}', async () => {
      const g = await client.req('GET', '/bpm/processes/302?optional_parts=data');
      expect(g.status).to.equal(200);
      expect(g.data).to.include({ piid: '302', container: 'HSS', state: 'running' });
      expect(g.data.data).to.deep.equal({ position: 'Analyst' });
      expect((await client.req('GET', '/bpm/processes/999')).status).to.equal(404);
      expect((await client.req('DELETE', '/bpm/processes/302')).status).to.equal(204);
      expect((await client.req('GET', '/bpm/processes/302')).status).to.equal(404);
      expect((await client.req('GET', '/bpm/user-tasks/502')).status).to.equal(404);
      expect((await client.req('DELETE', '/bpm/processes/302')).status).to.equal(404);
    });

    it('GET /bpm/user-tasks (and the /bpm/tasks alias), GET /bpm/user-tasks/{id}', async () => {
      const r = await client.req('GET', '/bpm/user-tasks?sort=tkiid:asc');
      expect(r.status).to.equal(200);
      expect(r.data.user_task_instances.map((t: Json) => t.tkiid)).to.deep.equal(['501', '502', '503']);
      expect(r.data.previous).to.equal(null);
      const alias = await client.req('GET', '/bpm/tasks?sort=tkiid:asc');
      expect(alias.data).to.deep.equal(r.data);
      const ready = await client.req('GET', '/bpm/user-tasks?states=ready');
      expect(ready.data.user_task_instances.map((t: Json) => t.tkiid)).to.deep.equal(['501']);
      const one = await client.req('GET', '/bpm/user-tasks/502');
      expect(one.data).to.include({ tkiid: '502', state: 'claimed', owner: 'jane.doe', piid: '302' });
      expect((await client.req('GET', '/bpm/tasks/501')).data.tkiid).to.equal('501');
      expect((await client.req('GET', '/bpm/user-tasks/9999')).status).to.equal(404);
      expect((await client.req('GET', '/bpm/user-tasks?states=nope')).status).to.equal(400);
    });

    it('POST /bpm/user-tasks/{id}/claim|complete|fail', async () => {
      const claim = await client.req('POST', '/bpm/user-tasks/501/claim');
      expect(claim.status).to.equal(200);
      expect(claim.data).to.include({ tkiid: '501', state: 'claimed', owner: 'admin' });
      const done = await client.req('POST', '/bpm/user-tasks/501/complete?optional_parts=data', { json: { output: [{ name: 'approved', data: true }] } });
      expect(done.status).to.equal(200);
      expect(done.data.state).to.equal('completed');
      expect(done.data.data.output).to.deep.equal([
        { name: 'approved', data: true },
        { name: 'comment', data: '' },
      ]);
      expect((await client.req('GET', '/bpm/processes/301')).data.state).to.equal('completed');
      expect((await client.req('POST', '/bpm/user-tasks/501/complete')).status).to.equal(409);
      // claimed by someone else
      expect((await client.req('POST', '/bpm/user-tasks/502/claim')).status).to.equal(409);
      expect((await client.req('POST', '/bpm/user-tasks/502/complete', { json: {} })).status).to.equal(409);
      expect((await client.req('POST', '/bpm/user-tasks/9999/claim')).status).to.equal(404);
      expect((await client.req('POST', '/bpm/user-tasks/501/explode')).status).to.equal(404);
      expect((await client.req('GET', '/bpm/user-tasks/501/claim')).status).to.equal(405);
      // fail a fresh task
      const started = await client.req('POST', `/bpm/processes?model=${VACATION}`);
      const task = (await client.req('GET', `/bpm/user-tasks?process_id=${started.data.piid}`)).data.user_task_instances[0] as Json;
      expect((await client.req('POST', `/bpm/user-tasks/${task.tkiid}/complete`, { body: '{bad', headers: { 'Content-Type': 'application/json' } })).status).to.equal(400);
      const failed = await client.req('POST', `/bpm/user-tasks/${task.tkiid}/fail`, { json: { reason: 'no' } });
      expect(failed.data.state).to.equal('failed');
      expect((await client.req('GET', `/bpm/processes/${started.data.piid}`)).data.state).to.equal('failed');
    });
  });

  describe('WLE /rest/bpm/wle/v1', () => {
    beforeEach(async () => {
      await client.login();
    });

    it('POST process?action=start: 200 {"status":"200","data":{piid,...,tasks}} with params', async () => {
      const r = await client.req('POST', startUrl({ params: JSON.stringify({ requester: 'admin', days: 2 }) }), { csrf: false });
      expect(r.status).to.equal(200);
      expect(r.res.headers.get('content-type')).to.match(/^application\/json/);
      expect(r.data.status).to.equal('200');
      const d = r.data.data as Json;
      expect(d.piid).to.match(/^\d+$/);
      expect(d).to.include({
        name: `Vacation request:${d.piid}`,
        processTemplateID: BPD_VACATION.bpdId,
        processTemplateName: 'Vacation request',
        processAppName: APP_VACATION.name,
        processAppAcronym: 'VR',
        state: 'STATE_RUNNING',
        executionState: 'Active',
      });
      expect(d.variables).to.deep.equal({ requester: 'admin', days: 2 });
      expect(d.tasks).to.have.length(1);
      expect(d.tasks[0]).to.include({ displayName: 'Submit request', state: 'STATE_CLAIMED', owner: 'admin' });
      expect(d.tasks[0].tkiid).to.match(/^\d+$/);
      // task ids are the same in both families
      expect((await client.req('GET', `/bpm/user-tasks/${d.tasks[0].tkiid}`)).data.piid).to.equal(d.piid);
    });

    it('accepts the parameters as a form body', async () => {
      const body = new URLSearchParams({ action: 'start', bpdId: BPD_HIRING.bpdId, branchId: APP_HIRING.branchId, params: '{"position":"Dev"}' });
      const r = await client.req('POST', '/rest/bpm/wle/v1/process', { body });
      expect(r.status, r.text).to.equal(200);
      expect(r.data.data.processAppAcronym).to.equal('HSS');
      expect(r.data.data.variables).to.deep.equal({ position: 'Dev' });
    });

    it('snapshotId wins over branchId, which wins over processAppId', async () => {
      const old = APP_HIRING.snapshots[1]!;
      const base = { action: 'start', bpdId: BPD_HIRING.bpdId };
      const q = (o: Record<string, string>): string => `/rest/bpm/wle/v1/process?${new URLSearchParams({ ...base, ...o }).toString()}`;
      const a = await client.req('POST', q({ snapshotId: old.id, branchId: 'bogus', processAppId: 'bogus' }));
      expect(a.status).to.equal(200);
      expect(a.data.data.snapshotID).to.equal(old.id);
      const b = await client.req('POST', q({ snapshotId: 'bogus', processAppId: APP_HIRING.processAppId }));
      expect(expectWleError(b, 400, 'CWTBG0012E').errorMessageParameters).to.deep.equal(['snapshotId']);
      const c = await client.req('POST', q({ branchId: APP_HIRING.branchId, processAppId: 'bogus' }));
      expect(c.data.data.snapshotID).to.equal(APP_HIRING.snapshots[0]!.id);
      const d = await client.req('POST', q({ branchId: 'bogus', processAppId: APP_HIRING.processAppId }));
      expect(expectWleError(d, 400, 'CWTBG0012E').errorMessageParameters).to.deep.equal(['branchId']);
    });

    it('answers 400 CWTBG0012E for an unknown bpdId or a bad parameter', async () => {
      const cases: Array<[string, string]> = [
        [startUrl({ bpdId: '25.00000000-0000-0000-0000-000000000000' }), 'bpdId'],
        [`/rest/bpm/wle/v1/process?action=start&processAppId=${APP_VACATION.processAppId}`, 'bpdId'],
        [`/rest/bpm/wle/v1/process?action=start&bpdId=${BPD_VACATION.bpdId}`, 'processAppId'],
        [startUrl({ processAppId: APP_HIRING.processAppId }), 'processAppId'],
        [startUrl({ params: '{not json' }), 'params'],
        [startUrl({ params: '[1,2]' }), 'params'],
        [startUrl({ parts: 'everything' }), 'parts'],
        [startUrl({ action: 'begin' }), 'action'],
      ];
      for (const [url, param] of cases) {
        const d = expectWleError(await client.req('POST', url), 400, 'CWTBG0012E');
        expect(d.errorMessageParameters, url).to.deep.equal([param]);
        expect(d.errorMessage).to.contain(`'${param}'`);
      }
    });

    it("wleErrorSpelling='error_number' switches the WLE error field names", async () => {
      const s = await startExtra({ wleErrorSpelling: 'error_number' });
      const c = new Client(s.url);
      const r = await c.req('POST', startUrl({ bpdId: 'nope' }), { basic: true });
      const d = expectWleError(r, 400, 'CWTBG0012E', 'error_number');
      expect(d.error_message_parameters).to.deep.equal(['bpdId']);
      expectWleError(await c.req('PUT', '/rest/bpm/wle/v1/task/9999?action=claim', { basic: true }), 404, 'CWTBG0016E', 'error_number');
    });

    it('PUT task/{id}?action=finish with params closes the task and completes the instance', async () => {
      const r = await client.req('PUT', `/rest/bpm/wle/v1/task/501?action=finish&params=${encodeURIComponent('{"approved":true}')}`);
      expect(r.status).to.equal(200);
      expect(r.data.status).to.equal('200');
      expect(r.data.data).to.include({ tkiid: '501', state: 'STATE_FINISHED', status: 'Closed', owner: 'admin' });
      const inst = await client.req('GET', '/rest/bpm/wle/v1/process/301');
      expect(inst.data.data).to.include({ state: 'STATE_COMPLETED', executionState: 'Completed' });
      expect(inst.data.data.variables.approved).to.equal(true);
      expect((await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=complete')).status).to.equal(409);
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/502?action=finish&params=%7Bbad'), 400, 'CWTBG0012E');
    });

    it('claim, assign (exactly one target) and cancel (200, empty body); POST is accepted too', async () => {
      const claim = await client.req('POST', '/rest/bpm/wle/v1/task/501?action=claim');
      expect(claim.data.data).to.include({ state: 'STATE_CLAIMED', owner: 'admin' });
      const cancel = await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=cancel');
      expect(cancel.status).to.equal(200);
      expect(cancel.text).to.equal('');
      expect(cancel.res.headers.get('content-length')).to.equal('0');
      expect((await client.req('GET', '/rest/bpm/wle/v1/task/501')).data.data).to.include({ state: 'STATE_READY', owner: null });
      const toUser = await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign&toUser=john.smith');
      expect(toUser.data.data).to.include({ state: 'STATE_CLAIMED', owner: 'john.smith' });
      const back = await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign&back=true');
      expect(back.data.data).to.include({ state: 'STATE_READY', owner: null, assignedTo: 'Employees' });
      const toMe = await client.req('PUT', '/rest/bpm/wle/v1/task/501', { body: new URLSearchParams({ action: 'assign', toMe: 'true' }) });
      expect(toMe.data.data.owner).to.equal('admin');
      const toGroup = await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign&toGroup=Managers');
      expect(toGroup.data.data).to.include({ state: 'STATE_READY', assignedTo: 'Managers', assignedToType: 'group' });
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign'), 400, 'CWTBG0012E');
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign&toMe=true&back=true'), 400, 'CWTBG0012E');
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=assign&toUser=ghost'), 400, 'CWTBG0012E');
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=dance'), 400, 'CWTBG0012E');
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/501'), 400, 'CWTBG0012E');
      // a task claimed by someone else cannot be claimed or finished
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/task/502?action=claim'), 409, 'CWTBG0017E');
    });

    it('an unknown task or instance is 404 in the WLE error shape (status configurable)', async () => {
      for (const action of ['finish', 'claim', 'assign&toMe=true', 'cancel']) {
        const d = expectWleError(await client.req('PUT', `/rest/bpm/wle/v1/task/9999?action=${action}`), 404, 'CWTBG0016E');
        expect(d.errorMessageParameters).to.deep.equal(['9999']);
      }
      expectWleError(await client.req('GET', '/rest/bpm/wle/v1/task/9999'), 404, 'CWTBG0016E');
      expectWleError(await client.req('GET', '/rest/bpm/wle/v1/process/9999'), 404, 'CWTBG0016E');
      expectWleError(await client.req('GET', '/rest/bpm/wle/v1/nothing/here'), 404, 'CWTBG0016E');
      const s = await startExtra({ wleNotFoundStatus: 400 });
      expectWleError(await new Client(s.url).req('PUT', '/rest/bpm/wle/v1/task/9999?action=cancel', { basic: true }), 400, 'CWTBG0016E');
    });

    it('PUT tasks: the search envelope with offset in the query and the size in the body, stats with calcStats=true', async () => {
      const r = await client.req('PUT', '/rest/bpm/wle/v1/tasks?calcStats=true&offset=0', { json: { interaction: 'all', conditions: [], size: 10 } });
      expect(r.status).to.equal(200);
      expect(r.data.status).to.equal('200');
      const d = r.data.data as Json;
      expect(d).to.include({ identifier: 'TASK.TKIID', totalCount: 3, offset: 0, size: 3, requestedSize: 10, countLimit: 500, countLimitExceeded: false });
      expect(d.items.map((i: Json) => i.TKIID)).to.deep.equal(['501', '502', '503']);
      expect(d.items[1]).to.include({ TAD_DISPLAY_NAME: BPD_HIRING.firstTask, PT_NAME: BPD_HIRING.name, STATE: 'State_claimed', PRIORITY: 30 });
      expect(d.items[1].DUE).to.match(/Z$/);
      expect(d.stats).to.deep.equal({ total: 3, open: 2, onTrack: 0, atRisk: 0, overdue: 2 });
      // default interaction: available ones and mine
      const mine = await client.req('PUT', '/rest/bpm/wle/v1/tasks');
      expect(mine.data.data.items.map((i: Json) => i.TKIID)).to.deep.equal(['501']);
      expect(mine.data.data).to.not.have.property('stats');
      const paged = await client.req('PUT', '/rest/bpm/wle/v1/tasks?offset=1&size=1', { json: { interaction: 'all' } });
      expect(paged.data.data).to.include({ totalCount: 3, offset: 1, size: 1 });
      expect(paged.data.data.items.map((i: Json) => i.TKIID)).to.deep.equal(['502']);
      const cond = await client.req('PUT', '/rest/bpm/wle/v1/tasks', {
        json: { interaction: 'all', conditions: [{ field: 'bpdName', operator: 'Equals', value: 'Vacation request' }] },
      });
      expect(cond.data.data.items.map((i: Json) => i.TKIID)).to.deep.equal(['501', '503']);
    });

    it('PUT tasks: 400 CWTBG0618E for an invalid property in the body (offset belongs in the query)', async () => {
      for (const json of [{ offset: 0 }, { size: 0 }, { bogus: 1 }, { filterByCurrentUser: true }, { interaction: 'sideways' }, { conditions: [{ field: 'nope', value: 1 }] }, { sort: [{ field: 'nope' }] }]) {
        expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/tasks', { json }), 400, 'CWTBG0618E');
      }
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/tasks?size=-3'), 400, 'CWTBG0012E');
      expect((await client.req('GET', '/rest/bpm/wle/v1/tasks')).status).to.equal(405);
    });

    it('exposed/process and user/current', async () => {
      const e = await client.req('GET', '/rest/bpm/wle/v1/exposed/process');
      const items = e.data.data.exposedItemsList as Json[];
      expect(items.map((i) => i.itemID)).to.include(BPD_VACATION.bpdId);
      const vr = items.find((i) => i.itemID === BPD_VACATION.bpdId)!;
      expect(vr).to.include({ processAppID: APP_VACATION.processAppId, branchID: APP_VACATION.branchId, display: 'Vacation request' });
      // the advertised startURL works
      expect((await client.req('POST', vr.startURL)).data.status).to.equal('200');
      const u = await client.req('GET', '/rest/bpm/wle/v1/user/current?parts=all');
      expect(u.data.data.userName).to.equal('admin');
    });

    it('WLE auth: cookies or Basic (no BPMCSRFToken needed), otherwise 401 with the realm', async () => {
      expect((await client.req('GET', '/rest/bpm/wle/v1/task/501', { csrf: false })).status).to.equal(200);
      const basicOnly = new Client(sim.url);
      expect((await basicOnly.req('POST', startUrl(), { basic: true })).status).to.equal(200);
      expect401(await basicOnly.req('POST', startUrl()));
      expect401(await basicOnly.req('GET', '/rest/bpm/wle/v1/user/current', { basic: basicHeader('admin', 'bad') }));
      expect(sim.stats.unauthorized).to.equal(2);
    });

    it('WLE permission errors for a read-only user (CWTBG0019E, cancel CWTBG0549E)', async () => {
      const viewer = new Client(sim.url, 'viewer', 'viewer');
      expectWleError(await viewer.req('POST', startUrl(), { basic: true }), 403, 'CWTBG0019E');
      expectWleError(await viewer.req('PUT', '/rest/bpm/wle/v1/task/501?action=claim', { basic: true }), 403, 'CWTBG0019E');
      expectWleError(await viewer.req('PUT', '/rest/bpm/wle/v1/task/501?action=cancel', { basic: true }), 403, 'CWTBG0549E');
      expect((await viewer.req('PUT', '/rest/bpm/wle/v1/tasks', { basic: true })).status).to.equal(200);
    });

    it('WLE instance actions: suspend, resume, terminate, delete', async () => {
      expect((await client.req('PUT', '/rest/bpm/wle/v1/process/301?action=suspend')).data.data.state).to.equal('STATE_SUSPENDED');
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/process/301?action=suspend'), 409, 'CWTBG0017E');
      expect((await client.req('PUT', '/rest/bpm/wle/v1/process/301?action=resume')).data.data.state).to.equal('STATE_RUNNING');
      expect((await client.req('PUT', '/rest/bpm/wle/v1/process/301?action=terminate')).data.data.state).to.equal('STATE_TERMINATED');
      expect((await client.req('POST', '/rest/bpm/wle/v1/process/301?action=delete')).status).to.equal(200);
      expect((await client.req('GET', '/rest/bpm/wle/v1/process/301')).status).to.equal(404);
      expectWleError(await client.req('PUT', '/rest/bpm/wle/v1/process/302?action=fly'), 400, 'CWTBG0012E');
    });
  });

  describe('operation support: variables, lists, searches, conflicts, counters and faults', () => {
    beforeEach(async () => {
      await client.login();
    });
    const wle = (p: string): string => `/rest/bpm/wle/v1${p}`;
    /** A call whose socket the server may destroy: the status, or 'dropped'. */
    const attempt = (method: string, p: string, json?: unknown): Promise<number | 'dropped'> =>
      client.req(method, p, json === undefined ? {} : { json }).then(
        (r) => r.status,
        () => 'dropped' as const,
      );

    it('bpddata/{bpdId}: the input variables of a snapshot (or a branch tip) keyed by name; 400 without a version, 404 for an unknown BPD', async () => {
      const r = await client.req('GET', wle(`/bpddata/${BPD_HIRING.bpdId}?snapshotId=${APP_HIRING.snapshots[1]!.id}`));
      expect(r.status).to.equal(200);
      expect(r.data.data).to.deep.include({ bpdId: BPD_HIRING.bpdId, snapshotId: APP_HIRING.snapshots[1]!.id });
      expect(r.data.data.inputs).to.deep.include({ headcount: { type: 'Integer', isList: false }, skills: { type: 'String', isList: true } });
      expect((await client.req('GET', wle(`/bpddata/${BPD_HIRING.bpdId}?branchId=${APP_HIRING.branchId}`))).data.data.snapshotId).to.equal(APP_HIRING.snapshots[0]!.id);
      expectWleError(await client.req('GET', wle(`/bpddata/${BPD_HIRING.bpdId}`)), 400, 'CWTBG0012E');
      expectWleError(await client.req('GET', wle(`/bpddata/${BPD_HIRING.bpdId}?snapshotId=${APP_VACATION.snapshots[0]!.id}`)), 400, 'CWTBG0012E');
      expectWleError(await client.req('GET', wle('/bpddata/25.nope?branchId=x')), 404, 'CWTBG0016E');
    });

    it('processApps and exposed/process name each app by acronym, each startable process with its snapshot', async () => {
      const apps = (await client.req('GET', wle('/processApps'))).data.data.processAppsList as Json[];
      expect(apps.map((a) => [a.shortName, a.name])).to.deep.equal([
        ['HSS', APP_HIRING.name],
        ['VR', APP_VACATION.name],
      ]);
      const exposed = (await client.req('GET', wle('/exposed/process'))).data.data.exposedItemsList as Json[];
      expect(exposed.find((e) => e.itemID === BPD_HIRING.bpdId)).to.include({ processAppAcronym: 'HSS', display: BPD_HIRING.name, snapshotName: APP_HIRING.snapshots[0]!.name, tip: true });
    });

    it('POST /bpm/processes checks each input against the declared variables: an undeclared name or a wrong type is 400 naming it', async () => {
      const start = (input: unknown[]): Promise<Reply> => client.req('POST', `/bpm/processes?model=${VACATION}&container=VR`, { json: { input } });
      const undeclared = await start([{ name: 'nights', data: 2 }]);
      expect(undeclared.status).to.equal(400);
      expect(undeclared.data.error_message_parameters).to.deep.equal(['nights']);
      expect((await start([{ name: 'days', data: '2' }])).data.error_message).to.match(/'days' is invalid: an Integer is expected/);
      expect((await start([{ name: 'startDate', data: 'soon' }])).status).to.equal(400);
      expect((await start([{ name: 'days', data: null }])).status).to.equal(201);
      expect(sim.operations.instancesStarted).to.equal(1);
    });

    it('/bpm/user-tasks: input and output variables with optional_parts=data, next-URL pages, an empty list for an unknown model or container', async () => {
      const one = await client.req('GET', '/bpm/user-tasks/501?optional_parts=data,actions');
      expect(one.data.data).to.deep.equal({
        input: [
          { name: 'requester', data: 'jane.doe' },
          { name: 'days', data: 3 },
          { name: 'startDate', data: null },
          { name: 'reason', data: null },
        ],
        output: [
          { name: 'approved', data: false },
          { name: 'comment', data: '' },
        ],
        internal: [],
      });
      expect(one.data.actions).to.deep.equal(['claim', 'complete', 'fail']);
      expect(sim.bulkCreateTasks(30)).to.have.length(30);
      const first = await client.req('GET', '/bpm/user-tasks?states=ready&size=25');
      expect(first.data.user_task_instances).to.have.length(25);
      const second = await client.req('GET', first.data.next);
      expect(second.data.user_task_instances).to.have.length(6);
      expect(second.data.next).to.equal(null);
      for (const q of ['model=Nope', 'container=ZZ', `model=${VACATION}&container=HSS`, 'process_id=999']) {
        const r = await client.req('GET', `/bpm/user-tasks?${q}`);
        expect(r.status, q).to.equal(200);
        expect(r.data.user_task_instances, q).to.deep.equal([]);
      }
    });

    it('complete takes {"output":[{name,data}]} checked against the task outputs; 409 names who holds or completed the task; 403 for one outside its team', async () => {
      const bad = await client.req('POST', '/bpm/user-tasks/501/complete', { json: { output: [{ name: 'approved', data: 'yes' }] } });
      expect(bad.status).to.equal(400);
      expect(bad.data.error_message_parameters).to.deep.equal(['approved']);
      expect((await client.req('POST', '/bpm/user-tasks/501/complete', { json: { output: [{ name: 'salary', data: 1 }] } })).status).to.equal(400);
      const claimed = await client.req('POST', '/bpm/user-tasks/502/claim');
      expect(claimed.status).to.equal(409);
      expect(claimed.data.error_message).to.equal("CWTBG0017E: The task '502' is already claimed by user 'jane.doe'.");
      const done = await client.req('POST', '/bpm/user-tasks/503/complete', { json: {} });
      expect(done.data.error_message).to.equal("CWTBG0017E: The task '503' is already closed (completed by user 'john.smith').");
      const s = await startExtra({ teamMembers: { Employees: ['jane.doe'] } });
      const c = new Client(s.url);
      await c.login();
      const outsider = await c.req('POST', '/bpm/user-tasks/501/claim');
      expect(outsider.status).to.equal(403);
      expect(outsider.data.error_message).to.match(/not a potential owner of the task '501' \(offered to 'Employees'\)/);
      expect(s.operations).to.deep.equal({ instancesStarted: 0, tasksCompleted: 0, tasksClaimed: 0 });
    });

    it('PUT tasks: counts at most 500 (countLimitExceeded), sorts by due date, filters human tasks, and lists the 12 properties when one is unknown', async () => {
      sim.bulkCreateTasks(510);
      const body = { interaction: 'available', size: 20, conditions: [{ field: 'taskActivityType', operator: 'Equals', value: 'USER_TASK' }], sort: [{ field: 'taskDueDate', order: 'DESC' }] };
      const r = await client.req('PUT', wle('/tasks?offset=490'), { json: body });
      expect(r.data.data).to.include({ offset: 490, size: 20, requestedSize: 20, totalCount: 500, countLimit: 500, countLimitExceeded: true });
      const last = await client.req('PUT', wle('/tasks?offset=500'), { json: body });
      expect(last.data.data.items).to.have.length(11);
      expect(last.data.data.items.at(-1)['TASK.TKIID']).to.equal('501');
      const refused = expectWleError(await client.req('PUT', wle('/tasks'), { json: { offset: 0 } }), 400, 'CWTBG0618E');
      expect(refused.errorMessage).to.contain('Unrecognized field "offset"').and.contain('"organization"');
    });

    it('processes/search: by acronyms, statuses, modification time and name, newest first, offset/limit pages; an unknown acronym is an empty list', async () => {
      const search = async (q: string, method = 'POST'): Promise<Json[]> => {
        const r = await client.req(method, wle(`/processes/search?${q}`));
        expect(r.status, q).to.equal(200);
        return r.data.data.processes as Json[];
      };
      expect((await search('')).map((p) => p.piid)).to.deep.equal(['303', '302', '301']);
      expect((await search('projectFilter=VR', 'GET')).map((p) => p.piid)).to.deep.equal(['303', '301']);
      expect((await search('projectFilter=VR,HSS&statusFilter=Active')).map((p) => p.piid)).to.deep.equal(['302', '301']);
      expect((await search('statusFilter=Completed'))[0]).to.include({ piid: '303', bpdName: 'Vacation request', executionState: 'Completed', projectID: APP_VACATION.processAppId });
      expect((await search('modifiedAfter=2026-01-12T09:00:00Z&modifiedBefore=2026-01-12T10:00:00Z')).map((p) => p.piid)).to.deep.equal(['302']);
      expect((await search('searchFilter=hr&offset=0&limit=1')).map((p) => p.piid)).to.deep.equal(['302']);
      expect((await search('offset=1&limit=1')).map((p) => p.piid)).to.deep.equal(['302']);
      expect(await search('projectFilter=ZZ')).to.deep.equal([]);
      expectWleError(await client.req('POST', wle('/processes/search?statusFilter=Sleeping')), 400, 'CWTBG0012E');
      expectWleError(await client.req('POST', wle('/processes/search?modifiedAfter=yesterday')), 400, 'CWTBG0012E');
    });

    it('drops an armed start after processing it, an armed completion before; counts what took effect; the control endpoints arm and report', async () => {
      sim.dropAfterProcessing('start');
      expect(await attempt('POST', `/bpm/processes?model=${VACATION}`, { input: [] })).to.equal('dropped');
      expect(sim.operations.instancesStarted).to.equal(1);
      expect(await attempt('POST', `/bpm/processes?model=${VACATION}`, { input: [] })).to.equal(201);
      sim.dropBeforeProcessing('complete');
      expect(await attempt('POST', '/bpm/user-tasks/501/complete', {})).to.equal('dropped');
      expect((await client.req('GET', '/bpm/user-tasks/501')).data.state).to.equal('ready');
      expect(await attempt('POST', '/bpm/user-tasks/501/complete', {})).to.equal(200);
      expect((await fetch(`${sim.origin}/_sim/drop?kind=claim`, { method: 'POST' })).status).to.equal(204);
      expect(await attempt('POST', '/bpm/user-tasks/504/claim')).to.equal('dropped');
      expect(await (await fetch(`${sim.origin}/_sim/operations`)).json()).to.deep.equal({ instancesStarted: 2, tasksCompleted: 1, tasksClaimed: 1 });
      expect((await fetch(`${sim.origin}/_sim/drop?kind=everything`, { method: 'POST' })).status).to.equal(400);
      const bulk = await fetch(`${sim.origin}/_sim/tasks?count=3`, { method: 'POST' });
      expect(await bulk.json()).to.deep.include({ count: 3 });
      expect((await fetch(`${sim.origin}/_sim/reset`, { method: 'POST' })).status).to.equal(204);
      expect(sim.operations).to.deep.equal({ instancesStarted: 0, tasksCompleted: 0, tasksClaimed: 0 });
    });
  });

  describe('WLE XSRF mode (CheckXSRFForOldRestApi)', () => {
    it('off (default): the session cookie is enough for writes', async () => {
      await client.login();
      expect((await client.req('POST', startUrl(), { csrf: false })).status).to.equal(200);
      expect((await client.req('PUT', '/rest/bpm/wle/v1/task/501?action=claim', { csrf: false })).status).to.equal(200);
    });

    it('on: writes need X-XSRF-TOKEN equal to the XSRF-TOKEN cookie (403 otherwise); reads do not', async () => {
      const s = await startExtra({ wleXsrfCheck: true });
      const c = new Client(s.url);
      await c.login();
      const xsrf = c.cookies.get('XSRF-TOKEN')!;
      expect(xsrf).to.be.a('string').and.not.equal('');
      const missing = await c.req('POST', startUrl());
      expectWleError(missing, 403, 'CWTBG0651E');
      expectWleError(await c.req('POST', startUrl(), { headers: { 'X-XSRF-TOKEN': 'wrong' } }), 403, 'CWTBG0651E');
      expectWleError(await c.req('PUT', '/rest/bpm/wle/v1/task/501?action=claim', { headers: { 'X-XSRF-TOKEN': '' } }), 403, 'CWTBG0651E');
      // Basic alone carries no XSRF-TOKEN cookie
      expectWleError(await new Client(s.url).req('POST', startUrl(), { basic: true, headers: { 'X-XSRF-TOKEN': xsrf } }), 403, 'CWTBG0651E');
      expect(s.stats.csrfRejections).to.equal(4);
      expect((await c.req('POST', startUrl(), { headers: { 'X-XSRF-TOKEN': xsrf } })).status).to.equal(200);
      expect((await c.req('PUT', '/rest/bpm/wle/v1/task/501?action=claim', { headers: { 'X-XSRF-TOKEN': xsrf } })).status).to.equal(200);
      expect((await c.req('GET', '/rest/bpm/wle/v1/task/501')).status).to.equal(200);
      // unauthenticated is still 401 first
      expect401(await new Client(s.url).req('POST', startUrl(), { headers: { 'X-XSRF-TOKEN': xsrf } }));
      // the /bpm family is unaffected
      expect((await c.req('GET', '/bpm/processes')).status).to.equal(200);
    });

    it('wleXsrfRejectStatus option', async () => {
      const s = await startExtra({ wleXsrfCheck: true, wleXsrfRejectStatus: 400 });
      const c = new Client(s.url);
      await c.login();
      expect((await c.req('POST', startUrl())).status).to.equal(400);
    });
  });

  describe('control endpoints and bookkeeping', () => {
    it('GET /_sim/stats, POST /_sim/expire, POST /_sim/reset', async () => {
      await client.login();
      await client.login({}, basicHeader('admin', 'bad'));
      await client.req('GET', '/bpm/processes');
      await client.req('GET', '/bpm/processes', { csrf: false });
      await client.req('GET', '/bpm/processes', { noCookies: true });
      const started = await client.req('POST', startUrl());
      const piid = started.data.data.piid as string;

      let res = await fetch(`${sim.origin}/_sim/stats`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ logins: 1, loginFailures: 1, csrfRejections: 1, unauthorized: 1, apiCalls: 4 });

      res = await fetch(`${sim.origin}/_sim/expire`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expectCsrf403(await client.req('GET', '/bpm/processes'));

      res = await fetch(`${sim.origin}/_sim/reset`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, csrfRejections: 0, unauthorized: 0, apiCalls: 0 });
      await client.login();
      expect((await client.req('GET', `/bpm/processes/${piid}`)).status).to.equal(404);
      expect((await client.req('GET', '/bpm/processes')).data.processes).to.have.length(3);
      expect(sim.stats.apiCalls).to.equal(2);
      expect(sim.requests.some((r) => r.path.startsWith('/_sim'))).to.equal(false);
      expect((await fetch(`${sim.origin}/_sim/stats`, { method: 'POST' })).status).to.equal(405);
      expect((await fetch(`${sim.origin}/_sim/expire`)).status).to.equal(405);
      expect((await fetch(`${sim.origin}/_sim/nothing`)).status).to.equal(404);
    });

    it('resetStats() keeps the same live stats object; resetData() reseeds but keeps logins', async () => {
      const ref = sim.stats;
      await client.login();
      expect(ref.logins).to.equal(1);
      sim.resetStats();
      expect(sim.stats).to.equal(ref);
      expect(ref.logins).to.equal(0);
      await client.req('DELETE', '/bpm/processes/301');
      sim.resetData();
      expect((await client.req('GET', '/bpm/processes/301')).status).to.equal(200);
    });

    it('records requests with their headers, bounded to the last 1000', async () => {
      await client.login();
      await client.req('GET', '/bpm/processes?size=1', { headers: { 'X-Custom': 'yes' } });
      const last = sim.requests[sim.requests.length - 1]!;
      expect(last).to.include({ method: 'GET', path: '/bpm/processes', url: '/bpm/processes?size=1' });
      expect(last.headers['x-custom']).to.equal('yes');
      expect(last.headers.bpmcsrftoken).to.equal(client.token);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
      const get = (i: number): Promise<void> =>
        new Promise((resolve, reject) => {
          http
            .get(`${sim.url}/bpm/user-tasks?i=${i}`, { agent }, (res) => {
              res.resume();
              res.on('end', () => resolve());
            })
            .on('error', reject);
        });
      await Promise.all(Array.from({ length: 1010 }, (_, i) => get(i)));
      agent.destroy();
      expect(sim.requests).to.have.length(1000);
      expect(sim.requests.every((r) => r.path === '/bpm/user-tasks')).to.equal(true);
    });

    it('handles concurrent requests', async () => {
      const logins = await Promise.all(Array.from({ length: 10 }, () => new Client(sim.url).login()));
      expect(new Set(logins.map((r) => r.data.csrf_token)).size).to.equal(10);
      await client.login();
      const starts = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          i % 2 === 0
            ? client.req('POST', startUrl({ params: JSON.stringify({ i }) })).then((r) => r.data.data.piid as string)
            : client.req('POST', `/bpm/processes?model=${VACATION}`, { json: { input: [{ name: 'days', data: i }] } }).then((r) => r.data.piid as string),
        ),
      );
      expect(new Set(starts).size).to.equal(30);
      const all = await client.req('GET', '/bpm/user-tasks?size=100');
      expect(all.data.user_task_instances).to.have.length(33);
    });

    it('survives malformed input', async () => {
      await client.login();
      const raw = (method: string, target: string, headers: Record<string, string> = {}, body?: Buffer): Promise<number> =>
        new Promise((resolve) => {
          const req = http.request(`${sim.origin}${target}`, { method, headers }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', () => resolve(-1));
          req.end(body);
        });
      const auth = { Authorization: basicHeader('admin', 'admin'), BPMCSRFToken: client.token! };
      expect(await raw('GET', '/bpm/processes/%E0%A4%A', auth)).to.equal(404);
      expect(await raw('GET', '/bpm/processes?offset=%zz', auth)).to.equal(400);
      expect(await raw('GET', '/rest/bpm/wle/v1/task/%ZZ', auth)).to.equal(404);
      expect(await raw('POST', '/bpm/system/login', { Authorization: 'Basic %%%' })).to.equal(401);
      expect(await raw('POST', '/bpm/system/login', { Authorization: basicHeader('admin', 'admin') }, Buffer.from([0xff, 0xfe, 0x00]))).to.equal(400);
      expect(await raw('POST', '/bpm/system/login', { Authorization: basicHeader('admin', 'admin') }, Buffer.alloc(1024 * 1024 + 10, 0x20))).to.equal(400);
      expect(await raw('PUT', '/rest/bpm/wle/v1/tasks', auth, Buffer.from('\u0000{'))).to.equal(400);
      expect(await raw('POST', '/rest/bpm/wle/v1/process', { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, Buffer.from('action=start&bpdId=%E0%A4%A&&=&'))).to.equal(400);
      expect(await raw('GET', '/nowhere')).to.equal(404);
      expect(await raw('GET', '/bpm/processes', { cookie: ';;=;LtpaToken2;JSESSIONID="' })).to.equal(401);
      expect((await client.req('GET', '/bpm/processes')).status).to.equal(200);
    });
  });

  describe('CLI', () => {
    it('starts, prints the listening line, and exits on SIGTERM', async function () {
      this.timeout(30000);
      const main = path.join(__dirname, 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--prefix', '/baw/dev'], {
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
        const m = /^baw simulator listening on (http:\/\/127\.0\.0\.1:\d+\/baw\/dev)$/.exec(line);
        expect(m, line).to.not.equal(null);
        expect((await new Client(m![1]!).login()).status).to.equal(201);
        const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exit).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
