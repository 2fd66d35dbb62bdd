import { expect } from 'chai';
import { bonita, createSchemeSession, type BpmFailure, executeRequest, sessionConnection, type Session } from '../../core';
import { startBonitaSimulator, type BonitaSimulator, type BonitaSimulatorOptions } from '../simulators/bonita';

const PASSWORD = 'pw-Marker-9';

async function withSimulator(options: BonitaSimulatorOptions, body: (simulator: BonitaSimulator, session: Session) => Promise<void>, password = PASSWORD) {
	const simulator = await startBonitaSimulator({ users: { 'walter.bates': PASSWORD }, ...options });
	const session = createSchemeSession(bonita, { url: simulator.url, username: 'walter.bates', password });
	try {
		await body(simulator, session);
	} finally {
		session.close();
		await simulator.close();
	}
}

const tokenHeaders = (simulator: BonitaSimulator, method: string) =>
	simulator.requests.filter((r) => r.method === method && r.path.includes('/API/')).map((r) => r.headers['x-bonita-api-token']);

describe('Bonita scheme against the simulator', () => {
	it('logs in once, then sends the token header on every call, safe or not', async () => {
		await withSimulator({}, async (simulator, session) => {
			const connection = sessionConnection(session);
			const list = await executeRequest(connection, { method: 'GET', url: 'API/bpm/process', query: [{ name: 'f', value: 'name=Registration' }] });
			expect(list.ok && list.value.status).to.equal(200);
			const processId = list.ok ? (list.value.body as { value: Array<{ id: string }> }).value[0].id : '';
			const started = await executeRequest(connection, { method: 'POST', url: `API/bpm/process/${processId}/instantiation`, json: { name: 'Walter' } });
			expect(started.ok && started.value.body).to.deep.include({ kind: 'json' });
			expect(simulator.stats.logins).to.equal(1);
			expect(simulator.stats.csrfRejections).to.equal(0);
			const sent = [...tokenHeaders(simulator, 'GET'), ...tokenHeaders(simulator, 'POST')];
			expect(sent).to.have.length(2);
			expect(sent.every((token) => typeof token === 'string' && token.length > 10)).to.equal(true);
		});
	});

	it('turns a contract violation into an error value with the status and body, and no re-login', async () => {
		await withSimulator({}, async (simulator, session) => {
			const connection = sessionConnection(session);
			const list = await executeRequest(connection, { method: 'GET', url: 'API/bpm/process?f=name%3DRegistration' });
			const processId = list.ok ? (list.value.body as { value: Array<{ id: string }> }).value[0].id : '';
			const outcome = await executeRequest(connection, { method: 'POST', url: `API/bpm/process/${processId}/instantiation`, json: {} });
			expect(outcome.ok).to.equal(false);
			if (outcome.ok) return;
			expect(outcome.error).to.include({ kind: 'http', status: 400, attempts: 1, method: 'POST' });
			expect(outcome.error.body).to.contain('Expected input [name] is missing');
			expect(simulator.stats.logins).to.equal(1);
		});
	});

	it('on expiry with 16 calls in flight, logs in exactly once more and replays each call once', async () => {
		await withSimulator({}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'API/bpm/process' });
			simulator.expireSessions();
			const outcomes = await Promise.all(Array.from({ length: 16 }, () => executeRequest(connection, { method: 'GET', url: 'API/bpm/humanTask?f=state%3Dready' })));
			expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(2));
			expect(simulator.stats.logins).to.equal(2);
		});
	});

	it('reads the token from API/system/session/unusedId when the cookie path hides it', async () => {
		await withSimulator({ tokenCookiePath: '/elsewhere' }, async (simulator, session) => {
			const outcome = await executeRequest(sessionConnection(session), { method: 'PUT', url: 'API/bpm/humanTask/20001', json: { assigned_id: '4' } });
			expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
			expect(simulator.requests.some((r) => r.path.endsWith('/API/system/session/unusedId'))).to.equal(true);
			expect(simulator.stats.csrfRejections).to.equal(0);
		});
	});

	it('works with the session cookie alone when the server issues no token (7.3, CSRF off)', async () => {
		await withSimulator({ csrf: false }, async (simulator, session) => {
			const outcome = await executeRequest(sessionConnection(session), { method: 'PUT', url: 'API/bpm/humanTask/20001', json: { assigned_id: '4' } });
			expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
			expect(tokenHeaders(simulator, 'PUT')).to.deep.equal([undefined]);
		});
	});

	it('reports bad credentials as a login error without the password, and retries the login on the next call', async () => {
		await withSimulator(
			{},
			async (simulator, session) => {
				const connection = sessionConnection(session);
				const first = await executeRequest(connection, { method: 'GET', url: 'API/bpm/process' });
				const second = await executeRequest(connection, { method: 'GET', url: 'API/bpm/process' });
				for (const outcome of [first, second]) {
					expect(outcome.ok).to.equal(false);
					if (!outcome.ok) expect(outcome.error).to.include({ kind: 'login', status: 401, message: 'Bonita rejected the username or password (401)' });
				}
				expect(simulator.stats.loginFailures).to.equal(2);
				expect(JSON.stringify([first, second])).not.to.contain('wrong-Marker');
			},
			'wrong-Marker-pw',
		);
	});

	it('logs out: the server destroys the session and the next call logs in again', async () => {
		await withSimulator({}, async (simulator, session) => {
			const connection = sessionConnection(session);
			await executeRequest(connection, { method: 'GET', url: 'API/bpm/process' });
			await session.logout();
			expect(simulator.stats.logouts).to.equal(1);
			expect(session.state).to.equal('logged-out');
			const again = await executeRequest(connection, { method: 'GET', url: 'API/bpm/process' });
			expect(again.ok && again.attempts).to.equal(1);
			expect(simulator.stats.logins).to.equal(2);
		});
	});

	it('refuses a credential without a usable base URL, naming the field', () => {
		const fieldOf = (data: Record<string, unknown>) => {
			try {
				bonita.parseConfig(data);
			} catch (error) {
				return (error as BpmFailure).detail;
			}
			return undefined;
		};
		expect(fieldOf({ url: 'localhost:8080/bonita', username: 'u', password: 'p' })).to.include({ kind: 'input', field: 'url' });
		expect(fieldOf({ url: 'http://h/bonita?x=1', username: 'u', password: 'p' })).to.include({ field: 'url' });
		expect(fieldOf({ url: 'http://h/bonita', username: '', password: 'p' })).to.include({ field: 'username', message: 'The credential field "username" is empty' });
	});
});
