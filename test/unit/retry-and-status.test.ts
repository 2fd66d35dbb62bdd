import { expect } from 'chai';
import { BpmFailure, calculateRetryDelay, executeRequest, isFailureStatus, NO_RETRY, parseRetryAfter, parseStatusCodes, Session, sessionConnection, type AuthScheme, type RetryPolicy, type Transport } from '../../core';

const policy: RetryPolicy = { ...NO_RETRY, maxAttempts: 5, retryOn5xx: true, retryCodes: [429], retryOnNetworkError: true, baseDelayMs: 100, maxDelayMs: 1000 };
const top = () => 0.999999;

describe('calculateRetryDelay', () => {
	it('backs off exponentially with full jitter, capped', () => {
		const delays = [1, 2, 3, 4].map((attempt) => calculateRetryDelay(policy, { attempt, method: 'GET', status: 503 }, top));
		expect(delays).to.deep.equal([100, 200, 400, 800]);
		expect(calculateRetryDelay({ ...policy, maxAttempts: 10 }, { attempt: 6, method: 'GET', status: 503 }, top)).to.equal(1000);
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'GET', status: 503 }, () => 0)).to.equal(0);
	});

	it('stops after the last attempt', () => {
		expect(calculateRetryDelay(policy, { attempt: 5, method: 'GET', status: 503 }, top)).to.equal(undefined);
	});

	it('retries only listed statuses, 5xx when asked, and network failures when asked', () => {
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'GET', status: 404 }, top)).to.equal(undefined);
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'GET', status: 429 }, top)).to.equal(100);
		expect(calculateRetryDelay({ ...policy, retryOn5xx: false }, { attempt: 1, method: 'GET', status: 500 }, top)).to.equal(undefined);
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'DELETE', failedBeforeResponse: true }, top)).to.equal(100);
		expect(calculateRetryDelay({ ...policy, retryOnNetworkError: false }, { attempt: 1, method: 'GET', failedBeforeResponse: true }, top)).to.equal(undefined);
	});

	it('never repeats POST or PATCH unless the call is declared safe to repeat', () => {
		for (const method of ['POST', 'PATCH'] as const) {
			expect(calculateRetryDelay(policy, { attempt: 1, method, status: 503 }, top)).to.equal(undefined);
			expect(calculateRetryDelay({ ...policy, retryUnsafeMethods: true }, { attempt: 1, method, status: 503 }, top)).to.equal(100);
		}
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'PUT', status: 503 }, top)).to.equal(100);
	});

	it('never repeats a sent write that is not idempotent whatever its method (an action run on GET), but one refused with 429 or never sent', () => {
		const never = { ...policy, neverRepeatSent: true, retryUnsafeMethods: true };
		for (const method of ['GET', 'PUT', 'POST'] as const) {
			expect(calculateRetryDelay(never, { attempt: 1, method, status: 503 }, top), method).to.equal(undefined);
			expect(calculateRetryDelay(never, { attempt: 1, method, failedBeforeResponse: true }, top), method).to.equal(undefined);
		}
		expect(calculateRetryDelay(never, { attempt: 1, method: 'GET', status: 429 }, top)).to.equal(100);
		expect(calculateRetryDelay(never, { attempt: 1, method: 'GET', status: 503, notSent: true }, top)).to.equal(100);
	});

	it('repeats a POST whose login failed: the call itself never left', () => {
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'POST', status: 503, notSent: true }, top)).to.equal(100);
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'POST', status: 401, notSent: true }, top)).to.equal(undefined);
	});

	it('repeats a POST refused with 429, which the server did not process (a quota), after its Retry-After', () => {
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'POST', status: 429, retryAfterMs: 2000 }, top)).to.equal(2000);
		expect(calculateRetryDelay({ ...policy, retryCodes: [] }, { attempt: 1, method: 'POST', status: 429 }, top)).to.equal(undefined);
	});

	it('honours Retry-After up to the cap, and gives up beyond it', () => {
		expect(calculateRetryDelay(policy, { attempt: 1, method: 'GET', status: 429, retryAfterMs: 3000 }, top)).to.equal(3000);
		expect(calculateRetryDelay({ ...policy, maxRetryAfterMs: 2000 }, { attempt: 1, method: 'GET', status: 429, retryAfterMs: 3000 }, top)).to.equal(undefined);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-11-23T10:00:00Z');
	it('reads seconds and the three HTTP-date forms', () => {
		expect(parseRetryAfter('120', now)).to.equal(120_000);
		expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).to.equal(30_000);
		expect(parseRetryAfter('Monday, 23-Nov-26 10:00:30 GMT', now)).to.equal(30_000);
		expect(parseRetryAfter('Mon Nov 23 10:00:30 2026', now)).to.equal(30_000);
	});
	it("reads Java's Date.toString, as Bonita's Spring endpoints send it, whatever its zone abbreviation", () => {
		expect(parseRetryAfter('Mon Nov 23 10:00:30 UTC 2026', now)).to.equal(30_000);
		expect(parseRetryAfter('Mon Nov 23 10:00:30 CET 2026', now)).to.equal(30_000);
		expect(parseRetryAfter('Mon Nov 23 10:00:30 Mars 2026x', now)).to.equal(undefined);
	});
	it('treats a past date as now and garbage as absent', () => {
		expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).to.equal(0);
		expect(parseRetryAfter('soon', now)).to.equal(undefined);
		expect(parseRetryAfter(undefined, now)).to.equal(undefined);
	});
});

