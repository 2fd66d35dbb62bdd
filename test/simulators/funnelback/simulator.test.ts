import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { startFunnelbackSimulator, type FunnelbackSimulator, type FunnelbackSimulatorOptions } from './index';

const DAY = 24 * 60 * 60 * 1000;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const LOGIN = '/admin-api/account/v1/login';
const PACKAGES = '/admin-api/search-packages/v1/';
const APP = '/admin-api/application-tokens/v1';

type Json = Record<string, unknown>;

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

interface RawResponse {
  status: number;
  /** header names exactly as sent on the wire */
  rawHeaderNames: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request over node:http, to see header names as sent and to send odd targets. */
function raw(origin: string, method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(origin);
    const req = http.request({ host: u.hostname, port: u.port, method, path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const names: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) names.push(res.rawHeaders[i]!);
        resolve({ status: res.statusCode ?? 0, rawHeaderNames: names, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('Funnelback simulator', function () {
  this.timeout(20000);
  let sim: FunnelbackSimulator;
  let now: number;
  const extra: FunnelbackSimulator[] = [];

  async function startExtra(opts: FunnelbackSimulatorOptions): Promise<FunnelbackSimulator> {
    const s = await startFunnelbackSimulator(opts);
    extra.push(s);
    return s;
  }

  const call = (p: string, init: RequestInit = {}, s: FunnelbackSimulator = sim): Promise<Response> => fetch(s.url + p, init);

  async function login(user = 'admin', password = 'admin', s: FunnelbackSimulator = sim): Promise<string> {
    const res = await call(LOGIN, { method: 'POST', headers: FORM, body: new URLSearchParams({ username: user, password }).toString() }, s);
    expect(res.status, 'login status').to.equal(200);
    const token = res.headers.get('x-security-token');
    expect(token).to.be.a('string').and.not.equal('');
    return token!;
  }

  const withToken = (token: string, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'X-Security-Token': token } });

  async function getJson(p: string, token?: string, s: FunnelbackSimulator = sim): Promise<{ res: Response; data: unknown }> {
    const res = await call(p, token ? withToken(token) : {}, s);
    const text = await res.text();
    return { res, data: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function search(params: Record<string, string>, init: RequestInit = {}, s: FunnelbackSimulator = sim): Promise<{ res: Response; data: Json }> {
    const res = await call(`/s/search.json?${new URLSearchParams(params).toString()}`, init, s);
    return { res, data: (await res.json()) as Json };
  }

  const packet = (data: Json): Json => (data.response as Json).resultPacket as Json;
  const summary = (data: Json): Json => packet(data).resultsSummary as Json;
  const results = (data: Json): Json[] => packet(data).results as Json[];

  beforeEach(async () => {
    now = Date.UTC(2025, 5, 1);
    sim = await startFunnelbackSimulator({ clock: () => now });
  });
  afterEach(async () => {
    await sim.close();
    while (extra.length) await extra.pop()!.close();
  });

  describe('startup', () => {
    it('listens on 127.0.0.1; url is the server base', () => {
      expect(sim.origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.url).to.equal(sim.origin);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, apiCalls: 0 });
      expect(sim.requests).to.deep.equal([]);
    });
  });

  describe('admin API login', () => {
    it('POST form username/password: 200, token in the X-Security-Token response header (that exact case), small JSON body', async () => {
      const r = await raw(sim.origin, 'POST', LOGIN, FORM, 'username=admin&password=admin');
      expect(r.status).to.equal(200);
      expect(r.rawHeaderNames).to.include('X-Security-Token');
      expect(r.rawHeaderNames).not.to.include('x-security-token');
      expect(r.headers['x-security-token']).to.match(/^[A-Za-z0-9_-]{20,}$/);
      expect(r.headers['content-type']).to.equal('application/json;charset=UTF-8');
      expect(JSON.parse(r.body)).to.deep.equal({ username: 'admin' });
      expect(sim.stats.logins).to.equal(1);
      expect(sim.stats.loginFailures).to.equal(0);
      expect(sim.stats.apiCalls).to.equal(0);
    });

    it('accepts ?remember-me=true and credentials as URL parameters (older docs)', async () => {
      let res = await call(`${LOGIN}?remember-me=true`, { method: 'POST', headers: FORM, body: 'username=admin&password=admin' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-security-token')).to.be.a('string');
      res = await call(`${LOGIN}?username=searcher&password=searcher`, { method: 'POST' });
      expect(res.status).to.equal(200);
      const t = res.headers.get('x-security-token')!;
      expect((await call(`${APP}/application-tokens`, withToken(t))).status).to.equal(200);
    });

    it('every login issues a new token; older tokens stay valid', async () => {
      const a = await login();
      const b = await login();
      expect(a).not.to.equal(b);
      expect((await call(PACKAGES, withToken(a))).status).to.equal(200);
      expect((await call(PACKAGES, withToken(b))).status).to.equal(200);
    });

    it('bad credentials: 401 without a token header (wrong password, unknown user, none, JSON body)', async () => {
      const attempts: Array<[string, RequestInit]> = [
        [LOGIN, { method: 'POST', headers: FORM, body: 'username=admin&password=nope' }],
        [LOGIN, { method: 'POST', headers: FORM, body: 'username=ghost&password=admin' }],
        [LOGIN, { method: 'POST', headers: FORM, body: '' }],
        [LOGIN, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"username":"admin","password":"admin"}' }],
        [`${LOGIN}?username=admin&password=`, { method: 'POST' }],
      ];
      for (const [p, init] of attempts) {
        const res = await call(p, init);
        expect(res.status, JSON.stringify(init.body)).to.equal(401);
        expect(res.headers.get('x-security-token')).to.equal(null);
        expect(await res.json()).to.deep.equal({ error: 'Unauthorized' });
      }
      expect(sim.stats.loginFailures).to.equal(attempts.length);
      expect(sim.stats.logins).to.equal(0);
      expect(sim.stats.unauthorized).to.equal(0);
    });

    it('Basic credentials do not log in; GET is 405', async () => {
      expect((await call(LOGIN, { method: 'POST', headers: { Authorization: basic('admin', 'admin') } })).status).to.equal(401);
      const res = await call(`${LOGIN}?username=admin&password=admin`);
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('POST');
    });

    it("loginHeaderCase 'x-security-token' sends the header in lower case", async () => {
      const s = await startExtra({ loginHeaderCase: 'x-security-token' });
      const r = await raw(s.origin, 'POST', LOGIN, FORM, 'username=admin&password=admin');
      expect(r.status).to.equal(200);
      expect(r.rawHeaderNames).to.include('x-security-token');
      expect(r.rawHeaderNames).not.to.include('X-Security-Token');
      expect((await call(PACKAGES, withToken(r.headers['x-security-token'] as string), s)).status).to.equal(200);
    });

    it("loginBody 'empty' answers 200 with no body", async () => {
      const s = await startExtra({ loginBody: 'empty' });
      const r = await raw(s.origin, 'POST', LOGIN, FORM, 'username=admin&password=admin');
      expect(r.status).to.equal(200);
      expect(r.body).to.equal('');
      expect(r.headers['x-security-token']).to.be.a('string');
    });
  });

  describe('admin API authentication (token only)', () => {
    it('no X-Security-Token: 401 {"error":"Unauthorized"}, counted', async () => {
      const res = await call(PACKAGES);
      expect(res.status).to.equal(401);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(await res.json()).to.deep.equal({ error: 'Unauthorized' });
      expect(sim.stats.unauthorized).to.equal(1);
      expect(sim.stats.apiCalls).to.equal(1);
    });

    it('unknown or empty token: 401, also on unknown admin paths', async () => {
      expect((await call(PACKAGES, withToken('not-a-token'))).status).to.equal(401);
      expect((await call(PACKAGES, { headers: { 'X-Security-Token': '' } })).status).to.equal(401);
      expect((await call('/admin-api/nothing/v1/here')).status).to.equal(401);
      expect((await call(`${APP}/application-token/x`, { method: 'PUT' })).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(4);
    });

    it('Basic on the admin API: 401 even with a good password; a valid token alongside Basic works', async () => {
      const res = await call(PACKAGES, { headers: { Authorization: basic('admin', 'admin') } });
      expect(res.status).to.equal(401);
      const token = await login();
      const ok = await call(PACKAGES, { headers: { Authorization: basic('admin', 'wrong'), 'X-Security-Token': token } });
      expect(ok.status).to.equal(200);
    });

    it('accepts the token header in any case', async () => {
      const token = await login();
      expect((await raw(sim.origin, 'GET', PACKAGES, { 'x-security-token': token })).status).to.equal(200);
      expect((await raw(sim.origin, 'GET', PACKAGES, { 'X-SECURITY-TOKEN': token })).status).to.equal(200);
    });

    it('a login token expires after 14 days by default (clock option)', async () => {
      const token = await login();
      now += 14 * DAY - 1;
      expect((await call(PACKAGES, withToken(token))).status).to.equal(200);
      now += 1;
      expect((await call(PACKAGES, withToken(token))).status).to.equal(401);
      // and stays dead when the clock goes back
      now -= DAY;
      expect((await call(PACKAGES, withToken(token))).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(2);
    });

    it('honours loginTokenLifetimeMs', async () => {
      let t = 1000;
      const s = await startExtra({ loginTokenLifetimeMs: 5000, clock: () => t });
      const token = await login('admin', 'admin', s);
      t += 4999;
      expect((await call(PACKAGES, withToken(token), s)).status).to.equal(200);
      t += 1;
      expect((await call(PACKAGES, withToken(token), s)).status).to.equal(401);
    });

    it('expireSessions() (server restart) kills every login token; logging in again works', async () => {
      const a = await login();
      const b = await login('searcher', 'searcher');
      sim.expireSessions();
      expect((await call(PACKAGES, withToken(a))).status).to.equal(401);
      expect((await call(`${APP}/application-tokens`, withToken(b))).status).to.equal(401);
      const c = await login();
      expect((await call(PACKAGES, withToken(c))).status).to.equal(200);
    });

    it("unauthorizedBody 'empty' sends 401 with no body", async () => {
      const s = await startExtra({ unauthorizedBody: 'empty' });
      const res = await call(PACKAGES, {}, s);
      expect(res.status).to.equal(401);
      expect(await res.text()).to.equal('');
    });
  });

  describe('generic admin resources', () => {
    it('GET search-packages/v1/ lists the search packages (JSON array), with or without the trailing slash', async () => {
      const token = await login();
      const { res, data } = await getJson(PACKAGES, token);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      const list = data as Json[];
      expect(list.map((p) => p.id)).to.deep.equal(['client~sp-docs', 'client~sp-website', 'acme~sp-intranet']);
      expect(list[0]).to.include({ clientId: 'client', name: 'Documentation', type: 'meta' });
      expect(list[0]!.dataSources).to.deep.equal(['client~ds-docs-web', 'client~ds-docs-pdf']);
      expect((await getJson('/admin-api/search-packages/v1', token)).data).to.deep.equal(list);
    });

    it('GET search-packages/v1/<id>, data-sources/v1/; unknown id 404; unknown resource 404; POST 405', async () => {
      const token = await login();
      const one = await getJson('/admin-api/search-packages/v1/acme~sp-intranet', token);
      expect(one.res.status).to.equal(200);
      expect((one.data as Json).dataSources).to.deep.equal(['acme~ds-intranet', 'acme~ds-push']);
      const ds = await getJson('/admin-api/data-sources/v1/', token);
      expect((ds.data as Json[]).map((d) => d.id)).to.include.members(['client~ds-docs-web', 'acme~ds-push']);
      expect((await getJson('/admin-api/search-packages/v1/client~sp-none', token)).res.status).to.equal(404);
      const nf = await getJson('/admin-api/nothing/v1/', token);
      expect(nf.res.status).to.equal(404);
      expect(nf.data).to.deep.include({ error: 'Not Found' });
      const post = await call(PACKAGES, withToken(token, { method: 'POST' }));
      expect(post.status).to.equal(405);
    });

    it('403 for a user without permission; the canReadAdminResources option grants it', async () => {
      const token = await login('searcher', 'searcher');
      const { res, data } = await getJson(PACKAGES, token);
      expect(res.status).to.equal(403);
      expect(data).to.deep.include({ error: 'Forbidden' });
      expect((await getJson('/admin-api/data-sources/v1/', token)).res.status).to.equal(403);
      expect(sim.stats.unauthorized).to.equal(0);
      const s = await startExtra({ users: { reader: { password: 'r', canReadAdminResources: true }, dev: { password: 'd', canCreateNonExpiring: true, canReadAdminResources: false } } });
      expect((await getJson(PACKAGES, await login('reader', 'r', s), s)).res.status).to.equal(200);
      expect((await getJson(PACKAGES, await login('dev', 'd', s), s)).res.status).to.equal(403);
    });
  });

  describe('application tokens', () => {
    it('per-user (15.x): PUT creates and returns the token value; the token authenticates; listed by name only', async () => {
      const login1 = await login();
      const res = await call(`${APP}/application-token/my-app`, withToken(login1, { method: 'PUT' }));
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      const created = (await res.json()) as Json;
      expect(created).to.include({ name: 'my-app', username: 'admin' });
      expect(created.token).to.be.a('string').and.match(/^[A-Za-z0-9_-]{20,}$/);
      expect(created.token).not.to.equal(login1);
      const appToken = created.token as string;
      expect((await call(PACKAGES, withToken(appToken))).status).to.equal(200);
      for (const p of [`${APP}/application-tokens`, `${APP}/application-token`]) {
        const { res: lr, data } = await getJson(p, login1);
        expect(lr.status).to.equal(200);
        const list = data as Json[];
        expect(list.map((t) => t.name)).to.deep.equal(['my-app']);
        expect(JSON.stringify(list)).not.to.contain(appToken);
        expect(list[0]).not.to.have.property('token');
      }
      // another user sees none of them
      const other = await login('searcher', 'searcher');
      expect((await getJson(`${APP}/application-tokens`, other)).data).to.deep.equal([]);
    });

    it('client (DXP): PUT clients/<id>/application-token/<name> returns token, username and password; listed by name only', async () => {
      const t = await login();
      const res = await call(`${APP}/clients/client/application-token/n8n`, withToken(t, { method: 'PUT' }));
      expect(res.status).to.equal(200);
      const created = (await res.json()) as Json;
      expect(created).to.include({ name: 'n8n', clientId: 'client', createdBy: 'admin' });
      for (const k of ['token', 'username', 'password']) expect(created[k], k).to.be.a('string').and.not.equal('');
      expect((await call(PACKAGES, withToken(created.token as string))).status).to.equal(200);
      for (const p of [`${APP}/clients/client/application-tokens`, `${APP}/clients/client/application-token`]) {
        const { res: lr, data } = await getJson(p, t);
        expect(lr.status).to.equal(200);
        const list = data as Json[];
        expect(list.map((x) => x.name)).to.deep.equal(['n8n']);
        const text = JSON.stringify(list);
        expect(text).not.to.contain(created.token as string);
        expect(text).not.to.contain(created.password as string);
      }
      // tokens are per client
      expect((await getJson(`${APP}/clients/acme/application-tokens`, t)).data).to.deep.equal([]);
      // client tokens are not per-user tokens
      expect((await getJson(`${APP}/application-tokens`, t)).data).to.deep.equal([]);
    });

    it('403 without sec.application-token.non-expiring.create (both paths); 404 for an unknown client; 400 for a bad name', async () => {
      const t = await login('searcher', 'searcher');
      let res = await call(`${APP}/application-token/mine`, withToken(t, { method: 'PUT' }));
      expect(res.status).to.equal(403);
      expect(await res.json()).to.deep.include({ error: 'Forbidden' });
      res = await call(`${APP}/clients/client/application-token/mine`, withToken(t, { method: 'PUT' }));
      expect(res.status).to.equal(403);
      expect((await call(`${APP}/clients/client/application-tokens`, withToken(t))).status).to.equal(403);
      const admin = await login();
      expect((await call(`${APP}/clients/nobody/application-token/x`, withToken(admin, { method: 'PUT' }))).status).to.equal(404);
      expect((await call(`${APP}/application-token/${encodeURIComponent('bad name!')}`, withToken(admin, { method: 'PUT' }))).status).to.equal(400);
      expect((await getJson(`${APP}/application-tokens`, admin)).data).to.deep.equal([]);
    });

    it('DELETE revokes (204); the revoked token then gets 401 everywhere; a second DELETE is 404', async () => {
      const t = await login();
      const user = (await (await call(`${APP}/application-token/one`, withToken(t, { method: 'PUT' }))).json()) as Json;
      const client = (await (await call(`${APP}/clients/acme/application-token/two`, withToken(t, { method: 'PUT' }))).json()) as Json;
      const state = '/push-api/v1/collections/acme~ds-push/state';
      expect((await call(state, withToken(user.token as string))).status).to.equal(200);
      expect((await call(state, { headers: { Authorization: basic(client.username as string, client.password as string) } })).status).to.equal(200);

      let res = await call(`${APP}/application-token/one`, withToken(t, { method: 'DELETE' }));
      expect(res.status).to.equal(204);
      res = await call(`${APP}/clients/acme/application-token/two`, withToken(t, { method: 'DELETE' }));
      expect(res.status).to.equal(204);

      expect((await call(PACKAGES, withToken(user.token as string))).status).to.equal(401);
      expect((await call(PACKAGES, withToken(client.token as string))).status).to.equal(401);
      expect((await call(state, withToken(user.token as string))).status).to.equal(401);
      expect((await call(state, { headers: { Authorization: basic(client.username as string, client.password as string) } })).status).to.equal(401);
      expect((await search({ collection: 'client~sp-docs', query: 'token' }, withToken(client.token as string))).res.status).to.equal(401);
      expect((await getJson(`${APP}/application-tokens`, t)).data).to.deep.equal([]);
      expect((await getJson(`${APP}/clients/acme/application-tokens`, t)).data).to.deep.equal([]);
      expect((await call(`${APP}/application-token/one`, withToken(t, { method: 'DELETE' }))).status).to.equal(404);
      expect((await call(`${APP}/clients/acme/application-token/two`, withToken(t, { method: 'DELETE' }))).status).to.equal(404);
    });

    it('a user cannot revoke another user\'s per-user token', async () => {
      const s = await startExtra({ users: { a: { password: 'a', canCreateNonExpiring: true }, b: { password: 'b', canCreateNonExpiring: true } } });
      const ta = await login('a', 'a', s);
      const tb = await login('b', 'b', s);
      const created = (await (await call(`${APP}/application-token/app`, withToken(ta, { method: 'PUT' }), s)).json()) as Json;
      expect((await call(`${APP}/application-token/app`, withToken(tb, { method: 'DELETE' }), s)).status).to.equal(404);
      expect((await call(PACKAGES, withToken(created.token as string), s)).status).to.equal(200);
    });

    it('PUT again with the same name replaces the token (the old value gets 401)', async () => {
      const t = await login();
      const first = (await (await call(`${APP}/application-token/app`, withToken(t, { method: 'PUT' }))).json()) as Json;
      const second = (await (await call(`${APP}/application-token/app`, withToken(t, { method: 'PUT' }))).json()) as Json;
      expect(second.token).not.to.equal(first.token);
      expect((await call(PACKAGES, withToken(first.token as string))).status).to.equal(401);
      expect((await call(PACKAGES, withToken(second.token as string))).status).to.equal(200);
      expect(((await getJson(`${APP}/application-tokens`, t)).data as Json[]).length).to.equal(1);
    });

    it('application tokens never expire and survive a server restart; login tokens do not', async () => {
      const t = await login();
      const user = (await (await call(`${APP}/application-token/keep`, withToken(t, { method: 'PUT' }))).json()) as Json;
      const client = (await (await call(`${APP}/clients/client/application-token/keep`, withToken(t, { method: 'PUT' }))).json()) as Json;
      sim.expireSessions();
      expect((await fetch(`${sim.origin}/_sim/expire`, { method: 'POST' })).status).to.equal(204);
      now += 365 * DAY;
      expect((await call(PACKAGES, withToken(t))).status).to.equal(401);
      expect((await call(PACKAGES, withToken(user.token as string))).status).to.equal(200);
      expect((await call(PACKAGES, withToken(client.token as string))).status).to.equal(200);
      // an application token can manage application tokens too
      expect((await getJson(`${APP}/application-tokens`, user.token as string)).data).to.have.length(1);
    });

    it('resetData() drops application tokens but keeps login tokens', async () => {
      const t = await login();
      const user = (await (await call(`${APP}/application-token/gone`, withToken(t, { method: 'PUT' }))).json()) as Json;
      sim.resetData();
      expect((await call(PACKAGES, withToken(user.token as string))).status).to.equal(401);
      expect((await call(PACKAGES, withToken(t))).status).to.equal(200);
    });

    it('applicationTokenCreateStatus option (201)', async () => {
      const s = await startExtra({ applicationTokenCreateStatus: 201 });
      const t = await login('admin', 'admin', s);
      expect((await call(`${APP}/application-token/x`, withToken(t, { method: 'PUT' }), s)).status).to.equal(201);
      expect((await call(`${APP}/clients/client/application-token/x`, withToken(t, { method: 'PUT' }), s)).status).to.equal(201);
    });

    it('405 for other methods', async () => {
      const t = await login();
      expect((await call(`${APP}/application-tokens`, withToken(t, { method: 'POST' }))).status).to.equal(405);
      expect((await call(`${APP}/application-token/x`, withToken(t, { method: 'POST' }))).status).to.equal(405);
    });
  });

  describe('search API /s/search.json', () => {
    it('returns {question, response:{resultPacket, facets}, error:null} with no authentication', async () => {
      const { res, data } = await search({ collection: 'client~sp-docs', query: 'token' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(data).to.have.all.keys('question', 'response', 'error');
      expect(data.error).to.equal(null);
      const q = data.question as Json;
      expect(q).to.include({ originalQuery: 'token', profile: '_default' });
      expect(q.collection).to.deep.equal({ id: 'client~sp-docs', type: 'meta' });
      expect(q.inputParameters).to.deep.equal({ collection: ['client~sp-docs'], query: ['token'] });
      const rp = packet(data);
      expect(rp).to.include.keys('query', 'queryAsProcessed', 'resultsSummary', 'results', 'details', 'spell', 'QSups');
      expect(rp.query).to.equal('token');
      expect(rp.queryAsProcessed).to.equal('token');
      expect(rp.spell).to.equal(null);
      expect(rp.QSups).to.deep.equal([]);
      expect((rp.details as Json).collectionUpdated).to.be.a('number');
      const rs = summary(data);
      expect(rs).to.include.keys('totalMatching', 'fullyMatching', 'partiallyMatching', 'numRanks', 'currStart', 'currEnd');
      expect(rs.totalMatching).to.equal(4);
      expect(rs).to.include({ fullyMatching: 4, partiallyMatching: 0, numRanks: 10, currStart: 1, currEnd: 4 });
      const list = results(data);
      expect(list).to.have.length(4);
      const r0 = list[0]!;
      expect(r0).to.include.keys('rank', 'score', 'title', 'liveUrl', 'displayUrl', 'summary', 'collection', 'date', 'fileType', 'fileSize', 'listMetadata');
      expect(r0).to.include({ rank: 1, score: 1000, title: 'API authentication using an API token', collection: 'client~ds-docs-web', fileType: 'html' });
      expect(r0.liveUrl).to.equal('https://docs.example.com/develop/reference-documents/api-token-authentication.html');
      expect(r0.displayUrl).to.equal('docs.example.com/develop/reference-documents/api-token-authentication.html');
      expect(r0.date).to.be.a('number');
      expect(r0.fileSize).to.be.a('number');
      expect((r0.listMetadata as Json).author).to.deep.equal(['Squiz']);
      expect(list.map((r) => r.rank)).to.deep.equal([1, 2, 3, 4]);
      const scores = list.map((r) => r.score as number);
      expect([...scores].sort((a, b) => b - a)).to.deep.equal(scores);
      const facets = (data.response as Json).facets as Json[];
      expect(facets.map((f) => f.name)).to.deep.equal(['Format', 'Author']);
      const format = facets[0]!.allValues as Json[];
      expect(format.map((v) => [v.label, v.count])).to.deep.equal([
        ['pdf', 3],
        ['html', 1],
      ]);
    });

    it('matches for real: full matches before partial ones; totalMatching = fully + partially', async () => {
      const { data } = await search({ collection: 'acme~sp-intranet', query: 'approval workflow' });
      const rs = summary(data);
      expect(rs).to.include({ totalMatching: 5, fullyMatching: 3, partiallyMatching: 2 });
      const titles = results(data).map((r) => r.title);
      expect(titles.slice(0, 3)).to.have.members(['Expense policy', 'Leave request process', 'Purchase approvals']);
      expect(titles.slice(3)).to.have.members(['Travel booking policy', 'Onboarding checklist']);
      expect(titles).not.to.include('IT service desk');
      const none = await search({ collection: 'acme~sp-intranet', query: 'zebra' });
      expect(summary(none.data)).to.include({ totalMatching: 0, fullyMatching: 0, partiallyMatching: 0, currStart: 0, currEnd: 0 });
      expect(results(none.data)).to.deep.equal([]);
      // search packages only see their own data sources
      const other = await search({ collection: 'client~sp-website', query: 'approval' });
      expect(summary(other.data).totalMatching).to.equal(0);
    });

    it('phrases and exclusions', async () => {
      const phrase = await search({ collection: 'client~sp-docs', query: '"application tokens"' });
      expect(results(phrase.data).map((r) => r.title)).to.have.members(['API authentication using an API token', 'Administrator guide', 'Release notes 16', 'Security hardening guide']);
      expect(packet(phrase.data).queryAsProcessed).to.equal('"application tokens"');
      const minus = await search({ collection: 'client~sp-docs', query: 'token -pdf' });
      expect(results(minus.data).map((r) => r.title)).to.deep.equal(['API authentication using an API token']);
    });

    it('pages with num_ranks and start_rank; pages join up to the full list', async () => {
      const all = await search({ collection: 'client~sp-docs', query: '!nullquery', num_ranks: '100' });
      expect(summary(all.data)).to.include({ totalMatching: 15, fullyMatching: 15, currStart: 1, currEnd: 15, numRanks: 100 });
      const urls = results(all.data).map((r) => r.liveUrl);
      const paged: unknown[] = [];
      for (let start = 1; start <= 15; start += 4) {
        const { data } = await search({ collection: 'client~sp-docs', query: '!nullquery', num_ranks: '4', start_rank: String(start) });
        const rs = summary(data);
        expect(rs.currStart).to.equal(start);
        expect(rs.currEnd).to.equal(Math.min(start + 3, 15));
        expect(rs.numRanks).to.equal(4);
        expect(rs.totalMatching).to.equal(15);
        const page = results(data);
        expect(page.map((r) => r.rank)).to.deep.equal(page.map((_, i) => start + i));
        paged.push(...page.map((r) => r.liveUrl));
      }
      expect(paged).to.deep.equal(urls);
      const past = await search({ collection: 'client~sp-docs', query: '!nullquery', start_rank: '99' });
      expect(results(past.data)).to.deep.equal([]);
      expect(summary(past.data)).to.include({ totalMatching: 15, currStart: 0, currEnd: 0 });
      // bad paging values fall back to the defaults
      const bad = await search({ collection: 'client~sp-docs', query: '!nullquery', num_ranks: 'x', start_rank: '-3' });
      expect(summary(bad.data)).to.include({ numRanks: 10, currStart: 1, currEnd: 10 });
    });

    it('profile, sort, facet selection, data source and 15.x collection ids', async () => {
      const p = await search({ collection: 'client~sp-docs', query: 'token', profile: '_default_preview' });
      expect((p.data.question as Json).profile).to.equal('_default_preview');
      const byDate = await search({ collection: 'client~sp-docs', query: '!nullquery', sort: 'date', num_ranks: '20' });
      const dates = results(byDate.data).map((r) => r.date as number);
      expect([...dates].sort((a, b) => b - a)).to.deep.equal(dates);
      const pdf = await search({ collection: 'client~sp-docs', query: '!nullquery', 'f.Format|format': 'pdf' });
      expect(results(pdf.data).every((r) => r.fileType === 'pdf')).to.equal(true);
      expect(summary(pdf.data).totalMatching).to.equal(3);
      expect((pdf.data.question as Json).selectedFacets).to.deep.equal(['Format']);
      const ds = await search({ collection: 'client~ds-docs-pdf', query: '!padrenull' });
      expect(summary(ds.data).totalMatching).to.equal(3);
      expect((ds.data.question as Json).collection).to.deep.equal({ id: 'client~ds-docs-pdf', type: 'web' });
      const legacy = await search({ collection: 'funnelback_documentation', query: 'token' });
      expect(summary(legacy.data).totalMatching).to.equal(4);
    });

    it("resultMetadataField 'metaData' (15.x) gives class -> string", async () => {
      const s = await startExtra({ resultMetadataField: 'metaData' });
      const { data } = await search({ collection: 'client~sp-docs', query: 'facets' }, {}, s);
      const r0 = results(data)[0]!;
      expect(r0).not.to.have.property('listMetadata');
      expect((r0.metaData as Json).keywords).to.equal('facets|navigation|metadata');
    });

    it('no query: nothing is run (resultPacket null, error null)', async () => {
      const { res, data } = await search({ collection: 'client~sp-docs' });
      expect(res.status).to.equal(200);
      expect(data.error).to.equal(null);
      expect(packet(data)).to.equal(null);
    });

    it('unknown or missing collection: the error node is set, HTTP 200 by default', async () => {
      const unknown = await search({ collection: 'client~sp-nope', query: 'token' });
      expect(unknown.res.status).to.equal(200);
      expect(unknown.data.error).to.deep.equal({ reason: 'InvalidCollection', additionalData: 'client~sp-nope' });
      expect(packet(unknown.data)).to.equal(null);
      expect((unknown.data.question as Json).originalQuery).to.equal('token');
      const missing = await search({ query: 'token' });
      expect(missing.res.status).to.equal(200);
      expect(missing.data.error).to.deep.include({ reason: 'MissingParameter' });
    });

    it('unknownCollectionStatus option sets the HTTP status of those errors', async () => {
      const s = await startExtra({ unknownCollectionStatus: 404 });
      const { res, data } = await search({ collection: 'x', query: 'y' }, {}, s);
      expect(res.status).to.equal(404);
      expect(data.error).to.deep.include({ reason: 'InvalidCollection' });
      expect((await search({ query: 'y' }, {}, s)).res.status).to.equal(404);
      expect((await search({ collection: 'client~sp-docs', query: 'y' }, {}, s)).res.status).to.equal(200);
    });

    it('Basic and X-Security-Token are accepted; wrong ones get 401 (or are ignored with the option)', async () => {
      const q = { collection: 'client~sp-docs', query: 'token' };
      expect((await search(q, { headers: { Authorization: basic('searcher', 'searcher') } })).res.status).to.equal(200);
      expect((await search(q, withToken(await login()))).res.status).to.equal(200);
      const bad = await call(`/s/search.json?${new URLSearchParams(q).toString()}`, { headers: { Authorization: basic('searcher', 'nope') } });
      expect(bad.status).to.equal(401);
      expect((await call(`/s/search.json?${new URLSearchParams(q).toString()}`, withToken('bogus'))).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(2);
      const s = await startExtra({ searchRejectsBadCredentials: false });
      expect((await search(q, { headers: { Authorization: basic('searcher', 'nope') } }, s)).res.status).to.equal(200);
      expect((await search(q, withToken('bogus'), s)).res.status).to.equal(200);
    });

    it('other methods and paths', async () => {
      expect((await call('/s/search.json?collection=client~sp-docs&query=a', { method: 'POST' })).status).to.equal(405);
      expect((await call('/s/search.xml?collection=client~sp-docs&query=a')).status).to.equal(404);
      const head = await call('/s/search.json?collection=client~sp-docs&query=token', { method: 'HEAD' });
      expect(head.status).to.equal(200);
    });
  });

  describe('push API collection state', () => {
    const state = '/push-api/v1/collections/client~ds-push/state';

    it('X-Security-Token: 200 {"state":"STOPPED"}', async () => {
      const { res, data } = await getJson(state, await login('searcher', 'searcher'));
      expect(res.status).to.equal(200);
      expect(data).to.deep.equal({ state: 'STOPPED' });
    });

    it('Basic: 200', async () => {
      const res = await call(state, { headers: { Authorization: basic('admin', 'admin') } });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ state: 'STOPPED' });
    });

    it('neither, a bad password, an unknown or expired token, a malformed Basic header: 401', async () => {
      const token = await login();
      sim.expireSessions();
      const cases: RequestInit[] = [
        {},
        { headers: { Authorization: basic('admin', 'bad') } },
        { headers: { 'X-Security-Token': 'nope' } },
        { headers: { 'X-Security-Token': token } },
        { headers: { Authorization: 'Basic !!!' } },
        { headers: { Authorization: 'Bearer abc' } },
      ];
      for (const init of cases) {
        const res = await call(state, init);
        expect(res.status, JSON.stringify(init.headers)).to.equal(401);
        expect(await res.json()).to.deep.equal({ error: 'Unauthorized' });
      }
      expect(sim.stats.unauthorized).to.equal(cases.length);
    });

    it('unknown collection 404, other methods 405, pushState option', async () => {
      const auth = { Authorization: basic('admin', 'admin') };
      expect((await call('/push-api/v1/collections/nope/state', { headers: auth })).status).to.equal(404);
      expect((await call(state, { method: 'POST', headers: auth })).status).to.equal(405);
      const s = await startExtra({ pushState: 'RUNNING' });
      expect((await getJson(state, await login('admin', 'admin', s), s)).data).to.deep.equal({ state: 'RUNNING' });
    });
  });

  describe('search API: facets, metadata sorting, missing query', () => {
    it('facet values carry toggleUrl and constraint, not queryStringParamName/Value; toggling adds or removes the f.* parameter', async () => {
      const { data } = await search({ collection: 'client~sp-docs', query: '!nullquery', 'f.Format|format': 'pdf', start_rank: '2' });
      const [format] = (data.response as Json).facets as Json[];
      expect(format).to.include({ name: 'Format', selectionType: 'MULTIPLE', constraintJoin: 'OR' });
      expect(new URLSearchParams(String(format!.unselectAllUrl).slice(1)).has('f.Format|format')).to.equal(false);
      const values = format!.allValues as Json[];
      for (const v of values) expect(v).to.not.have.any.keys('queryStringParamName', 'queryStringParamValue');
      const pdf = values.find((v) => v.label === 'pdf')!;
      expect(pdf).to.include({ data: 'pdf', constraint: 'format', selected: true, count: 3 });
      const off = new URLSearchParams(String(pdf.toggleUrl).slice(1));
      expect([off.getAll('f.Format|format'), off.has('start_rank')]).to.deep.equal([[], false]);
      expect((format!.selectedValues as Json[]).map((v) => v.label)).to.deep.equal(['pdf']);
    });

    it('sorts by a metadata class with meta<class> and dmeta<class>', async () => {
      const authors = async (sort: string) =>
        results((await search({ collection: 'client~sp-docs', query: '!nullquery', sort, num_ranks: '20' })).data).map((r) => ((r.listMetadata as Json).author as string[])[0]!);
      const up = await authors('metaauthor');
      expect(up).to.deep.equal([...up].sort((a, b) => a.localeCompare(b)));
      expect(await authors('dmetaauthor')).to.deep.equal([...up].reverse());
    });

    it("missingQuery 'error' sets the error node MissingParameter (query), with the unknownCollectionStatus status", async () => {
      const s = await startExtra({ missingQuery: 'error', unknownCollectionStatus: 400 });
      const { res, data } = await search({ collection: 'client~sp-docs' }, {}, s);
      expect(res.status).to.equal(400);
      expect(data.error).to.deep.equal({ reason: 'MissingParameter', additionalData: 'query' });
    });
  });

  describe('search API /s/all-results.json', () => {
    const allResults = (params: Record<string, string>, s: FunnelbackSimulator = sim) => call(`/s/all-results.json?${new URLSearchParams(params).toString()}`, {}, s);

    it('answers every match as one JSON array of result records, fields kept as asked, facets applied', async () => {
      const res = await allResults({ collection: 'client~sp-docs', query: '!nullquery' });
      expect(res.status).to.equal(200);
      const all = (await res.json()) as Json[];
      expect(all.map((r) => r.rank)).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 1));
      expect(all[0]).to.include.keys('title', 'liveUrl', 'summary', 'listMetadata');
      const some = (await (await allResults({ collection: 'client~sp-docs', query: 'token', fields: 'title, liveUrl,nope' })).json()) as Json[];
      expect(some).to.have.length(4);
      for (const r of some) expect(r).to.have.all.keys('title', 'liveUrl');
      const pdf = (await (await allResults({ collection: 'client~sp-docs', query: '!nullquery', 'f.Format|format': 'pdf' })).json()) as Json[];
      expect(pdf).to.have.length(3);
    });

    it('unknown collection, missing collection or query: the error node with allResultsErrorStatus (400); POST 405', async () => {
      const unknown = await allResults({ collection: 'nope', query: 'x' });
      expect(unknown.status).to.equal(400);
      expect(await unknown.json()).to.deep.equal({ error: { reason: 'InvalidCollection', additionalData: 'nope' } });
      expect(await (await allResults({ collection: 'client~sp-docs' })).json()).to.deep.equal({ error: { reason: 'MissingParameter', additionalData: 'query' } });
      expect(await (await allResults({ query: 'x' })).json()).to.deep.equal({ error: { reason: 'MissingParameter', additionalData: 'collection' } });
      const s = await startExtra({ allResultsErrorStatus: 404 });
      expect((await allResults({ collection: 'nope', query: 'x' }, s)).status).to.equal(404);
      expect((await call('/s/all-results.json?collection=client~sp-docs&query=a', { method: 'POST' })).status).to.equal(405);
    });
  });

  describe('push API documents', () => {
    const docs = '/push-api/v2/collections/client~ds-push/documents';
    const put = (key: string, body: string, headers: Record<string, string> = {}, token?: string) =>
      call(`${docs}?key=${encodeURIComponent(key)}`, { method: 'PUT', body, headers: { 'Content-Type': 'text/html', ...(token ? { 'X-Security-Token': token } : {}), ...headers } });

    it('PUT by key stores the document under its canonical key (echoed), records content type and metadata, queued until a commit', async () => {
      const token = await login();
      const res = await put('HTTPS://Example.com/a/./b/../c#frag', '<title>Echidna</title><p>Echidnas lay eggs.</p>', { 'X-Funnelback-Push-Meta-Data-author': 'Jo', 'x-funnelback-push-meta-data-keywords': 'a|b' }, token);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ key: 'https://example.com/a/c' });
      expect(sim.pushedDocuments).to.have.length(1);
      expect(sim.pushedDocuments[0]).to.include({ collection: 'client~ds-push', key: 'https://example.com/a/c', contentType: 'text/html' });
      expect(sim.pushedDocuments[0]!.metadata).to.deep.equal({ author: 'Jo', keywords: 'a|b' });
      expect(sim.operations.documentsPushed).to.equal(1);
      expect(sim.pendingChanges('client~ds-push')).to.equal(1);
      expect(summary((await search({ collection: 'client~ds-push', query: 'echidna' })).data).totalMatching).to.equal(0);
      const commit = await call('/push-api/v2/collections/client~ds-push/commit', withToken(token, { method: 'POST' }));
      expect([commit.status, await commit.json()]).to.deep.equal([200, {}]);
      expect(sim.operations.commits).to.equal(1);
      expect(sim.pendingChanges('client~ds-push')).to.equal(0);
      const found = results((await search({ collection: 'client~sp-website', query: 'echidna' })).data);
      expect(found.map((r) => [r.title, r.liveUrl, (r.listMetadata as Json).keywords])).to.deep.equal([['Echidna', 'https://example.com/a/c', ['a', 'b']]]);
      // PUT again replaces; DELETE then commit removes.
      await put('https://example.com/a/c', 'Echidnas again', { 'X-Funnelback-Push-Meta-Data-t': 'Echidna 2' }, token);
      await call('/push-api/v2/collections/client~ds-push/commit', withToken(token, { method: 'POST' }));
      expect(results((await search({ collection: 'client~ds-push', query: 'echidna' })).data).map((r) => r.title)).to.deep.equal(['Echidna 2']);
      const del = await call(`${docs}?key=${encodeURIComponent('https://example.com/a/c')}`, withToken(token, { method: 'DELETE' }));
      expect([del.status, await del.json()]).to.deep.equal([200, { key: 'https://example.com/a/c' }]);
      expect(sim.operations.documentsDeleted).to.equal(1);
      await call('/push-api/v2/collections/client~ds-push/commit', withToken(token, { method: 'POST' }));
      expect(summary((await search({ collection: 'client~ds-push', query: 'echidna' })).data).totalMatching).to.equal(0);
    });

    it('v1 and Basic work too; refusals: 401, 400 (no or bad key), 415 (no content type), 404 (unknown or non-push collection), 405', async () => {
      const auth = { Authorization: basic('admin', 'admin') };
      expect((await call('/push-api/v1/collections/acme~ds-push/documents?key=local:x', { method: 'PUT', body: 'x', headers: { ...auth, 'Content-Type': 'text/plain' } })).status).to.equal(200);
      expect((await put('local:y', 'y')).status).to.equal(401);
      expect((await call(docs, { method: 'PUT', body: 'x', headers: { ...auth, 'Content-Type': 'text/plain' } })).status).to.equal(400);
      const bad = await put('no-scheme', 'x', auth);
      expect([bad.status, ((await bad.json()) as Json).message]).to.deep.equal([400, 'The key no-scheme is not a valid URI with a scheme']);
      expect((await raw(sim.origin, 'PUT', `${docs}?key=local:z`, auth, 'x')).status).to.equal(415);
      for (const c of ['nope', 'client~sp-docs', 'client~ds-website']) {
        expect((await call(`/push-api/v2/collections/${c}/documents?key=local:a`, { method: 'PUT', body: 'x', headers: { ...auth, 'Content-Type': 'text/plain' } })).status, c).to.equal(404);
        expect((await call(`/push-api/v2/collections/${c}/commit`, { method: 'POST', headers: auth })).status, c).to.equal(404);
        expect((await call(`/push-api/v1/collections/${c}/state`, { headers: auth })).status, c).to.equal(404);
      }
      expect((await call(`${docs}?key=local:a`, { method: 'POST', headers: auth })).status).to.equal(405);
      expect((await call('/push-api/v2/collections/client~ds-push/commit', { headers: auth })).status).to.equal(405);
      expect((await call('/push-api/v3/collections/client~ds-push/commit', { method: 'POST', headers: auth })).status).to.equal(404);
      expect(sim.operations).to.include({ documentsPushed: 1, commits: 0 });
    });

    it('DELETE of an absent key: 200 by default, 404 with deleteUnknownKey; pushKeyField names the echoed key', async () => {
      const auth = { Authorization: basic('admin', 'admin') };
      expect((await call(`${docs}?key=local:absent`, { method: 'DELETE', headers: auth })).status).to.equal(200);
      const s = await startExtra({ deleteUnknownKey: 'notFound', pushKeyField: 'canonicalUri' });
      expect((await call(`${docs}?key=local:absent`, { method: 'DELETE', headers: auth }, s)).status).to.equal(404);
      const present = await call(`${docs}?key=${encodeURIComponent('https://www.example.com/events/search-summit-2025')}`, { method: 'DELETE', headers: auth }, s);
      expect(await present.json()).to.deep.equal({ canonicalUri: 'https://www.example.com/events/search-summit-2025' });
    });
  });

  describe('dropAfterProcessing and operation counters', () => {
    const auth = { Authorization: basic('admin', 'admin') };
    const attempt = (method: string, target: string, headers: Record<string, string> = auth, body?: string): Promise<number | 'dropped'> =>
      raw(sim.origin, method, target, headers, body).then(
        (res) => res.status,
        () => 'dropped' as const,
      );

    it('each armed fault does the write, then destroys the socket once', async () => {
      sim.dropAfterProcessing('pushDocument');
      const target = '/push-api/v2/collections/client~ds-push/documents?key=local:d';
      expect(await attempt('PUT', target, { ...auth, 'Content-Type': 'text/plain' }, 'd')).to.equal('dropped');
      expect(sim.operations.documentsPushed).to.equal(1);
      expect(await attempt('PUT', target, { ...auth, 'Content-Type': 'text/plain' }, 'd')).to.equal(200);
      expect((await fetch(`${sim.origin}/_sim/drop?kind=deleteDocument`, { method: 'POST' })).status).to.equal(204);
      expect(await attempt('DELETE', target)).to.equal('dropped');
      sim.dropAfterProcessing('commit');
      expect(await attempt('POST', '/push-api/v2/collections/client~ds-push/commit')).to.equal('dropped');
      sim.dropAfterProcessing('createApplicationToken');
      const token = await login();
      expect(await attempt('PUT', `${APP}/application-token/dropped`, { 'X-Security-Token': token })).to.equal('dropped');
      expect(((await getJson(`${APP}/application-tokens`, token)).data as Json[]).map((t) => t.name)).to.deep.equal(['dropped']);
      expect(sim.operations).to.deep.equal({ documentsPushed: 2, documentsDeleted: 1, commits: 1, applicationTokensCreated: 1, applicationTokensRevoked: 0 });
      expect((await fetch(`${sim.origin}/_sim/drop?kind=everything`, { method: 'POST' })).status).to.equal(400);
    });

    it('resetStats() zeroes the counters; resetData() drops pushed documents, pending changes and armed faults', async () => {
      await attempt('PUT', '/push-api/v2/collections/client~ds-push/documents?key=local:r', { ...auth, 'Content-Type': 'text/plain' }, 'r');
      sim.dropAfterProcessing('commit');
      sim.resetStats();
      expect(sim.operations.documentsPushed).to.equal(0);
      sim.resetData();
      expect([sim.pushedDocuments.length, sim.pendingChanges('client~ds-push')]).to.deep.equal([0, 0]);
      expect(await attempt('POST', '/push-api/v2/collections/client~ds-push/commit')).to.equal(200);
    });
  });

  describe('control endpoints and bookkeeping', () => {
    it('GET /_sim/stats, POST /_sim/expire, POST /_sim/reset', async () => {
      const token = await login();
      await call(LOGIN, { method: 'POST', headers: FORM, body: 'username=admin&password=x' });
      await call(PACKAGES);
      await call(PACKAGES, withToken(token));
      await search({ collection: 'client~sp-docs', query: 'token' });
      const created = (await (await call(`${APP}/application-token/a`, withToken(token, { method: 'PUT' }))).json()) as Json;

      let res = await fetch(`${sim.origin}/_sim/stats`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ logins: 1, loginFailures: 1, unauthorized: 1, apiCalls: 4 });

      res = await fetch(`${sim.origin}/_sim/expire`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expect((await call(PACKAGES, withToken(token))).status).to.equal(401);
      expect((await call(PACKAGES, withToken(created.token as string))).status).to.equal(200);

      res = await fetch(`${sim.origin}/_sim/reset`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, apiCalls: 0 });
      expect((await call(PACKAGES, withToken(created.token as string))).status).to.equal(401);

      // control calls are neither counted nor recorded
      expect(sim.stats.apiCalls).to.equal(1);
      expect(sim.requests.some((r) => r.path.startsWith('/_sim'))).to.equal(false);
      expect((await fetch(`${sim.origin}/_sim/stats`, { method: 'POST' })).status).to.equal(405);
      expect((await fetch(`${sim.origin}/_sim/expire`)).status).to.equal(405);
      expect((await fetch(`${sim.origin}/_sim/nothing`)).status).to.equal(404);
    });

    it('resetStats() keeps the same live stats object', async () => {
      const ref = sim.stats;
      await login();
      expect(ref.logins).to.equal(1);
      sim.resetStats();
      expect(sim.stats).to.equal(ref);
      expect(ref.logins).to.equal(0);
    });

    it('records requests with their headers, bounded to the last 1000', async () => {
      const token = await login();
      await call(`${PACKAGES}?x=1`, withToken(token, { headers: { 'X-Security-Token': token, 'X-Custom': 'yes' } }));
      const last = sim.requests[sim.requests.length - 1]!;
      expect(last.method).to.equal('GET');
      expect(last.path).to.equal(PACKAGES);
      expect(last.url).to.equal(`${PACKAGES}?x=1`);
      expect(last.headers['x-custom']).to.equal('yes');
      expect(last.headers['x-security-token']).to.equal(token);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
      const get = (i: number): Promise<void> =>
        new Promise((resolve, reject) => {
          http
            .get(`${sim.url}/s/search.json?collection=client~sp-docs&query=a&i=${i}`, { agent }, (res) => {
              res.resume();
              res.on('end', () => resolve());
            })
            .on('error', reject);
        });
      await Promise.all(Array.from({ length: 1010 }, (_, i) => get(i)));
      agent.destroy();
      expect(sim.requests).to.have.length(1000);
      expect(sim.requests.every((r) => r.path === '/s/search.json')).to.equal(true);
    });

    it('handles concurrent requests', async () => {
      const tokens = await Promise.all(Array.from({ length: 30 }, () => login()));
      expect(new Set(tokens).size).to.equal(30);
      const statuses = await Promise.all([
        ...tokens.map((t) => call(PACKAGES, withToken(t)).then((r) => r.status)),
        ...tokens.map((t, i) => call(`${APP}/application-token/app-${i}`, withToken(t, { method: 'PUT' })).then((r) => r.status)),
        ...tokens.map((_, i) => search({ collection: 'client~sp-docs', query: '!nullquery', start_rank: String((i % 15) + 1), num_ranks: '1' }).then((r) => r.res.status)),
      ]);
      expect(statuses.every((s) => s === 200)).to.equal(true);
      expect(((await getJson(`${APP}/application-tokens`, tokens[0])).data as Json[]).length).to.equal(30);
      expect(sim.stats.logins).to.equal(30);
    });

    it('survives malformed input', async () => {
      const token = await login();
      const auth = { 'X-Security-Token': token };
      expect((await raw(sim.origin, 'GET', '/s/search.json?collection=%E0%A4%A&query=%zz')).status).to.equal(200);
      expect((await raw(sim.origin, 'GET', '/s/search.json?collection=client~sp-docs&query=%22unclosed%20phrase')).status).to.equal(200);
      expect((await raw(sim.origin, 'GET', '/s/search.json?collection=client~sp-docs&query=---%20%22%22%20-')).status).to.equal(200);
      expect((await raw(sim.origin, 'GET', '/s/search.json?collection=client~sp-docs&query=a&num_ranks=99999999999999999999')).status).to.equal(200);
      expect((await raw(sim.origin, 'GET', '/admin-api/search-packages/v1/%E0%A4%A', auth)).status).to.equal(404);
      expect((await raw(sim.origin, 'PUT', `${APP}/application-token/%zz`, auth)).status).to.equal(400);
      expect((await raw(sim.origin, 'POST', LOGIN, FORM, 'username=%E0%A4%A&password=%')).status).to.equal(401);
      expect((await raw(sim.origin, 'POST', LOGIN, { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' }, Buffer.from([0xff, 0xfe, 0x26, 0x3d]))).status).to.equal(401);
      expect((await raw(sim.origin, 'GET', '/push-api/v1/collections/client~ds-push/state', { Authorization: 'Basic' })).status).to.equal(401);
      expect((await raw(sim.origin, 'GET', '/push-api/v1/collections/client~ds-push/state', { Authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })).status).to.equal(401);
      expect((await raw(sim.origin, 'GET', '/nowhere')).status).to.equal(404);
      expect((await raw(sim.origin, 'GET', '//admin-api//search-packages/v1', auth)).status).to.equal(200);
      const big = await raw(sim.origin, 'POST', LOGIN, FORM, Buffer.alloc(2 * 1048576, 0x61));
      expect(big.status).to.equal(413);
      expect((await call(PACKAGES, withToken(token))).status).to.equal(200);
    });
  });

  describe('CLI', () => {
    it('starts, prints the listening line, and exits on SIGTERM', async function () {
      this.timeout(30000);
      const main = path.join(__dirname, 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--user', 'cli:pw:nonexpiring'], {
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
        const m = /^funnelback simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        expect(m, line).to.not.equal(null);
        const res = await fetch(`${m![1]!}${LOGIN}`, { method: 'POST', headers: FORM, body: 'username=cli&password=pw' });
        expect(res.status).to.equal(200);
        expect(res.headers.get('x-security-token')).to.be.a('string');
        const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exit).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
