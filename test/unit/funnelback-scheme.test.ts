import { expect } from 'chai';
import { createSchemeSession, type BpmFailure, executeRequest, sessionConnection, type HttpResponse, type Session } from '../../core';
import { funnelback, funnelbackScheme } from '../../core/schemes/funnelback';
import { startFunnelbackSimulator, type FunnelbackSimulator, type FunnelbackSimulatorOptions } from '../simulators/funnelback';

const PASSWORD = 'pw-Marker-9';
const SEARCHER_PASSWORD = 'pw-Searcher-4';
const USERS = { admin: { password: PASSWORD, canCreateNonExpiring: true }, searcher: { password: SEARCHER_PASSWORD } };
const TOKENS = 'admin-api/application-tokens/v1/application-tokens';

async function withSimulator(options: FunnelbackSimulatorOptions, body: (simulator: FunnelbackSimulator) => Promise<void>) {
	const simulator = await startFunnelbackSimulator({ users: USERS, ...options });
	try {
		await body(simulator);
	} finally {
		await simulator.close();
	}
}

async function withSession(data: Record<string, unknown>, simulator: FunnelbackSimulator, body: (session: Session) => Promise<void>) {
	const session = createSchemeSession(funnelback, { url: simulator.url, ...data });
	try {
		await body(session);
	} finally {
		session.close();
	}
}

const loginRequests = (simulator: FunnelbackSimulator) => simulator.requests.filter((r) => r.path === '/admin-api/account/v1/login');
const apiRequests = (simulator: FunnelbackSimulator) => simulator.requests.filter((r) => r.path !== '/admin-api/account/v1/login');

/** Logs in as admin outside any session and creates a per-user application token. */
async function createApplicationToken(simulator: FunnelbackSimulator, name: string): Promise<string> {
	let token = '';
	await withSession({ username: 'admin', password: PASSWORD }, simulator, async (session) => {
		const created = await executeRequest(sessionConnection(session), { method: 'PUT', url: `admin-api/application-tokens/v1/application-token/${name}` });
		expect(created.ok, JSON.stringify(created)).to.equal(true);
		token = created.ok ? (created.value.body as { value: { token: string } }).value.token : '';
	});
	expect(token).to.have.length.greaterThan(20);
	return token;
}

async function revokeApplicationToken(simulator: FunnelbackSimulator, name: string): Promise<void> {
	await withSession({ username: 'admin', password: PASSWORD }, simulator, async (session) => {
		const revoked = await executeRequest(sessionConnection(session), { method: 'DELETE', url: `admin-api/application-tokens/v1/application-token/${name}` });
		expect(revoked.ok && revoked.value.status).to.equal(204);
	});
}

