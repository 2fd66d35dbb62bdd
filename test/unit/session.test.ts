import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { BpmFailure, createTransport, executeRequest, Session, sessionConnection, type AuthScheme, type SessionState } from '../../core';

/** A minimal token server: POST /login yields a token; every other call needs it in X-T. */
async function tokenServer(password: string) {
	let token = '';
	let serial = 0;
	const stats = { logins: 0, rejected: 0, served: 0 };
	const server = http.createServer((req, res) => {
		if (req.url === '/login') {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				stats.logins++;
				if (new URLSearchParams(body).get('password') !== password) {
					res.writeHead(401).end();
					return;
				}
				token = `tok-${++serial}-abcdef`;
				// A slow login makes concurrent callers overlap with it.
				setTimeout(() => res.writeHead(200, { 'Content-Type': 'text/plain' }).end(token), 30);
			});
			return;
		}
		if (!token || req.headers['x-t'] !== token) {
			stats.rejected++;
			res.writeHead(401, { 'Content-Type': 'text/plain' }).end(`bad token ${String(req.headers['x-t'])}`);
			return;
		}
		stats.served++;
		if (req.url?.startsWith('/echo-forbidden')) {
			res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`your token is ${token} and your password is ${password}`);
			return;
		}
		res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		base,
		stats,
		expire: () => (token = ''),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function tokenScheme(base: string, password: string): AuthScheme<string> {
	return {
		label: 'Token',
		baseUrl: base,
		async login(wire) {
			const response = await wire.send({ method: 'POST', url: `${base}/login`, headers: {}, body: { kind: 'form', fields: [['password', password]] } });
			if (response.status !== 200 || response.body.kind !== 'text') throw new BpmFailure({ kind: 'login', message: `login refused (${response.status})`, status: response.status });
			return response.body.value;
		},
		authorize: (request, token) => ({ ...request, headers: { ...request.headers, 'X-T': token } }),
		isExpired: (response) => response.status === 401,
		secrets: (token) => [password, ...(token ? [token] : [])],
	};
}

describe('Session', () => {
	let server: Awaited<ReturnType<typeof tokenServer>>;
	beforeEach(async () => (server = await tokenServer('pw-secret')));
	afterEach(async () => server.close());

	it('logs in once for 16 concurrent first calls', async () => {
		const session = new Session(tokenScheme(server.base, 'pw-secret'), createTransport());
		const results = await Promise.all(Array.from({ length: 16 }, (_, i) => session.send({ method: 'GET', url: `${server.base}/item/${i}`, headers: {} })));
		expect(results.map((r) => r.response.status)).to.deep.equal(new Array(16).fill(200));
		expect(server.stats.logins).to.equal(1);
		session.close();
	});

	it('replaces an expired session with exactly one login and replays each call once', async () => {
		const session = new Session(tokenScheme(server.base, 'pw-secret'), createTransport());
		await session.send({ method: 'GET', url: `${server.base}/warm`, headers: {} });
		server.expire();
		const results = await Promise.all(Array.from({ length: 16 }, (_, i) => session.send({ method: 'GET', url: `${server.base}/item/${i}`, headers: {} })));
		expect(results.every((r) => r.response.status === 200 && r.attempts === 2)).to.equal(true);
		expect(server.stats.logins).to.equal(2);
		expect(server.stats.rejected).to.equal(16);
		session.close();
	});

	it('reports state changes and does not cache a failed login', async () => {
		const session = new Session(tokenScheme(server.base, 'wrong-password'), createTransport());
		const states: SessionState[] = [];
		session.onStateChange((state) => states.push(state));
		const connection = sessionConnection(session);
		const first = await executeRequest(connection, { method: 'GET', url: '/a' });
		const second = await executeRequest(connection, { method: 'GET', url: '/b' });
		expect(first.ok || second.ok).to.equal(false);
		expect(server.stats.logins).to.equal(2);
		if (!first.ok) {
			expect(first.error.kind).to.equal('login');
			expect(first.error.message).to.equal('login refused (401)');
			expect(JSON.stringify(first.error)).not.to.contain('wrong-password');
		}
		expect(states).to.deep.equal(['logging-in', 'login-failed', 'logging-in', 'login-failed']);
		session.close();
	});

	it('keeps the password and token out of error values, even when the server echoes them', async () => {
		const session = new Session(tokenScheme(server.base, 'pw-secret'), createTransport());
		const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: '/echo-forbidden?password=pw-secret' });
		expect(outcome.ok).to.equal(false);
		if (!outcome.ok) {
			expect(outcome.error.status).to.equal(403);
			expect(outcome.error.body).to.equal('your token is *** and your password is ***');
			expect(JSON.stringify(outcome.error)).not.to.match(/tok-1|pw-secret/);
		}
		session.close();
	});

	it('sends calls to another origin without authentication', async () => {
		const other = await tokenServer('x');
		const session = new Session(tokenScheme(server.base, 'pw-secret'), createTransport());
		const outcome = await executeRequest(sessionConnection(session), { method: 'GET', url: `${other.base}/x` });
		expect(outcome.ok).to.equal(false);
		if (!outcome.ok) expect(outcome.error.body).to.equal('bad token undefined');
		expect(server.stats.logins).to.equal(0);
		session.close();
		await other.close();
	});
});