describe('status policy', () => {
	it('fails on 4xx and 5xx as configured, except the listed codes', () => {
		const policy = { failOn4xx: true, failOn5xx: false, exceptCodes: [404] };
		expect([400, 404, 409, 500, 503, 200, 302].map((s) => isFailureStatus(s, policy))).to.deep.equal([true, false, true, false, false, false, false]);
	});

	it('parses code lists and refuses anything else, naming the field', () => {
		expect(parseStatusCodes('404, 409 429;500', 'exceptCodes')).to.deep.equal([404, 409, 429, 500]);
		expect(parseStatusCodes('', 'exceptCodes')).to.deep.equal([]);
		for (const bad of ['40x', '4040', '99', '600', 'abc']) {
			try {
				parseStatusCodes(`404,${bad}`, 'retryCodes');
				expect.fail(`accepted ${bad}`);
			} catch (error) {
				expect((error as BpmFailure).detail).to.include({ kind: 'input', field: 'retryCodes' });
			}
		}
	});
});

describe('a call whose login endpoint is down', () => {
	const failingLogins = (statuses: number[]) => {
		let logins = 0;
		const scheme: AuthScheme<string> = {
			label: 'Test',
			async login() {
				const status = statuses[logins++];
				if (status) throw new BpmFailure({ kind: 'login', status, message: `login answered ${status}` });
				return 'token';
			},
			authorize: (request) => request,
			isExpired: () => false,
			secrets: () => [],
		};
		const sent: string[] = [];
		const transport = {
			send: async (request: { method: string }) => {
				sent.push(request.method);
				return { status: 201, statusText: 'Created', headers: {}, body: { kind: 'empty' as const }, url: 'http://h/x' };
			},
			cookieValues: () => [],
		} as unknown as Transport;
		return { connection: sessionConnection(new Session(scheme, transport)), sent, logins: () => logins };
	};

	it('is retried per the policy, POST included, and sent once the login works', async () => {
		const { connection, sent, logins } = failingLogins([503]);
		const outcome = await executeRequest(connection, { method: 'POST', url: 'http://h/x', json: {}, options: { maxAttempts: 2, retryDelayMs: 1 } });
		expect(outcome.ok && outcome.value.status).to.equal(201);
		expect([logins(), sent]).to.deep.equal([2, ['POST']]);
	});

	it('fails at once when the login is refused (401), or when retry is off', async () => {
		const refused = failingLogins([401]);
		const outcome = await executeRequest(refused.connection, { method: 'GET', url: 'http://h/x', options: { maxAttempts: 3, retryDelayMs: 1 } });
		expect(!outcome.ok && outcome.error).to.include({ kind: 'login', status: 401 });
		expect(refused.logins()).to.equal(1);
		const noRetry = failingLogins([503]);
		expect((await executeRequest(noRetry.connection, { method: 'GET', url: 'http://h/x' })).ok).to.equal(false);
		expect(noRetry.logins()).to.equal(1);
	});
});
