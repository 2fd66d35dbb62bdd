import { expect } from 'chai';
import { createTransport, createSchemeSession, executeRequest, Session, sessionConnection, type BpmFailure } from '../../core';
import { baw } from '../../core/schemes/baw';
import { startBawSimulator, type BawSimulator, type BawSimulatorOptions } from '../simulators/baw';
import { BPD_VACATION } from '../simulators/baw/data';

const PASSWORD = 'pw-Marker-9';

interface Login {
	username?: string;
	password?: string;
	requestedLifetime?: number | string;
}

async function withSimulator(options: BawSimulatorOptions, body: (simulator: BawSimulator, session: Session) => Promise<void>, login: Login = {}) {
	const simulator = await startBawSimulator({ users: { admin: PASSWORD, viewer: PASSWORD }, ...options });
	const session = createSchemeSession(baw, { url: simulator.url, username: 'admin', password: PASSWORD, ...login });
	try {
		await body(simulator, session);
	} finally {
		session.close();
		await simulator.close();
	}
}

/** Moves Date.now (the session's renewal clock and, through the clock option, the simulator's) forward. */
async function withFakeTime(body: (advance: (ms: number) => void) => Promise<void>) {
	const realNow = Date.now;
	let offset = 0;
	Date.now = () => realNow() + offset;
	try {
		await body((ms) => (offset += ms));
	} finally {
		Date.now = realNow;
	}
}

const apiCalls = (simulator: BawSimulator) => simulator.requests.filter((r) => !r.path.endsWith('/bpm/system/login'));
const logins = (simulator: BawSimulator) => simulator.requests.filter((r) => r.path.endsWith('/bpm/system/login'));
const get = (session: Session, url: string) => executeRequest(sessionConnection(session), { method: 'GET', url });

