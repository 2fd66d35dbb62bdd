import { expect } from 'chai';
import { createSchemeSession, executeRequest, sessionConnection, type BpmFailure, type HttpRequest, type HttpResponse, type SchemeWire, type Session } from '../../core';
import { simplicite, simpliciteScheme, type SimpliciteConfig, type SimpliciteTokenTransport } from '../../core/schemes/simplicite';
import { startSimpliciteSimulator, type SimpliciteSimulator, type SimpliciteSimulatorOptions } from '../simulators/simplicite';

const USER = 'walter';
const PASSWORD = 'pw-Marker-9';
const PARAM = '_x_simplicite_authorization_';

interface Setup {
	tokenTransport?: SimpliciteTokenTransport;
	v3Mode?: boolean;
	password?: string;
}

async function withSimulator(options: SimpliciteSimulatorOptions, setup: Setup, body: (simulator: SimpliciteSimulator, session: Session) => Promise<void>) {
	const simulator = await startSimpliciteSimulator({ users: { [USER]: PASSWORD }, ...options });
	const session = createSchemeSession(simplicite, {
		url: simulator.url,
		username: USER,
		password: setup.password ?? PASSWORD,
		tokenTransport: setup.tokenTransport,
		v3Mode: setup.v3Mode,
	});
	try {
		await body(simulator, session);
	} finally {
		session.close();
		await simulator.close();
	}
}