describe('Funnelback scheme against the simulator', () => {
	describe('login mode', () => {
		it('logs in once with the form, reads the X-Security-Token response header and sends it on every call', async () => {
			await withSimulator({}, async (simulator) => {
				await withSession({ authMode: 'login', username: 'admin', password: PASSWORD }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const search = await executeRequest(connection, {
						method: 'GET',
						url: 's/search.json',
						query: [
							{ name: 'collection', value: 'client~sp-docs' },
							{ name: 'query', value: 'search api' },
						],
					});
					expect(search.ok, JSON.stringify(search)).to.equal(true);
					const packet = search.ok ? (search.value.body as { value: any }).value.response.resultPacket : undefined;
					expect(packet.resultsSummary.totalMatching).to.be.greaterThan(0);
					expect(packet.results[0].title).to.be.a('string');
					const tokens = await executeRequest(connection, { method: 'GET', url: TOKENS });
					expect(tokens.ok && tokens.value.status).to.equal(200);
					expect(tokens.ok && tokens.value.body).to.deep.equal({ kind: 'json', value: [] });
					const packages = await executeRequest(connection, { method: 'GET', url: 'admin-api/search-packages/v1' });
					expect(packages.ok && (packages.value.body as { value: unknown[] }).value).to.have.length.greaterThan(0);

					expect(simulator.stats.logins).to.equal(1);
					const [login] = loginRequests(simulator);
					expect(login.method).to.equal('POST');
					expect(login.headers['content-type']).to.match(/^application\/x-www-form-urlencoded/);
					expect(login.url).not.to.contain(PASSWORD);
					const sent = apiRequests(simulator).map((r) => r.headers['x-security-token']);
					expect(sent).to.have.length(3);
					expect(new Set(sent).size).to.equal(1);
					expect(sent[0]).to.be.a('string').with.length.greaterThan(20);
					expect(simulator.stats.unauthorized).to.equal(0);
				});
			});
		});

		it('reads the token header whatever its case (older servers write x-security-token)', async () => {
			await withSimulator({ loginHeaderCase: 'x-security-token', loginBody: 'empty' }, async (simulator) => {
				await withSession({ username: 'admin', password: PASSWORD }, simulator, async (session) => {
					const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: TOKENS });
					expect(outcome.ok && outcome.attempts).to.equal(1);
					expect(simulator.stats.logins).to.equal(1);
				});
			});
		});

		it('after a server restart with 16 calls in flight, logs in exactly once more and replays each call once', async () => {
			await withSimulator({}, async (simulator) => {
				await withSession({ username: 'admin', password: PASSWORD }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const first = await executeRequest(connection, { method: 'GET', url: TOKENS });
					expect(first.ok && first.attempts).to.equal(1);
					const oldToken = apiRequests(simulator)[0].headers['x-security-token'];
					simulator.expireSessions();
					const outcomes = await Promise.all(
						Array.from({ length: 16 }, (_, i) =>
							i % 2 === 0
								? executeRequest(connection, { method: 'GET', url: TOKENS })
								: executeRequest(connection, { method: 'GET', url: 's/search.json', query: [{ name: 'collection', value: 'client~sp-docs' }, { name: 'query', value: 'push' }] }),
						),
					);
					expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(2));
					expect(simulator.stats.logins).to.equal(2);
					expect(simulator.stats.unauthorized).to.equal(16);
					const sent = apiRequests(simulator).map((r) => r.headers['x-security-token']);
					expect(sent).to.have.length(33);
					expect(sent.filter((token) => token === oldToken)).to.have.length(17);
					expect(new Set(sent.filter((token) => token !== oldToken)).size).to.equal(1);
				});
			});
		});

		it('turns a refusal that is not an expiry (403 for searcher on an admin resource) into an http error, with no new login', async () => {
			await withSimulator({}, async (simulator) => {
				await withSession({ username: 'searcher', password: SEARCHER_PASSWORD }, simulator, async (session) => {
					const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: 'admin-api/search-packages/v1' });
					expect(outcome.ok).to.equal(false);
					if (outcome.ok) return;
					expect(outcome.error).to.include({ kind: 'http', status: 403, attempts: 1, method: 'GET' });
					expect(outcome.error.body).to.contain('may not read this resource');
					expect(simulator.stats.logins).to.equal(1);
				});
			});
		});

		it('reports bad credentials as a login error naming Funnelback and the status, without the password, and tries again on the next call', async () => {
			await withSimulator({}, async (simulator) => {
				await withSession({ username: 'admin', password: 'wrong-Marker-pw' }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const first = await executeRequest(connection, { method: 'GET', url: TOKENS });
					const second = await executeRequest(connection, { method: 'GET', url: TOKENS });
					for (const outcome of [first, second]) {
						expect(outcome.ok).to.equal(false);
						if (!outcome.ok) expect(outcome.error).to.include({ kind: 'login', status: 401, message: 'Funnelback rejected the username or password (401)' });
					}
					expect(simulator.stats.loginFailures).to.equal(2);
					expect(apiRequests(simulator)).to.have.length(0);
					expect(JSON.stringify([first, second])).not.to.contain('wrong-Marker');
					expect(session.state).to.equal('login-failed');
				});
			});
		});

		it('keeps the login token out of error values', async () => {
			await withSimulator({}, async (simulator) => {
				await withSession({ username: 'admin', password: PASSWORD }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const outcome = await executeRequest(connection, { method: 'GET', url: 'admin-api/search-packages/v1/no-such-package' });
					expect(outcome.ok).to.equal(false);
					const token = String(apiRequests(simulator)[0].headers['x-security-token']);
					expect(session.secrets()).to.include.members([PASSWORD, token]);
					expect(JSON.stringify(outcome)).not.to.contain(token);
				});
			});
		});
	});

	describe('application token mode', () => {
		it('never logs in: sends the configured token on every call', async () => {
			await withSimulator({}, async (simulator) => {
				const token = await createApplicationToken(simulator, 'bpm-connect');
				simulator.resetStats();
				simulator.requests.length = 0;
				await withSession({ authMode: 'applicationToken', applicationToken: token }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const list = await executeRequest(connection, { method: 'GET', url: TOKENS });
					expect(list.ok && (list.value.body as { value: Array<{ name: string }> }).value.map((t) => t.name)).to.deep.equal(['bpm-connect']);
					const search = await executeRequest(connection, { method: 'GET', url: 's/search.json', query: [{ name: 'collection', value: 'client~sp-docs' }, { name: 'query', value: 'search api' }] });
					expect(search.ok && search.attempts).to.equal(1);
					expect(simulator.stats.logins + simulator.stats.loginFailures).to.equal(0);
					expect(loginRequests(simulator)).to.have.length(0);
					expect(simulator.requests.map((r) => r.headers['x-security-token'])).to.deep.equal([token, token]);
					expect(session.secrets()).to.include(token);
				});
			});
		});

		it('survives a server restart, which only drops login tokens', async () => {
			await withSimulator({}, async (simulator) => {
				const token = await createApplicationToken(simulator, 'restart-proof');
				await withSession({ authMode: 'applicationToken', applicationToken: `  ${token}\n` }, simulator, async (session) => {
					simulator.expireSessions();
					const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: TOKENS });
					expect(outcome.ok && outcome.attempts).to.equal(1);
				});
			});
		});

		it('once the token is revoked, a call is an http 401 error: no login, no replay, no token in the error', async () => {
			await withSimulator({}, async (simulator) => {
				const token = await createApplicationToken(simulator, 'to-revoke');
				await withSession({ authMode: 'applicationToken', applicationToken: token }, simulator, async (session) => {
					const connection = sessionConnection(session);
					const before = await executeRequest(connection, { method: 'GET', url: TOKENS });
					expect(before.ok).to.equal(true);
					await revokeApplicationToken(simulator, 'to-revoke');
					simulator.resetStats();
					const after = await executeRequest(connection, { method: 'GET', url: TOKENS });
					expect(after.ok).to.equal(false);
					if (after.ok) return;
					expect(after.error).to.include({ kind: 'http', status: 401, attempts: 1 });
					expect(after.error.message).to.match(/^Funnelback refused the application token \(401\): it was revoked or is invalid/);
					expect(simulator.stats.logins + simulator.stats.loginFailures).to.equal(0);
					expect(simulator.stats.unauthorized).to.equal(1);
					expect(JSON.stringify(after)).not.to.contain(token);
				});
			});
		});
	});

	describe('scheme rules', () => {
		const response = (status: number): HttpResponse => ({ status, statusText: '', headers: {}, body: { kind: 'empty' }, url: 'http://h/x' });
		const request = { method: 'GET' as const, url: 'http://h/x', headers: { 'x-security-token': 'stale' } };
		const byLogin = funnelbackScheme({ url: 'http://h', authMode: 'login', username: 'u', password: 'p' });
		const byToken = funnelbackScheme({ url: 'http://h', authMode: 'applicationToken', applicationToken: 'app-token' });

		it('treats 401 as expiry only for login tokens', () => {
			expect(byLogin.isExpired(response(401), request)).to.equal(true);
			expect(byLogin.isExpired(response(403), request)).to.equal(false);
			expect(byToken.isExpired(response(401), request)).to.equal(false);
		});

		it('explains a refused application token as revoked or invalid, and leaves other failures to the engine', () => {
			expect(byToken.describeFailure!(response(401), request)).to.match(/^Funnelback refused the application token \(401\): it was revoked or is invalid/);
			expect(byToken.describeFailure!(response(403), request)).to.equal(undefined);
			expect(byLogin.describeFailure!(response(401), request)).to.equal(undefined);
		});

		it('replaces a token header of any case instead of sending two', () => {
			expect(byToken.authorize(request, { token: 'app-token' }).headers).to.deep.equal({ 'X-Security-Token': 'app-token' });
		});

		it('logs in without a request in application token mode', async () => {
			const wire = { send: () => Promise.reject(new Error('no request expected')), cookie: () => Promise.resolve(undefined) };
			expect(await byToken.login(wire, {})).to.deep.equal({ token: 'app-token' });
		});

		it('names the missing field for each mode', () => {
			const detailOf = (data: Record<string, unknown>) => {
				try {
					funnelback.parseConfig(data);
				} catch (error) {
					return (error as BpmFailure).detail;
				}
				return undefined;
			};
			const url = 'https://search.example.com';
			expect(detailOf({ url: 'search.example.com', username: 'u', password: 'p' })).to.include({ kind: 'input', field: 'url' });
			expect(detailOf({ url: `${url}/admin-api`, username: 'u', password: 'p' })).to.include({ kind: 'input', field: 'url' });
			expect(detailOf({ url, authMode: 'basic', username: 'u', password: 'p' })).to.include({ kind: 'input', field: 'authMode' });
			expect(detailOf({ url, password: 'p' })).to.include({ field: 'username', message: 'The credential field "username" is empty' });
			expect(detailOf({ url, authMode: 'login', username: 'u', password: '' })).to.include({ field: 'password' });
			expect(detailOf({ url, authMode: 'login', applicationToken: 't0ken' })).to.include({ field: 'username' });
			expect(detailOf({ url, authMode: 'applicationToken', username: 'u', password: 'p' })).to.include({
				field: 'applicationToken',
				message: 'The credential field "applicationToken" is empty',
			});
			expect(detailOf({ url, authMode: 'applicationToken', applicationToken: '  \n' })).to.include({ field: 'applicationToken' });
			expect(detailOf({ url, authMode: 'applicationToken', applicationToken: 'two words' })).to.include({ field: 'applicationToken' });
			expect(funnelback.parseConfig({ url: `${url}/`, username: 'u', password: 'p' })).to.deep.equal({ url, authMode: 'login', username: 'u', password: 'p', collections: [] });
			expect(funnelback.parseConfig({ url, authMode: 'applicationToken', applicationToken: ' t0ken\n', username: 'ignored', collections: ' client~sp-docs\n\nclient~push , client~sp-docs' })).to.deep.equal({
				url,
				authMode: 'applicationToken',
				applicationToken: 't0ken',
				collections: ['client~sp-docs', 'client~push'],
			});
			expect(detailOf({ url, username: 'u', password: 'p', collections: ['a'] })).to.include({ field: 'collections' });
		});
	});
});