describe('IBM BAW scheme against the simulator', () => {
	it('logs in once with Basic and a JSON body, then sends BPMCSRFToken on every call, GET included', async () => {
		await withSimulator({}, async (simulator, session) => {
			const connection = sessionConnection(session);
			const list = await executeRequest(connection, { method: 'GET', url: 'bpm/processes' });
			expect(list.ok && list.value.status).to.equal(200);
			const tasks = await executeRequest(connection, { method: 'GET', url: 'bpm/user-tasks' });
			expect(tasks.ok && tasks.value.status).to.equal(200);
			const deleted = await executeRequest(connection, { method: 'DELETE', url: 'bpm/processes/303' });
			expect(deleted.ok && deleted.value.status).to.equal(204);
			expect(simulator.stats).to.include({ logins: 1, csrfRejections: 0, unauthorized: 0 });
			const [login] = logins(simulator);
			expect(login.method).to.equal('POST');
			expect(login.headers.authorization).to.equal(`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`);
			expect(login.headers['content-type']).to.match(/^application\/json/);
			const tokens = apiCalls(simulator).map((r) => r.headers.bpmcsrftoken);
			expect(tokens).to.have.length(3);
			expect(new Set(tokens).size).to.equal(1);
			expect(tokens[0]).to.be.a('string').with.length.above(10);
			expect(apiCalls(simulator).every((r) => r.headers.authorization === login.headers.authorization)).to.equal(true);
			expect(apiCalls(simulator).every((r) => String(r.headers.cookie).includes('LtpaToken2='))).to.equal(true);
		});
	});

	it('on CWTBG0651E with 16 calls in flight, logs in exactly once more and replays each call once', async () => {
		await withSimulator({}, async (simulator, session) => {
			await get(session, 'bpm/processes');
			simulator.expireSessions();
			const outcomes = await Promise.all(Array.from({ length: 16 }, () => get(session, 'bpm/user-tasks')));
			expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(2));
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.csrfRejections).to.equal(16);
		});
	});

	it('returns a permission 403 (CWTBG0019E) as an http error, without logging in again', async () => {
		await withSimulator(
			{},
			async (simulator, session) => {
				const outcome = await executeRequest(sessionConnection(session), { method: 'DELETE', url: 'bpm/processes/301' });
				expect(outcome.ok).to.equal(false);
				if (outcome.ok) return;
				expect(outcome.error).to.include({ kind: 'http', status: 403, attempts: 1, method: 'DELETE' });
				expect(outcome.error.body).to.contain('CWTBG0019E');
				expect(simulator.stats.logins).to.equal(1);
				expect(session.state).to.equal('logged-in');
			},
			{ username: 'viewer' },
		);
	});

	it('reports bad credentials as a login error naming BAW and the status, without the password', async () => {
		await withSimulator(
			{},
			async (simulator, session) => {
				const first = await get(session, 'bpm/processes');
				const second = await get(session, 'bpm/processes');
				for (const outcome of [first, second]) {
					expect(outcome.ok).to.equal(false);
					if (!outcome.ok) expect(outcome.error).to.include({ kind: 'login', status: 401, message: 'IBM BAW rejected the username or password (401)' });
				}
				expect(simulator.stats.loginFailures).to.equal(2);
				expect(simulator.stats.apiCalls).to.equal(0);
				expect(JSON.stringify([first, second])).not.to.contain('wrong-Marker');
			},
			{ password: 'wrong-Marker-pw' },
		);
	});

	it('reports another login status as a login error with the status and the BAW message', async () => {
		// parseConfig refuses a fractional lifetime, so build the scheme directly: the server answers 400 CWTBG0012E.
		const simulator = await startBawSimulator({ users: { admin: PASSWORD } });
		const scheme = baw.createScheme({ url: simulator.url, username: 'admin', password: PASSWORD, requestedLifetime: 0.5, refreshGroups: false });
		const session = new Session(scheme, createTransport());
		try {
			const outcome = await get(session, 'bpm/processes');
			expect(outcome.ok).to.equal(false);
			if (outcome.ok) return;
			expect(outcome.error).to.include({ kind: 'login', status: 400 });
			expect(outcome.error.message).to.match(/^IBM BAW login answered 400 .*instead of 201: CWTBG0012E: /);
			expect(simulator.stats.apiCalls).to.equal(0);
		} finally {
			session.close();
			await simulator.close();
		}
	});

	for (const expirationFormat of ['seconds', 'epoch'] as const) {
		it(`renews the login before the granted lifetime runs out (expiration as ${expirationFormat})`, async () => {
			await withFakeTime(async (advance) => {
				await withSimulator(
					{ clock: () => Date.now(), expirationFormat },
					async (simulator, session) => {
						expect((await get(session, 'bpm/processes')).ok).to.equal(true);
						advance(50_000);
						expect((await get(session, 'bpm/processes')).ok).to.equal(true);
						expect(simulator.stats.logins).to.equal(1);
						// 60 s granted: renewed a tenth before, at 54 s, so no call ever meets the expiry.
						advance(5_000);
						const renewed = await get(session, 'bpm/processes');
						expect(renewed.ok && renewed.attempts).to.equal(1);
						expect(simulator.stats).to.include({ logins: 2, csrfRejections: 0 });
						advance(50_000);
						expect((await get(session, 'bpm/processes')).ok).to.equal(true);
						expect(simulator.stats).to.include({ logins: 2, csrfRejections: 0 });
					},
					{ requestedLifetime: '60' },
				);
			});
		});
	}

	it('keeps working when the LTPA cookie times out before the csrf token (Basic on every call)', async () => {
		await withFakeTime(async (advance) => {
			await withSimulator({ clock: () => Date.now(), ltpaTimeoutSeconds: 60 }, async (simulator, session) => {
				expect((await get(session, 'bpm/processes')).ok).to.equal(true);
				advance(61_000);
				const later = await get(session, 'bpm/processes');
				expect(later.ok && later.attempts).to.equal(1);
				expect(simulator.stats).to.include({ logins: 1, unauthorized: 0, csrfRejections: 0 });
			});
		});
	});

	it('works under a cloud prefix (https://host/<offering>/<environment>)', async () => {
		await withSimulator({ prefix: '/baw/dev' }, async (simulator, session) => {
			expect(simulator.url).to.match(/\/baw\/dev$/);
			const outcome = await get(session, 'bpm/user-tasks');
			expect(outcome.ok && outcome.value.status).to.equal(200);
			expect(logins(simulator).map((r) => r.path)).to.deep.equal(['/baw/dev/bpm/system/login']);
			expect(simulator.stats).to.include({ logins: 1, csrfRejections: 0 });
		});
	});

	it('echoes the XSRF-TOKEN cookie for classic WLE writes when the server checks it', async () => {
		await withSimulator({ wleXsrfCheck: true }, async (simulator, session) => {
			const outcome = await executeRequest(sessionConnection(session), {
				method: 'POST',
				url: 'rest/bpm/wle/v1/process',
				query: [
					{ name: 'action', value: 'start' },
					{ name: 'bpdId', value: BPD_VACATION.bpdId },
					{ name: 'processAppId', value: BPD_VACATION.app.processAppId },
				],
			});
			expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
			expect(simulator.stats).to.include({ logins: 1, csrfRejections: 0 });
		});
	});

	it('parses the credential: lifetime 1..7200 (numbers or strings, default 7200), refreshGroups true or "true"', () => {
		const base = { url: 'https://baw.example.com/baw/dev/', username: 'u', password: 'p' };
		expect(baw.parseConfig(base)).to.deep.equal({ url: 'https://baw.example.com/baw/dev', username: 'u', password: 'p', requestedLifetime: 7200, refreshGroups: false });
		expect(baw.parseConfig({ ...base, requestedLifetime: '60', refreshGroups: 'true' })).to.include({ requestedLifetime: 60, refreshGroups: true });
		expect(baw.parseConfig({ ...base, requestedLifetime: 7200, refreshGroups: true })).to.include({ requestedLifetime: 7200, refreshGroups: true });
		expect(baw.parseConfig({ ...base, requestedLifetime: '', refreshGroups: false })).to.include({ requestedLifetime: 7200, refreshGroups: false });
	});

	it('refuses a bad lifetime or base URL, naming the field', () => {
		const detailOf = (data: Record<string, unknown>) => {
			try {
				baw.parseConfig({ url: 'https://h', username: 'u', password: 'p', ...data });
			} catch (error) {
				return (error as BpmFailure).detail;
			}
			return undefined;
		};
		for (const requestedLifetime of [0, 7201, 1.5, -5, 'abc', '7201', '1e3']) {
			expect(detailOf({ requestedLifetime }), String(requestedLifetime)).to.include({ kind: 'input', field: 'requestedLifetime' });
		}
		expect(detailOf({ requestedLifetime: 0 })?.message).to.equal('The credential field "requestedLifetime" must be a whole number of seconds from 1 to 7200');
		expect(detailOf({ refreshGroups: 'yes' })).to.include({ kind: 'input', field: 'refreshGroups' });
		expect(detailOf({ url: 'baw.example.com' })).to.include({ kind: 'input', field: 'url' });
		expect(detailOf({ username: 'a:b' })).to.include({ kind: 'input', field: 'username' });
		expect(detailOf({ password: '' })).to.include({ kind: 'input', field: 'password' });
	});

	it('lists the password and tokens as secrets, and has no logout', async () => {
		await withSimulator({}, async (_simulator, session) => {
			await get(session, 'bpm/processes');
			const secrets = session.secrets();
			expect(secrets).to.include(PASSWORD);
			expect(secrets).to.include(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
			expect(secrets.length).to.be.at.least(4);
			expect(session.scheme.logout).to.equal(undefined);
		});
	});
});