const restCalls = (simulator: SimpliciteSimulator) => simulator.requests.filter((r) => r.path.includes('/api/rest'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What each transport leaves on a REST call: the token, wherever it went, and where it did not. */
function carried(record: SimpliciteSimulator['requests'][number]) {
	return {
		header: record.headers['x-simplicite-authorization'],
		bearer: record.headers.authorization,
		parameter: new URL(record.url, 'http://x').searchParams.get(PARAM) ?? undefined,
	};
}

describe('Simplicité scheme against the simulator', () => {
	const expectations: Array<[SimpliciteTokenTransport, (c: ReturnType<typeof carried>) => string | undefined]> = [
		['header', (c) => (c.bearer === undefined && c.parameter === undefined ? String(c.header ?? '').replace(/^Bearer /, '') || undefined : undefined)],
		['bearer', (c) => (c.header === undefined && c.parameter === undefined ? String(c.bearer ?? '').replace(/^Bearer /, '') || undefined : undefined)],
		['parameter', (c) => (c.header === undefined && c.bearer === undefined ? c.parameter : undefined)],
	];
	for (const [transport, tokenOf] of expectations) {
		it(`logs in once, then carries the token on every call (${transport})`, async () => {
			await withSimulator({ contextPath: '/myapp' }, { tokenTransport: transport }, async (simulator, session) => {
				const connection = sessionConnection(session);
				const list = await executeRequest(connection, { method: 'GET', url: 'api/rest/SystemParam', query: [{ name: 'sys_code', value: 'USE_USERTOKENS' }] });
				expect(list.ok && list.value.status, JSON.stringify(list)).to.equal(200);
				const created = await executeRequest(connection, { method: 'POST', url: 'api/rest/DemoSupplier', json: { demoSupCode: `T-${transport}`, demoSupName: 'Transport' } });
				expect(created.ok, JSON.stringify(created)).to.equal(true);
				expect(simulator.stats.logins).to.equal(1);
				expect(simulator.stats.unauthorized).to.equal(0);
				const login = simulator.requests.find((r) => r.path === '/myapp/api/login');
				expect(login?.headers.authorization).to.match(/^Basic /);
				const tokens = restCalls(simulator).map((r) => tokenOf(carried(r)));
				expect(tokens).to.have.length(2);
				expect(tokens[0]).to.be.a('string').with.length.above(20);
				expect(tokens[1]).to.equal(tokens[0]);
			});
		});
	}

	it('creates, reads, updates and deletes a record through api/rest/<Object>', async () => {
		await withSimulator({}, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			const created = await executeRequest(connection, { method: 'POST', url: 'api/rest/DemoSupplier', json: { demoSupCode: 'BPMC', demoSupName: 'BPM Connect' } });
			const row = created.ok ? (created.value.body as { kind: 'json'; value: Record<string, string> }).value : {};
			expect(row).to.include({ demoSupCode: 'BPMC', demoSupName: 'BPM Connect' });
			expect(row.row_id).to.match(/^\d+$/);
			const read = await executeRequest(connection, { method: 'GET', url: `api/rest/DemoSupplier/${row.row_id}` });
			expect(read.ok && read.value.body).to.deep.include({ kind: 'json' });
			expect(read.ok && (read.value.body as { value: Record<string, string> }).value.demoSupName).to.equal('BPM Connect');
			const updated = await executeRequest(connection, { method: 'PUT', url: `api/rest/DemoSupplier/${row.row_id}`, json: { demoSupName: 'Renamed' } });
			expect(updated.ok && (updated.value.body as { value: Record<string, string> }).value.demoSupName).to.equal('Renamed');
			const deleted = await executeRequest(connection, { method: 'DELETE', url: `api/rest/DemoSupplier/${row.row_id}` });
			expect(deleted.ok && (deleted.value.body as { value: unknown }).value).to.deep.equal({ row_id: row.row_id });
			const gone = await executeRequest(connection, { method: 'GET', url: `api/rest/DemoSupplier/${row.row_id}` });
			expect(gone.ok).to.equal(false);
			if (!gone.ok) expect(gone.error).to.include({ kind: 'http', status: 404, attempts: 1 });
			expect(simulator.stats.logins).to.equal(1);
		});
	});

	it('on expiry with 16 calls in flight, logs in exactly once more and replays each call once', async () => {
		await withSimulator({}, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			simulator.expireSessions();
			const outcomes = await Promise.all(Array.from({ length: 16 }, () => executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' })));
			expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(2));
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.equal(16);
		});
	});

	it('turns 404 and 403 into error values with status and body, and no re-login', async () => {
		await withSimulator({}, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			const missing = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoSupplier/999999' });
			const forbidden = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoOrder' });
			expect(missing.ok || missing.error).to.include({ kind: 'http', status: 404, attempts: 1 });
			expect(forbidden.ok || forbidden.error).to.include({ kind: 'http', status: 403, attempts: 1 });
			expect(forbidden.ok || forbidden.error.body).to.contain('DemoOrder');
			// In Simplicité's own words, from its {"error", "status"} body.
			expect(forbidden.ok || forbidden.error.message).to.match(/^Simplicité refused the call \(403\): .*DemoOrder/);
			expect(simulator.stats.logins).to.equal(1);
		});
	});

	it('masks the token in errors when it travels as a URL parameter', async () => {
		await withSimulator({}, { tokenTransport: 'parameter' }, async (simulator, session) => {
			const connection = sessionConnection(session);
			const outcome = await executeRequest(connection, { method: 'GET', url: `api/rest/DemoSupplier/999999?${PARAM}=stale-value-1234` });
			expect(outcome.ok).to.equal(false);
			const sent = restCalls(simulator)[0]?.url ?? '';
			const token = new URL(sent, 'http://x').searchParams.get(PARAM) ?? '';
			expect(token).to.have.length.above(20);
			// The caller's own value is replaced, not sent alongside.
			expect(new URL(sent, 'http://x').searchParams.getAll(PARAM)).to.deep.equal([token]);
			expect(JSON.stringify(outcome)).not.to.contain(token);
			expect(JSON.stringify(outcome)).not.to.contain('stale-value-1234');
		});
	});

	it('reports bad credentials as a login error without the password, and retries the login on the next call', async () => {
		await withSimulator({}, { password: 'wrong-Marker-pw' }, async (simulator, session) => {
			const connection = sessionConnection(session);
			const first = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			const second = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			for (const outcome of [first, second]) {
				expect(outcome.ok).to.equal(false);
				if (!outcome.ok) expect(outcome.error).to.include({ kind: 'login', status: 401, message: 'Simplicité rejected the username or password (401)' });
			}
			expect(simulator.stats.loginFailures).to.equal(2);
			expect(simulator.stats.apiCalls).to.equal(0);
			const basic = Buffer.from(`${USER}:wrong-Marker-pw`).toString('base64');
			expect(JSON.stringify([first, second])).not.to.contain('wrong-Marker').and.not.to.contain(basic);
		});
	});

	it('logs out: the simulator counts it, the token is dead, and the next call logs in again', async () => {
		await withSimulator({}, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			const token = String(restCalls(simulator)[0]?.headers['x-simplicite-authorization']);
			await session.logout();
			expect(simulator.stats.logouts).to.equal(1);
			expect(session.state).to.equal('logged-out');
			const logout = simulator.requests.find((r) => r.path === '/api/logout');
			expect(logout?.headers['x-simplicite-authorization']).to.equal(token);
			const stale = await fetch(`${simulator.url}/api/rest/DemoProduct`, { headers: { 'X-Simplicite-Authorization': token } });
			expect(stale.status).to.equal(401);
			const again = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(again.ok && again.attempts).to.equal(1);
			expect(simulator.stats.logins).to.equal(2);
		});
	});

	it('3.x mode: sends JSESSIONID back with the token, and a new one after expiry', async () => {
		await withSimulator({ v3Mode: true }, { v3Mode: true }, async (simulator, session) => {
			const connection = sessionConnection(session);
			const first = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(first.ok && first.attempts, JSON.stringify(first)).to.equal(1);
			simulator.expireSessions();
			const second = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(second.ok && second.attempts, JSON.stringify(second)).to.equal(2);
			const cookies = restCalls(simulator).map((r) => String(r.headers.cookie));
			expect(cookies.every((c) => /JSESSIONID=[0-9A-F]{32}/.test(c))).to.equal(true);
			expect(cookies[2]).to.not.equal(cookies[0]);
			expect(simulator.stats.logins).to.equal(2);
		});
	});

	it('keeps cookies outside 3.x mode too, so a 3.x server works unticked; 3.x mode refuses a login without JSESSIONID', async () => {
		await withSimulator({ v3Mode: true }, {}, async (simulator, session) => {
			const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(outcome.ok && outcome.attempts).to.equal(1);
			expect(simulator.stats.unauthorized).to.equal(0);
		});
		await withSimulator({}, { v3Mode: true }, async (_simulator, session) => {
			const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(outcome.ok || outcome.error).to.include({ kind: 'login', status: 200 });
			expect(outcome.ok || outcome.error.message).to.contain('JSESSIONID');
		});
	});

	it('renews before authtokenexpiry instead of meeting a 401; without an expiry the 401 path does it', async () => {
		await withSimulator({ tokenTimeoutMs: 300 }, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			await sleep(350);
			const renewed = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(renewed.ok && renewed.attempts).to.equal(1);
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.equal(0);
		});
		await withSimulator({ tokenTimeoutMs: 300, loginJsonExtras: false }, {}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			await sleep(350);
			const replayed = await executeRequest(connection, { method: 'GET', url: 'api/rest/DemoProduct' });
			expect(replayed.ok && replayed.attempts).to.equal(2);
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.equal(1);
		});
	});
});

