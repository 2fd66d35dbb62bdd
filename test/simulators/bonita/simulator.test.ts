import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { Client, asItems, type Json } from './client';
import { startBonitaSimulator, type BonitaSimulator, type BonitaSimulatorOptions } from './index';

const REGISTRATION = '6090246829515228480';
const EXPENSE = '7281034562190847123';
const LEGACY = '5826139717723008213';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function cookieLine(lines: string[], name: string): string {
  const line = lines.find((l) => l.startsWith(`${name}=`) && !/Max-Age=0/i.test(l));
  expect(line, `Set-Cookie ${name} in ${JSON.stringify(lines)}`).to.be.a('string');
  return line!;
}

describe('Bonita simulator', function () {
  this.timeout(20000);
  let sim: BonitaSimulator;
  let client: Client;
  const extra: BonitaSimulator[] = [];

  async function startExtra(opts: BonitaSimulatorOptions): Promise<BonitaSimulator> {
    const s = await startBonitaSimulator(opts);
    extra.push(s);
    return s;
  }

  beforeEach(async () => {
    sim = await startBonitaSimulator();
    client = new Client(sim.url);
  });
  afterEach(async () => {
    await sim.close();
    while (extra.length) await extra.pop()!.close();
  });

  describe('startup', () => {
    it('listens on 127.0.0.1 with the /bonita context path', () => {
      expect(sim.origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.url).to.equal(`${sim.origin}/bonita`);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, csrfRejections: 0, logouts: 0, apiCalls: 0 });
    });

    it('honours a custom context path and port 0', async () => {
      const s = await startExtra({ contextPath: 'custom/' });
      expect(s.url).to.equal(`${s.origin}/custom`);
      const c = new Client(s.url);
      expect((await c.login()).status).to.equal(204);
      expect(cookieLine(c.lastSetCookies, 'JSESSIONID')).to.contain('Path=/custom');
      expect((await new Client(`${s.origin}/bonita`).login()).status).to.equal(404);
    });
  });

  describe('loginservice', () => {
    it('answers 204 with JSESSIONID, X-Bonita-API-Token and BOS_Locale cookies', async () => {
      const res = await client.login();
      expect(res.status).to.equal(204);
      expect(await res.text()).to.equal('');
      const lines = client.lastSetCookies;
      const js = cookieLine(lines, 'JSESSIONID');
      expect(js).to.match(/^JSESSIONID=[0-9A-F]{32}; Path=\/bonita; HttpOnly$/);
      const tok = cookieLine(lines, 'X-Bonita-API-Token');
      expect(tok).to.match(/^X-Bonita-API-Token=[0-9a-f-]{36}; Path=\/bonita$/);
      expect(tok).not.to.match(/HttpOnly/i);
      expect(client.token).to.match(UUID_RE);
      expect(cookieLine(lines, 'BOS_Locale')).to.equal('BOS_Locale=en; Path=/');
      expect(lines.some((l) => l.startsWith('bonita.tenant'))).to.equal(false);
      expect(sim.stats.logins).to.equal(1);
      expect(sim.stats.loginFailures).to.equal(0);
    });

    it('treats a request with neither redirect nor redirectUrl as redirect=false', async () => {
      const res = await client.req('POST', '/loginservice', {
        body: 'username=walter.bates&password=bpm',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      });
      expect(res.status).to.equal(204);
      expect(client.jsession).to.be.a('string');
    });

    it('answers 401 with an empty body on bad credentials, unknown user or missing user name', async () => {
      for (const [u, p] of [
        ['walter.bates', 'wrong'],
        ['nobody', 'bpm'],
        ['', ''],
      ] as const) {
        const res = await client.login(u, p);
        expect(res.status, `${u}/${p}`).to.equal(401);
        expect(await res.text()).to.equal('');
        expect(client.lastSetCookies).to.deep.equal([]);
      }
      const noParams = await client.req('POST', '/loginservice');
      expect(noParams.status).to.equal(401);
      expect(sim.stats.loginFailures).to.equal(4);
      expect(sim.stats.logins).to.equal(0);
    });

    it('answers 415 with an empty body for a JSON (or any non-form) content type, without logging in', async () => {
      const res = await client.req('POST', '/loginservice', {
        body: JSON.stringify({ username: 'walter.bates', password: 'bpm' }),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).to.equal(415);
      expect(await res.text()).to.equal('');
      expect(client.lastSetCookies).to.deep.equal([]);
      const multipart = new FormData();
      multipart.set('username', 'walter.bates');
      multipart.set('password', 'bpm');
      expect((await client.req('POST', '/loginservice', { body: multipart })).status).to.equal(415);
      expect(sim.stats.logins).to.equal(0);
      expect(sim.stats.loginFailures).to.equal(0);
    });

    it('reads the form body as UTF-8', async () => {
      const s = await startExtra({ users: { 'jürgen.müller': 'pässwörd€' } });
      const c = new Client(s.url);
      expect((await c.login('jürgen.müller', 'pässwörd€')).status).to.equal(204);
      const { data } = await c.getJson('/API/system/session/unusedId');
      expect((data as Json).user_name).to.equal('jürgen.müller');
      expect((await c.login('jürgen.müller', 'passwoerd')).status).to.equal(401);
    });

    it('redirects with 302 when redirect=true, or when only redirectUrl is given', async () => {
      let res = await client.login('walter.bates', 'bpm', { redirect: 'true' });
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal('/bonita/apps/appDirectoryBonita?_l=en');
      expect(client.jsession).to.be.a('string');

      const c2 = new Client(sim.url);
      res = await c2.req('POST', '/loginservice', {
        body: 'username=walter.bates&password=bpm&redirectUrl=%2Fbonita%2Fapps%2Fmyapp%2F',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal('/bonita/apps/myapp/?_l=en');

      const c3 = new Client(sim.url);
      res = await c3.login('walter.bates', 'bpm', { redirectUrl: '/bonita/apps/x' }); // redirect=false wins
      expect(res.status).to.equal(204);

      // redirectURL (wrong casing) is ignored, as on the real server
      const c4 = new Client(sim.url);
      res = await c4.req('POST', '/loginservice', {
        body: 'username=walter.bates&password=bpm&redirectURL=%2Fx',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).to.equal(204);
      expect(sim.stats.logins).to.equal(4);
    });

    it('in redirect mode, a failed login forwards to the login page (200 HTML) and sets no session', async () => {
      const res = await client.login('walter.bates', 'bad', { redirect: 'true' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(client.lastSetCookies).to.deep.equal([]);
      expect(sim.stats.loginFailures).to.equal(1);
    });

    it('uses Path=/ for both cookies when deployed at the root context', async () => {
      const s = await startExtra({ contextPath: '/' });
      expect(s.url).to.equal(s.origin);
      const c = new Client(s.url);
      await c.login();
      expect(cookieLine(c.lastSetCookies, 'JSESSIONID')).to.contain('Path=/; HttpOnly');
      expect(cookieLine(c.lastSetCookies, 'X-Bonita-API-Token')).to.match(/; Path=\/$/);
      expect((await c.req('GET', '/API/bpm/process')).status).to.equal(200);
    });

    it('supports the deprecated GET with query parameters', async () => {
      const res = await client.req('GET', '/loginservice?username=walter.bates&password=bpm&redirect=false');
      expect(res.status).to.equal(204);
      expect(client.token).to.match(UUID_RE);
      expect((await client.req('GET', '/loginservice?username=walter.bates&password=nope&redirect=false')).status).to.equal(401);
      expect((await client.req('PUT', '/loginservice')).status).to.equal(405);
    });

    it('issues a new session and token on every login and invalidates the session the request carried', async () => {
      await client.login();
      const oldSession = client.jsession!;
      const oldToken = client.token!;
      const res = await client.login();
      expect(res.status).to.equal(204);
      // the old token cookie is expired first, on its path and on /
      const expired = client.lastSetCookies.filter((l) => /^X-Bonita-API-Token="";.*Max-Age=0/.test(l));
      expect(expired.map((l) => /Path=([^;]+)/.exec(l)?.[1])).to.deep.equal(['/bonita', '/']);
      expect(client.jsession).to.not.equal(oldSession);
      expect(client.token).to.not.equal(oldToken);
      expect(client.token).to.match(UUID_RE);

      const stale = new Client(sim.url);
      stale.cookies.set('JSESSIONID', oldSession);
      stale.cookies.set('X-Bonita-API-Token', oldToken);
      expect((await stale.req('GET', '/API/bpm/process')).status).to.equal(401);
      expect((await stale.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'x' })).status).to.equal(401);

      // the new session works, and the old token is refused on it
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
      const withOldToken = await client.req('POST', `/API/bpm/process/${REGISTRATION}/instantiation`, {
        body: '{"name":"x"}',
        headers: { 'X-Bonita-API-Token': oldToken },
      });
      expect(withOldToken.status).to.equal(401);
    });

    it('keeps independent sessions for different clients', async () => {
      const a = new Client(sim.url);
      const b = new Client(sim.url);
      await a.login();
      await b.login();
      expect(a.jsession).to.not.equal(b.jsession);
      expect((await a.req('GET', '/API/system/session/unusedId')).status).to.equal(200);
      expect((await b.req('GET', '/API/system/session/unusedId')).status).to.equal(200);
    });

    it('does not invalidate the current session on a failed login', async () => {
      await client.login();
      expect((await client.login('walter.bates', 'bad')).status).to.equal(401);
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
    });
  });

  describe('authentication on /API', () => {
    it('answers 401 with an empty body without a session, with an unknown cookie, for every method', async () => {
      for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'HEAD']) {
        const res = await client.req(m, '/API/bpm/process');
        expect(res.status, m).to.equal(401);
        expect(await res.text()).to.equal('');
      }
      client.cookies.set('JSESSIONID', 'DEADBEEF');
      const res = await client.req('GET', '/API/system/session/unusedId');
      expect(res.status).to.equal(401);
      expect(res.headers.get('x-bonita-api-token')).to.equal(null);
      expect(sim.stats.unauthorized).to.equal(6);
      expect(sim.stats.apiCalls).to.equal(6);
      expect(sim.stats.csrfRejections).to.equal(0);
    });

    it('exempts system/i18ntranslation and system/feature', async () => {
      const a = await client.req('GET', '/API/system/i18ntranslation?f=locale%3Den');
      expect(a.status).to.equal(200);
      expect(await a.json()).to.deep.equal([]);
      expect((await client.req('GET', '/API/system/feature?p=0&c=100')).status).to.equal(200);
      expect((await client.req('GET', '/API/system/i18nlocale')).status).to.equal(401);
    });

    it('expires a session idle for longer than idleTimeoutMs, but not an active one', async () => {
      const s = await startExtra({ idleTimeoutMs: 300 });
      const c = new Client(s.url);
      await c.login();
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 150));
        expect((await c.req('GET', '/API/bpm/process')).status, `touch ${i}`).to.equal(200);
      }
      await new Promise((r) => setTimeout(r, 450));
      expect((await c.req('GET', '/API/bpm/process')).status).to.equal(401);
      // a new login gives a working session again
      expect((await c.login()).status).to.equal(204);
      expect((await c.req('GET', '/API/bpm/process')).status).to.equal(200);
    });

    it('expireSessions() drops every session', async () => {
      await client.login();
      expect((await client.req('GET', '/API/bpm/case')).status).to.equal(200);
      sim.expireSessions();
      expect((await client.req('GET', '/API/bpm/case')).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(1);
    });
  });

  describe('CSRF (X-Bonita-API-Token)', () => {
    const instantiate = `/API/bpm/process/${REGISTRATION}/instantiation`;

    it('rejects an unsafe call with a session but without a token: 401, empty body', async () => {
      await client.login();
      const res = await client.postJson(instantiate, { name: 'Ann' }, false);
      expect(res.status).to.equal(401);
      expect(await res.text()).to.equal('');
      expect(sim.stats.csrfRejections).to.equal(1);
      expect(sim.stats.unauthorized).to.equal(0);
      // the session is still valid
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
    });

    it('rejects a wrong token, an empty token and a token in the wrong header', async () => {
      await client.login();
      const variants: Record<string, string>[] = [
        { 'X-Bonita-API-Token': '00000000-0000-0000-0000-000000000000' },
        { 'X-Bonita-API-Token': '' },
        { 'X-Bonita-Token': client.token! },
      ];
      for (const headers of variants) {
        const res = await client.req('POST', instantiate, { body: '{"name":"a"}', headers: { ...headers, 'Content-Type': 'application/json' } });
        expect(res.status, JSON.stringify(headers)).to.equal(401);
      }
      for (const m of ['PUT', 'DELETE', 'PATCH']) {
        expect((await client.req(m, '/API/bpm/humanTask/20001', { body: '{"assigned_id":"4"}' })).status, m).to.equal(401);
      }
      expect(sim.stats.csrfRejections).to.equal(6);
    });

    it('accepts the token from the header', async () => {
      await client.login();
      const res = await client.postJson(instantiate, { name: 'Ann' });
      expect(res.status).to.equal(200);
    });

    it('accepts the token from the CSRFToken query parameter', async () => {
      await client.login();
      const res = await client.req('POST', `${instantiate}?CSRFToken=${client.token!}`, {
        body: '{"name":"Ann"}',
        headers: { 'Content-Type': 'application/json' },
      });
      expect(res.status).to.equal(200);
      const wrong = await client.req('POST', `${instantiate}?CSRFToken=nope`, { body: '{"name":"Ann"}' });
      expect(wrong.status).to.equal(401);
    });

    it('uses the header first when both header and parameter are present', async () => {
      await client.login();
      const res = await client.req('POST', `${instantiate}?CSRFToken=${client.token!}`, {
        body: '{"name":"Ann"}',
        headers: { 'X-Bonita-API-Token': 'wrong' },
      });
      expect(res.status).to.equal(401);
    });

    it('never needs the token on GET or HEAD', async () => {
      await client.login();
      expect((await client.req('GET', '/API/bpm/humanTask?f=state%3Dready')).status).to.equal(200);
      const head = await client.req('HEAD', '/API/bpm/process');
      expect(head.status).to.equal(200);
      expect(head.headers.get('content-range')).to.equal('0-10/6');
      expect(sim.stats.csrfRejections).to.equal(0);
    });

    it('rejects an unsafe call without a session as unauthorized', async () => {
      const res = await client.postJson(instantiate, { name: 'Ann' }, false);
      expect(res.status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(1);
    });
  });

  describe('session resource', () => {
    it('GET API/system/session/unusedId returns the string-valued session JSON and the token header', async () => {
      await client.login();
      const tokenBefore = client.token!;
      const res = await client.req('GET', '/API/system/session/unusedId');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(res.headers.get('x-bonita-api-token')).to.equal(tokenBefore);
      // the cookie is set again with the same token
      expect(cookieLine(client.lastSetCookies, 'X-Bonita-API-Token')).to.equal(`X-Bonita-API-Token=${tokenBefore}; Path=/bonita`);
      const body = (await res.json()) as Json;
      expect(Object.keys(body)).to.deep.equal([
        'session_id',
        'user_id',
        'user_name',
        'is_technical_user',
        'is_guest_user',
        'version',
        'branding_version',
        'branding_version_with_date',
        'copyright',
        'conf',
      ]);
      for (const v of Object.values(body)) expect(v).to.be.a('string');
      expect(body.user_id).to.equal('4');
      expect(body.user_name).to.equal('walter.bates');
      expect(body.is_technical_user).to.equal('false');
      expect(body.version).to.equal('2024.1');
      expect(body.branding_version_with_date).to.equal('2024.1-u0');
      expect(body.copyright).to.equal('Bonitasoft © 2024');
      expect(body.conf).to.equal('[]');
      expect(body.session_id).to.match(/^\d+$/);
    });

    it('answers 401 without a session', async () => {
      const res = await client.req('GET', '/API/system/session/unusedId');
      expect(res.status).to.equal(401);
      expect(await res.text()).to.equal('');
    });

    it('follows the version option (7.x: no branding fields, bonita.tenant cookie)', async () => {
      const s = await startExtra({ version: '7.11.4' });
      const c = new Client(s.url);
      await c.login();
      expect(c.lastSetCookies[0]).to.equal('bonita.tenant=1');
      const { data } = await c.getJson('/API/system/session/unusedId');
      const body = data as Json;
      expect(body.version).to.equal('7.11.4');
      expect(body).to.not.have.property('branding_version');
      const s2 = await startExtra({ version: '2023.2' });
      const c2 = new Client(s2.url);
      await c2.login();
      expect(c2.lastSetCookies.some((l) => l.startsWith('bonita.tenant'))).to.equal(false);
      expect(((await c2.getJson('/API/system/session/unusedId')).data as Json).version).to.equal('2023.2');
    });
  });

  describe('logoutservice', () => {
    it('answers 200 with an empty body and destroys the session (GET and POST)', async () => {
      for (const m of ['GET', 'POST']) {
        await client.login();
        expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
        const res = await client.req(m, '/logoutservice');
        expect(res.status, m).to.equal(200);
        expect(await res.text()).to.equal('');
        const after = await client.req('GET', '/API/bpm/process');
        expect(after.status).to.equal(401);
        expect((await client.req('GET', '/API/system/session/unusedId')).status).to.equal(401);
      }
      expect(sim.stats.logouts).to.equal(2);
    });

    it('answers 302 with redirect=true', async () => {
      await client.login();
      const res = await client.req('GET', '/logoutservice?redirect=true');
      expect(res.status).to.equal(302);
      expect(res.headers.get('location')).to.equal('/bonita/login.jsp');
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(401);
      expect((await client.req('GET', '/logoutservice?redirect=false&loginUrl=x')).status).to.equal(200);
      expect((await client.req('GET', '/logoutservice?loginUrl=%2Fbonita%2Flogin.jsp')).status).to.equal(302);
    });
  });

  describe('search', () => {
    beforeEach(async () => {
      await client.login();
    });

    it('returns a JSON array of string-valued items with Content-Range p-c/total (defaults p=0, c=10)', async () => {
      const { res, data } = await client.getJson('/API/bpm/process');
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(res.headers.get('content-range')).to.equal('0-10/6');
      const items = asItems(data);
      expect(items).to.have.length(6);
      for (const it of items) for (const v of Object.values(it)) expect(v).to.be.a('string');
      const reg = items.find((i) => i.name === 'Registration')!;
      expect(reg).to.include({ id: REGISTRATION, version: '1.0', activationState: 'ENABLED', configurationState: 'RESOLVED', displayName: 'Registration' });
      expect(reg.deploymentDate).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    });

    it('pages with p and c (middle number is the page size)', async () => {
      let r = await client.getJson('/API/bpm/process?p=0&c=4');
      expect(r.res.headers.get('content-range')).to.equal('0-4/6');
      expect(asItems(r.data)).to.have.length(4);
      r = await client.getJson('/API/bpm/process?p=1&c=4');
      expect(r.res.headers.get('content-range')).to.equal('1-4/6');
      expect(asItems(r.data)).to.have.length(2);
      r = await client.getJson('/API/bpm/process?p=6&c=4');
      expect(r.res.status).to.equal(200);
      expect(asItems(r.data)).to.deep.equal([]);
      r = await client.getJson('/API/bpm/process?p=7&c=4');
      expect(r.res.status).to.equal(500);
      expect((r.data as Json).exception).to.equal('class org.bonitasoft.web.toolkit.client.common.exception.api.APISearchIndexOutOfRange');
    });

    it('filters with repeatable f=attr=value (encoded or not), s and o', async () => {
      let r = await client.getJson('/API/bpm/process?f=name%3DRegistration');
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal([REGISTRATION]);
      expect(r.res.headers.get('content-range')).to.equal('0-10/1');
      r = await client.getJson('/API/bpm/process?f=activationState=ENABLED');
      expect(asItems(r.data).map((i) => i.name).sort()).to.deep.equal(['Contract Showcase', 'Expense Report', 'Purchase Request', 'Registration', 'Salary Review']);
      r = await client.getJson('/API/bpm/process?f=activationState%3DENABLED&f=name%3DExpense%20Report');
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal([EXPENSE]);
      r = await client.getJson('/API/bpm/process?f=activationState%3DDISABLED&f=name%3DRegistration');
      expect(asItems(r.data)).to.deep.equal([]);
      expect(r.res.headers.get('content-range')).to.equal('0-10/0');
      r = await client.getJson('/API/bpm/process?s=regis');
      expect(asItems(r.data).map((i) => i.name)).to.deep.equal(['Registration']);
      r = await client.getJson('/API/bpm/process?o=version%20desc');
      expect(asItems(r.data).map((i) => i.version)).to.deep.equal(['2.1', '2.0', '1.3', '1.0', '1.0', '0.9']);
      r = await client.getJson('/API/bpm/process?o=name%20ASC');
      expect(asItems(r.data).map((i) => i.name)).to.deep.equal(['Contract Showcase', 'Expense Report', 'Legacy Onboarding', 'Purchase Request', 'Registration', 'Salary Review']);
    });

    it('answers 404 with a toolkit error for an unknown API resource', async () => {
      const r = await client.getJson('/API/bpm/nothing');
      expect(r.res.status).to.equal(404);
      expect(r.res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(r.data).to.include({ exception: 'class org.bonitasoft.web.toolkit.client.common.exception.api.APINotFoundException', api: 'bpm', resource: 'nothing' });
    });

    it('answers 500 for an unknown filter', async () => {
      const r = await client.getJson('/API/bpm/process?f=colour%3Dblue');
      expect(r.res.status).to.equal(500);
      expect(r.data).to.deep.include({ api: 'bpm', resource: 'process' });
      expect((r.data as Json).message).to.contain('colour');
    });

    it('searches cases, with d and n', async () => {
      let r = await client.getJson('/API/bpm/case');
      expect(r.res.headers.get('content-range')).to.equal('0-10/3');
      const first = asItems(r.data)[0]!;
      expect(first).to.include({ state: 'started', started_by: '4' });
      for (const v of Object.values(first)) expect(v).to.be.a('string');
      r = await client.getJson(`/API/bpm/case?f=processDefinitionId%3D${REGISTRATION}`);
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal(['1001', '1003']);
      r = await client.getJson(`/API/bpm/case?f=processDefinitionId%3D${EXPENSE}&d=processDefinitionId&d=started_by&n=activeFlowNodes`);
      const c = asItems(r.data)[0]!;
      expect((c.processDefinitionId as Json).name).to.equal('Expense Report');
      expect((c.started_by as Json).userName).to.equal('walter.bates');
      expect(c.activeFlowNodes).to.equal('1');
      r = await client.getJson('/API/bpm/case/1002');
      expect(r.res.status).to.equal(200);
      expect((r.data as Json).processDefinitionId).to.equal(EXPENSE);
    });

    it('searches human tasks by state, assigned_id, caseId, processId, user_id', async () => {
      let r = await client.getJson('/API/bpm/humanTask?p=0&c=10&f=state%3Dready');
      expect(r.res.headers.get('content-range')).to.equal('0-10/3');
      const t = asItems(r.data)[0]!;
      for (const k of ['id', 'type', 'name', 'displayName', 'state', 'assigned_id', 'caseId', 'rootContainerId', 'processId', 'actorId', 'priority', 'dueDate', 'reached_state_date', 'last_update_date']) {
        expect(t, k).to.have.property(k).that.is.a('string');
      }
      expect(t.type).to.equal('USER_TASK');
      r = await client.getJson('/API/bpm/humanTask?f=state%3Dready&f=assigned_id%3D4');
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal(['20002']);
      r = await client.getJson('/API/bpm/humanTask?f=assigned_id%3D');
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal(['20001', '20003']);
      r = await client.getJson('/API/bpm/humanTask?f=caseId%3D1003');
      expect(asItems(r.data).map((i) => i.name)).to.deep.equal(['Review Bob']);
      r = await client.getJson(`/API/bpm/humanTask?f=processId%3D${EXPENSE}`);
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal(['20002']);
      r = await client.getJson(`/API/bpm/humanTask?f=processDefinitionId%3D${REGISTRATION}&o=id%20DESC`);
      expect(asItems(r.data).map((i) => i.id)).to.deep.equal(['20003', '20001']);
      r = await client.getJson('/API/bpm/humanTask?f=user_id%3D4&c=1');
      expect(r.res.headers.get('content-range')).to.equal('0-1/3');
      expect(asItems(r.data)).to.have.length(1);
    });
  });

  describe('process resources', () => {
    beforeEach(async () => {
      await client.login();
    });

    it('GET process/{id} and process/{id}/contract', async () => {
      let r = await client.getJson(`/API/bpm/process/${REGISTRATION}`);
      expect(r.res.status).to.equal(200);
      expect((r.data as Json).name).to.equal('Registration');
      r = await client.getJson(`/API/bpm/process/${REGISTRATION}/contract`);
      expect(r.res.status).to.equal(200);
      const contract = r.data as { inputs: Json[]; constraints: Json[] };
      expect(contract.inputs).to.deep.equal([{ description: 'Name of the person to register', name: 'name', multiple: false, type: 'TEXT', inputs: [] }]);
      expect(contract.constraints[0]).to.include({ name: 'name', constraintType: 'MANDATORY' });
      r = await client.getJson('/API/bpm/process/123');
      expect(r.res.status).to.equal(404);
      expect(r.data).to.equal(undefined);
      r = await client.getJson('/API/bpm/process/0');
      expect(r.res.status).to.equal(400);
      r = await client.getJson('/API/bpm/process/123/contract');
      expect(r.res.status).to.equal(404);
    });

    it('instantiation: 200 {caseId:number}, creates the case and a ready "Review <name>" task', async () => {
      const res = await client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'Zoe' });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      const body = (await res.json()) as { caseId: unknown };
      expect(Object.keys(body)).to.deep.equal(['caseId']);
      expect(body.caseId).to.be.a('number');
      const caseId = String(body.caseId);
      let r = await client.getJson(`/API/bpm/case/${caseId}`);
      expect(r.res.status).to.equal(200);
      expect(r.data).to.include({ id: caseId, processDefinitionId: REGISTRATION, state: 'started', started_by: '4' });
      r = await client.getJson(`/API/bpm/case?f=processDefinitionId%3D${REGISTRATION}`);
      expect(r.res.headers.get('content-range')).to.equal('0-10/3');
      r = await client.getJson(`/API/bpm/humanTask?f=state%3Dready&f=caseId%3D${caseId}`);
      const tasks = asItems(r.data);
      expect(tasks).to.have.length(1);
      expect(tasks[0]).to.include({ name: 'Review Zoe', state: 'ready', assigned_id: '', caseId, processId: REGISTRATION });
    });

    it('instantiation with ?user= starts the case for that user', async () => {
      const res = await client.postJson(`/API/bpm/process/${EXPENSE}/instantiation?user=3`, {});
      expect(res.status).to.equal(200);
      const { caseId } = (await res.json()) as { caseId: number };
      const { data } = await client.getJson(`/API/bpm/case/${caseId}`);
      expect(data).to.include({ started_by: '3', startedBySubstitute: '4' });
    });

    it('instantiation: 400 ContractViolationException when a contract input is missing or of the wrong type', async () => {
      for (const body of [{}, { other: 'x' }, { name: null }]) {
        const res = await client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
        const err = (await res.json()) as Json;
        expect(err.exception).to.equal('class org.bonitasoft.engine.bpm.contract.ContractViolationException');
        expect(err.explanations).to.deep.equal(['Expected input [name] is missing']);
        expect(err.message).to.be.a('string').and.contain('Expected input [name] is missing');
      }
      const empty = await client.req('POST', `/API/bpm/process/${REGISTRATION}/instantiation`, { csrf: true });
      expect(empty.status).to.equal(400);
      const wrongType = await client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 42 });
      expect(wrongType.status).to.equal(400);
      expect(((await wrongType.json()) as Json).explanations).to.have.length(1);
      // nothing was created
      const r = await client.getJson('/API/bpm/case');
      expect(r.res.headers.get('content-range')).to.equal('0-10/3');
    });

    it('instantiation: 404 for an unknown process, 500 for a disabled one, 400 for bad JSON', async () => {
      let res = await client.postJson('/API/bpm/process/999/instantiation', { name: 'x' });
      expect(res.status).to.equal(404);
      res = await client.postJson(`/API/bpm/process/${LEGACY}/instantiation`, {});
      expect(res.status).to.equal(500);
      expect(((await res.json()) as Json).message).to.equal(`Unable to start the process with ID ${LEGACY} (consult the logs for more information).`);
      res = await client.req('POST', `/API/bpm/process/${REGISTRATION}/instantiation`, { body: '{"name":', csrf: true, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).to.equal(400);
      expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(((await res.json()) as Json).exception).to.be.a('string');
      res = await client.req('POST', `/API/bpm/process/${REGISTRATION}/instantiation`, { body: '[1,2]', csrf: true });
      expect(res.status).to.equal(400);
      res = await client.req('POST', '/API/bpm/process/abc/instantiation', { body: '{}', csrf: true });
      expect(res.status).to.equal(400);
      res = await client.req('GET', `/API/bpm/process/${REGISTRATION}/instantiation`);
      expect(res.status).to.equal(405);
    });

    it('legacy POST API/bpm/case returns the case object', async () => {
      const res = await client.postJson('/API/bpm/case', { processDefinitionId: EXPENSE });
      expect(res.status).to.equal(200);
      const c = (await res.json()) as Json;
      expect(c).to.include({ processDefinitionId: EXPENSE, state: 'started' });
      expect(c.id).to.be.a('string');
    });
  });

  describe('human and user tasks', () => {
    beforeEach(async () => {
      await client.login();
    });

    it('GET humanTask/{id}: 200, unknown 404 empty, id <= 0 400 toolkit error, non-numeric 500', async () => {
      let r = await client.getJson('/API/bpm/humanTask/20001');
      expect(r.res.status).to.equal(200);
      expect(r.data).to.include({ id: '20001', name: 'Review Alice', state: 'ready' });
      r = await client.getJson('/API/bpm/humanTask/99999');
      expect(r.res.status).to.equal(404);
      expect(r.data).to.equal(undefined);
      for (const bad of ['0', '-5']) {
        const res = await client.req('GET', `/API/bpm/humanTask/${bad}`);
        expect(res.status, bad).to.equal(400);
        expect(res.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
        expect(await res.json()).to.deep.equal({
          exception: 'class org.bonitasoft.web.toolkit.client.common.exception.api.APIIncorrectIdException',
          message: 'Id must be non-zero positive for bpm on resource humanTask',
          api: 'bpm',
          resource: 'humanTask',
        });
      }
      r = await client.getJson('/API/bpm/humanTask/abc');
      expect(r.res.status).to.equal(500);
      expect((r.data as Json).exception).to.equal('class org.bonitasoft.web.toolkit.client.common.exception.api.APIItemIdMalformedException');
      r = await client.getJson('/API/bpm/case/0');
      expect(r.res.status).to.equal(400);
      r = await client.getJson('/API/bpm/case/424242');
      expect(r.res.status).to.equal(404);
    });

    it('PUT humanTask/{id} {assigned_id}: 200 with an empty body; unassign with ""', async () => {
      let res = await client.req('PUT', '/API/bpm/humanTask/20001', { body: '{"assigned_id":"4"}', csrf: true, headers: { 'Content-Type': 'application/json' } });
      expect(res.status).to.equal(200);
      expect(await res.text()).to.equal('');
      let r = await client.getJson('/API/bpm/humanTask/20001');
      expect(r.data).to.include({ assigned_id: '4' });
      expect((r.data as Json).assigned_date).to.match(/^\d{4}-/);
      res = await client.req('PUT', '/API/bpm/userTask/20001', { body: '{"assigned_id":""}', csrf: true });
      expect(res.status).to.equal(200);
      r = await client.getJson('/API/bpm/humanTask/20001');
      expect(r.data).to.include({ assigned_id: '', assigned_date: '' });
    });

    it('PUT: 404 unknown, 400 id <= 0, 400 bad JSON', async () => {
      expect((await client.req('PUT', '/API/bpm/humanTask/99999', { body: '{"assigned_id":"4"}', csrf: true })).status).to.equal(404);
      expect((await client.req('PUT', '/API/bpm/humanTask/0', { body: '{"assigned_id":"4"}', csrf: true })).status).to.equal(400);
      const bad = await client.req('PUT', '/API/bpm/humanTask/20001', { body: '{assigned_id:', csrf: true });
      expect(bad.status).to.equal(400);
      expect(bad.headers.get('content-type')).to.equal('application/json;charset=UTF-8');
      expect(await bad.json()).to.include({ api: 'bpm', resource: 'humanTask' });
    });

    it('execution: 500 when unassigned without assign=true, 204 with assign=true, then archived (404 by id, twice 404)', async () => {
      let res = await client.postJson('/API/bpm/userTask/20001/execution', {});
      expect(res.status).to.equal(500);
      const err = (await res.json()) as Json;
      expect(err.message).to.equal('Unable to execute the task with ID 20001 (consult the logs for more information).');
      expect((await client.getJson('/API/bpm/humanTask/20001')).data).to.include({ state: 'ready' });

      res = await client.postJson('/API/bpm/userTask/20001/execution?assign=true', {});
      expect(res.status).to.equal(204);
      expect(await res.text()).to.equal('');
      expect((await client.getJson('/API/bpm/humanTask/20001')).res.status).to.equal(404);
      const archived = asItems((await client.getJson('/API/bpm/archivedHumanTask?f=sourceObjectId%3D20001')).data);
      expect(archived).to.have.length(1);
      expect(archived[0]).to.include({ state: 'completed', assigned_id: '4', executedBy: '4', caseId: '1001' });
      const ready = asItems((await client.getJson('/API/bpm/humanTask?f=state%3Dready')).data).map((i) => i.id);
      expect(ready).to.not.include('20001');
      // an executed task can no longer be executed: 404, "it might already be executed"
      res = await client.postJson('/API/bpm/userTask/20001/execution?assign=true', {});
      expect(res.status).to.equal(404);
      expect(((await res.json()) as Json).message).to.contain('it might already be executed');
    });

    it('execution of an assigned task: 400 on contract violation, 204 with the inputs', async () => {
      let c = await client.getJson('/API/bpm/userTask/20002/contract');
      expect((c.data as { inputs: Json[] }).inputs.map((i) => i.name)).to.deep.equal(['approved']);
      let res = await client.postJson('/API/bpm/userTask/20002/execution', {});
      expect(res.status).to.equal(400);
      const err = (await res.json()) as Json;
      expect(err.exception).to.equal('class org.bonitasoft.engine.bpm.contract.ContractViolationException');
      expect(err.explanations).to.deep.equal(['Expected input [approved] is missing']);
      c = await client.getJson('/API/bpm/userTask/20002/context');
      expect(c.res.status).to.equal(200);
      res = await client.postJson('/API/bpm/userTask/20002/execution', { approved: true });
      expect(res.status).to.equal(204);
      c = await client.getJson('/API/bpm/userTask/20002/context');
      expect(c.res.status).to.equal(404);
    });

    it('execution: 404 unknown task, 401 without token, 405 on humanTask/{id}/execution', async () => {
      expect((await client.postJson('/API/bpm/userTask/99999/execution?assign=true', {})).status).to.equal(404);
      expect((await client.postJson('/API/bpm/userTask/20003/execution?assign=true', {}, false)).status).to.equal(401);
      expect((await client.getJson('/API/bpm/humanTask/20003')).data).to.include({ state: 'ready' });
      expect((await client.postJson('/API/bpm/humanTask/20003/execution', {})).status).to.equal(404);
    });

    it('full flow: start a case, find its task, assign, execute', async () => {
      const start = await client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'Flow' });
      const { caseId } = (await start.json()) as { caseId: number };
      const tasks = asItems((await client.getJson(`/API/bpm/humanTask?f=caseId%3D${caseId}&f=state%3Dready`)).data);
      const taskId = tasks[0]!.id as string;
      expect((await client.req('PUT', `/API/bpm/humanTask/${taskId}`, { body: '{"assigned_id":"4"}', csrf: true })).status).to.equal(200);
      expect((await client.postJson(`/API/bpm/userTask/${taskId}/execution`, {})).status).to.equal(204);
      const after = asItems((await client.getJson(`/API/bpm/humanTask?f=caseId%3D${caseId}&f=state%3Dready`)).data);
      expect(after).to.deep.equal([]);
    });
  });

  describe('file upload', () => {
    function form(withToken?: string, size = 10): FormData {
      const fd = new FormData();
      if (withToken !== undefined) fd.set('CSRFToken', withToken);
      fd.set('file', new Blob([Buffer.alloc(size, 0x41)], { type: 'application/pdf' }), 'invoice.pdf');
      return fd;
    }

    it('POST API/formFileUpload: 200, JSON body but text/plain;charset=UTF-8', async () => {
      await client.login();
      const res = await client.req('POST', '/API/formFileUpload', { body: form(), csrf: true });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain;charset=UTF-8');
      const body = JSON.parse(await res.text()) as Json;
      expect(body.filename).to.equal('invoice.pdf');
      expect(body.contentType).to.equal('application/pdf');
      expect(body.tempPath).to.match(/^tmp_\d+\.pdf$/);
    });

    it('accepts the CSRFToken multipart field, rejects a missing token', async () => {
      await client.login();
      const ok = await client.req('POST', '/API/formFileUpload', { body: form(client.token) });
      expect(ok.status).to.equal(200);
      const bad = await client.req('POST', '/API/formFileUpload', { body: form('wrong') });
      expect(bad.status).to.equal(401);
      const none = await client.req('POST', '/API/formFileUpload', { body: form() });
      expect(none.status).to.equal(401);
      expect(sim.stats.csrfRejections).to.equal(2);
    });

    it('answers 413 EntityTooLarge over maxUploadBytes', async () => {
      const s = await startExtra({ maxUploadBytes: 1000 });
      const c = new Client(s.url);
      await c.login();
      expect((await c.req('POST', '/API/formFileUpload', { body: form(undefined, 1000), csrf: true })).status).to.equal(200);
      const res = await c.req('POST', '/API/formFileUpload', { body: form(undefined, 1001), csrf: true });
      expect(res.status).to.equal(413);
      const body = JSON.parse(await res.text()) as Json;
      expect(body.type).to.equal('EntityTooLarge');
      expect(body.statusCode).to.equal(413);
      expect(body.message).to.be.a('string').and.contain('invoice.pdf');
      // a body far beyond the buffering cap is drained and refused too
      const huge = await c.req('POST', '/API/formFileUpload', { body: form(undefined, 3 * 1024 * 1024), csrf: true });
      expect(huge.status).to.equal(413);
      expect((JSON.parse(await huge.text()) as Json).type).to.equal('EntityTooLarge');
    });

    it('answers 401 without a session', async () => {
      expect((await client.req('POST', '/API/formFileUpload', { body: form() })).status).to.equal(401);
    });

    it('parses a hand-written multipart body (quoted boundary, CRLF)', async () => {
      await client.login();
      const boundary = 'xYz;1';
      const raw = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="CSRFToken"\r\n\r\n${client.token!}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="C:\\\\docs\\\\r\u00e9sum\u00e9.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\nworld\r\n` +
          `--${boundary}--\r\n`,
      );
      const res = await client.req('POST', '/API/formFileUpload', { body: raw, headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` } });
      expect(res.status).to.equal(200);
      const body = JSON.parse(await res.text()) as Json;
      expect(body.filename).to.equal('résumé.txt');
      expect(body.tempPath).to.match(/^tmp_\d+\.txt$/);
      const garbage = await client.req('POST', '/API/formFileUpload', { body: 'not multipart at all', csrf: true, headers: { 'Content-Type': 'multipart/form-data; boundary=zzz' } });
      expect(garbage.status).to.equal(500);
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
    });

    it('POST portal/fileUpload: plain-text temp name, session needed, no CSRF', async () => {
      expect((await client.req('POST', '/portal/fileUpload', { body: form() })).status).to.equal(401);
      expect(sim.stats.unauthorized).to.equal(1);
      await client.login();
      const res = await client.req('POST', '/portal/fileUpload', { body: form() });
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/plain;charset=UTF-8');
      expect(await res.text()).to.match(/^tmp_\d+\.pdf$/);
    });
  });

  describe('csrf=false (7.3-like / security.csrf.enabled=false)', () => {
    it('sets no token cookie, sends no token header, and checks no token', async () => {
      const s = await startExtra({ csrf: false });
      const c = new Client(s.url);
      expect((await c.login()).status).to.equal(204);
      expect(c.lastSetCookies.some((l) => l.startsWith('X-Bonita-API-Token'))).to.equal(false);
      expect(c.jsession).to.be.a('string');
      const sess = await c.req('GET', '/API/system/session/unusedId');
      expect(sess.status).to.equal(200);
      expect(sess.headers.get('x-bonita-api-token')).to.equal(null);
      expect(c.lastSetCookies).to.deep.equal([]);
      const res = await c.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'NoCsrf' }, false);
      expect(res.status).to.equal(200);
      expect(s.stats.csrfRejections).to.equal(0);
      // still needs a session
      expect((await new Client(s.url).postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'x' }, false)).status).to.equal(401);
    });
  });

  describe('tokenCookiePath option', () => {
    it("'/' puts the token cookie on the root path", async () => {
      const s = await startExtra({ tokenCookiePath: '/' });
      const c = new Client(s.url);
      await c.login();
      expect(cookieLine(c.lastSetCookies, 'X-Bonita-API-Token')).to.match(/; Path=\/$/);
      expect(cookieLine(c.lastSetCookies, 'JSESSIONID')).to.contain('Path=/bonita');
    });

    it("'/elsewhere': the client must take the token from the unusedId response header", async () => {
      const s = await startExtra({ tokenCookiePath: '/elsewhere' });
      const c = new Client(s.url);
      await c.login();
      const line = cookieLine(c.lastSetCookies, 'X-Bonita-API-Token');
      expect(line).to.match(/; Path=\/elsewhere$/);
      // A cookie jar would not send a /elsewhere cookie to /bonita/API: emulate it.
      const token = c.cookies.get('X-Bonita-API-Token')!;
      c.cookies.delete('X-Bonita-API-Token');
      expect((await c.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'a' })).status).to.equal(401);
      const sess = await c.req('GET', '/API/system/session/unusedId');
      const headerToken = sess.headers.get('x-bonita-api-token');
      expect(headerToken).to.equal(token);
      const res = await c.req('POST', `/API/bpm/process/${REGISTRATION}/instantiation`, {
        body: '{"name":"a"}',
        headers: { 'X-Bonita-API-Token': headerToken!, 'Content-Type': 'application/json' },
      });
      expect(res.status).to.equal(200);
    });
  });

  describe('control endpoints and bookkeeping', () => {
    it('GET /_sim/stats, POST /_sim/expire, POST /_sim/reset', async () => {
      await client.login();
      await client.login('walter.bates', 'bad');
      await client.req('GET', '/API/bpm/process');
      const start = await client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: 'Temp' });
      const { caseId } = (await start.json()) as { caseId: number };

      let res = await fetch(`${sim.origin}/_sim/stats`);
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({ logins: 1, loginFailures: 1, unauthorized: 0, csrfRejections: 0, logouts: 0, apiCalls: 2 });

      res = await fetch(`${sim.origin}/_sim/expire`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(401);

      res = await fetch(`${sim.origin}/_sim/reset`, { method: 'POST' });
      expect(res.status).to.equal(204);
      expect(sim.stats).to.deep.equal({ logins: 0, loginFailures: 0, unauthorized: 0, csrfRejections: 0, logouts: 0, apiCalls: 0 });
      await client.login();
      expect((await client.getJson(`/API/bpm/case/${caseId}`)).res.status).to.equal(404);
      expect((await client.getJson('/API/bpm/case')).res.headers.get('content-range')).to.equal('0-10/3');
      // control calls are not counted nor recorded
      expect(sim.stats.apiCalls).to.equal(2);
      expect(sim.requests.some((r) => r.path.startsWith('/_sim'))).to.equal(false);
      expect((await fetch(`${sim.origin}/_sim/stats`, { method: 'POST' })).status).to.equal(405);
    });

    it('resetStats() keeps the same live stats object', async () => {
      const ref = sim.stats;
      await client.login();
      expect(ref.logins).to.equal(1);
      sim.resetStats();
      expect(sim.stats).to.equal(ref);
      expect(ref.logins).to.equal(0);
    });

    it('records requests with their headers, bounded to the last 1000', async () => {
      await client.login();
      await client.req('GET', '/API/bpm/process?p=0', { headers: { 'X-Custom': 'yes' } });
      const last = sim.requests[sim.requests.length - 1]!;
      expect(last.method).to.equal('GET');
      expect(last.path).to.equal('/bonita/API/bpm/process');
      expect(last.headers['x-custom']).to.equal('yes');
      expect(String(last.headers.cookie)).to.contain('JSESSIONID=');
      const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
      const get = (i: number): Promise<void> =>
        new Promise((resolve, reject) => {
          http
            .get(`${sim.url}/API/bpm/process?i=${i}`, { agent }, (res) => {
              res.resume();
              res.on('end', () => resolve());
            })
            .on('error', reject);
        });
      await Promise.all(Array.from({ length: 1010 }, (_, i) => get(i)));
      agent.destroy();
      expect(sim.requests).to.have.length(1000);
      expect(sim.requests.every((r) => r.path === '/bonita/API/bpm/process')).to.equal(true);
    });

    it('handles concurrent requests', async () => {
      await client.login();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) => client.postJson(`/API/bpm/process/${REGISTRATION}/instantiation`, { name: `P${i}` }).then((r) => r.json() as Promise<{ caseId: number }>)),
      );
      const ids = new Set(results.map((r) => r.caseId));
      expect(ids.size).to.equal(40);
      const r = await client.getJson(`/API/bpm/humanTask?f=processId%3D${REGISTRATION}&c=100`);
      expect(r.res.headers.get('content-range')).to.equal('0-100/42');
    });

    it('survives malformed input', async () => {
      await client.login();
      const raw = (target: string, extraHeaders = ''): Promise<number> =>
        new Promise((resolve) => {
          const req = http.request(`${sim.origin}${target}`, { method: 'GET', headers: { cookie: `JSESSIONID=${client.jsession!}` } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          if (extraHeaders) req.setHeader('X-Extra', extraHeaders);
          req.on('error', () => resolve(-1));
          req.end();
        });
      expect(await raw('/bonita/API/bpm/humanTask/%E0%A4%A')).to.be.oneOf([400, 500]);
      expect(await raw('/bonita/API/bpm/process?f=%zz&p=x')).to.equal(500);
      expect(await raw('/bonita/API/bpm/nothing')).to.equal(404);
      expect(await raw('/bonita/nowhere')).to.equal(404);
      expect(await raw('/bonita/API/bpm/process?o=nope%20ASC')).to.equal(500);
      const del = await client.req('DELETE', '/API/bpm/process', { body: '["1","2"]', csrf: true });
      expect(del.status).to.equal(405);
      const put = await client.req('PUT', '/API/bpm/humanTask/20001', { body: Buffer.from([0xff, 0xfe, 0x00]), csrf: true });
      expect(put.status).to.equal(400);
      expect((await client.req('GET', '/API/bpm/process')).status).to.equal(200);
    });
  });

  describe('CLI', () => {
    it('starts, prints the listening line, and exits on SIGTERM', async function () {
      this.timeout(30000);
      const main = path.join(__dirname, 'main.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0', '--bulk-tasks', '4', '--case-quota', '7:seconds'], { cwd: path.join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
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
        const m = /^bonita simulator listening on (http:\/\/127\.0\.0\.1:\d+\/bonita)$/.exec(line);
        expect(m, line).to.not.equal(null);
        const c = new Client(m![1]!);
        expect((await c.login()).status).to.equal(204);
        expect((await c.req('GET', '/API/bpm/humanTask')).headers.get('content-range')).to.equal('0-10/7');
        expect((await c.getJson('/API/system/information')).data).to.deep.equal({ caseCounter: '0', caseCounterLimit: '7' });
        const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exit).to.equal(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