describe('Simplicité scheme, login shapes and settings', () => {
	const config: SimpliciteConfig = { url: 'http://h/app', username: 'u', password: 'p-secret', tokenTransport: 'header', v3Mode: false };
	const answering = (response: Partial<HttpResponse>): SchemeWire & { sent: HttpRequest[] } => {
		const sent: HttpRequest[] = [];
		return {
			sent,
			send: async (request) => {
				sent.push(request);
				return { status: 200, statusText: 'OK', headers: {}, body: { kind: 'empty' }, url: request.url, ...response };
			},
			cookie: async () => undefined,
		};
	};
	const failureOf = async (promise: Promise<unknown>) => {
		try {
			await promise;
		} catch (error) {
			return (error as BpmFailure).detail;
		}
		return undefined;
	};

	it('reads the OAuth2 shape and renews from expires_in', async () => {
		const wire = answering({ body: { kind: 'json', value: { access_token: 'oauth-token-1234', token_type: 'bearer', expires_in: 300, scope: null } } });
		const before = Date.now();
		const state = await simpliciteScheme(config).login(wire, {});
		expect(state.token).to.equal('oauth-token-1234');
		expect(state.renewAt).to.be.within(before + 270_000, Date.now() + 270_000);
		expect(wire.sent[0]).to.deep.include({ method: 'GET', url: 'http://h/app/api/login?_json=true' });
		expect(wire.sent[0].headers).to.deep.equal({ Authorization: `Basic ${Buffer.from('u:p-secret').toString('base64')}`, Accept: 'application/json' });
	});

	it('reads a plain-text token, and no renewal without a stated lifetime', async () => {
		const state = await simpliciteScheme(config).login(answering({ body: { kind: 'text', value: 'plain-token-5678\n' } }), {});
		expect(state.token).to.equal('plain-token-5678');
		expect(simpliciteScheme(config).renewAt?.(state)).to.equal(undefined);
	});

	it('refuses a login answer without a token, or an HTML page, or a JSON error', async () => {
		const scheme = simpliciteScheme(config);
		expect(await failureOf(scheme.login(answering({ body: { kind: 'json', value: { login: 'u' } } }), {}))).to.include({ kind: 'login' });
		expect(await failureOf(scheme.login(answering({ body: { kind: 'text', value: '<html>login page</html>' } }), {}))).to.include({ kind: 'login', message: 'Simplicité login answered an HTML page instead of a token: check the base URL' });
		expect(await failureOf(scheme.login(answering({ body: { kind: 'json', value: { error: 'Account locked' } } }), {}))).to.include({ message: 'Simplicité refused the login: Account locked' });
		expect(await failureOf(scheme.login(answering({ status: 404, statusText: 'Not Found' }), {}))).to.include({ status: 404 });
	});

	it('keeps the token to this application and off the login, and knows every secret', () => {
		const scheme = simpliciteScheme({ ...config, tokenTransport: 'bearer' });
		const state = { token: 'tok-abcdef' };
		const request = (url: string): HttpRequest => ({ method: 'GET', url, headers: { authorization: 'Basic mine' } });
		expect(scheme.authorize(request('http://h/app/api/rest/X'), state).headers).to.deep.equal({ Authorization: 'Bearer tok-abcdef' });
		expect(scheme.authorize(request('http://h/other/api/rest/X'), state).headers).to.deep.equal({ authorization: 'Basic mine' });
		expect(scheme.authorize(request('http://h/app/api/login'), state).headers).to.deep.equal({ authorization: 'Basic mine' });
		const unauthorized = { status: 401, statusText: '', headers: {}, body: { kind: 'empty' as const }, url: '' };
		expect(scheme.isExpired(unauthorized, request('http://h/app/api/rest/X'))).to.equal(true);
		expect(scheme.isExpired(unauthorized, request('http://h/app/api/login?_json=true'))).to.equal(false);
		expect(scheme.secrets(state)).to.include.members(['p-secret', 'tok-abcdef']);
	});

	it('adds the URL parameter without touching the rest of the query', () => {
		const scheme = simpliciteScheme({ ...config, tokenTransport: 'parameter' });
		const url = scheme.authorize({ method: 'GET', url: 'http://h/app/api/rest/X?a=%20b&c=1#f', headers: {} }, { token: 'to+k/en' }).url;
		expect(url).to.equal(`http://h/app/api/rest/X?a=%20b&c=1&${PARAM}=to%2Bk%2Fen#f`);
	});

	it('parses the credential: defaults, flags, and a bad tokenTransport named', () => {
		const base = { url: 'http://h/app/', username: 'u', password: 'p' };
		expect(simplicite.parseConfig(base)).to.deep.equal({ url: 'http://h/app', username: 'u', password: 'p', tokenTransport: 'header', v3Mode: false });
		expect(simplicite.parseConfig({ ...base, tokenTransport: 'parameter', v3Mode: 'true' })).to.include({ tokenTransport: 'parameter', v3Mode: true });
		expect(simplicite.parseConfig({ ...base, v3Mode: true })).to.include({ v3Mode: true });
		const fieldOf = (data: Record<string, unknown>) => {
			try {
				simplicite.parseConfig(data);
			} catch (error) {
				return (error as BpmFailure).detail;
			}
			return undefined;
		};
		expect(fieldOf({ ...base, tokenTransport: 'cookie' })).to.include({ kind: 'input', field: 'tokenTransport' });
		expect(fieldOf({ ...base, tokenTransport: 'cookie' })?.message).to.contain('tokenTransport');
		expect(fieldOf({ ...base, v3Mode: 'yes' })).to.include({ field: 'v3Mode' });
		expect(fieldOf({ ...base, url: 'h/app' })).to.include({ field: 'url' });
		expect(fieldOf({ ...base, password: '' })).to.include({ field: 'password' });
	});
});
