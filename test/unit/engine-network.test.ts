import { expect } from 'chai';
import { createTransport, executeRequest, plainConnection, type CallOptions, type Connection, type Outcome, type HttpResponse, type RequestInput, type Transport } from '../../core';
import { startFaultServer, type FaultServer } from '../peers/fault-server';
import { createTestPki, type Pki } from '../peers/pki';
import { startTlsServer } from '../peers/tls-server';
import { startSquid, startTinyproxy, type RunningProxy } from '../peers/proxies';

const retrying: CallOptions = { maxAttempts: 4, retryOn5xx: true, retryCodes: '429', retryOnNetworkError: true, retryDelayMs: 10 };

function errorOf(outcome: Outcome<HttpResponse>) {
	if (outcome.ok) throw new Error(`expected a failure, got ${outcome.value.status}`);
	return outcome.error;
}

describe('engine against a fault-injecting server', function () {
	this.timeout(30_000);
	let server: FaultServer;
	let other: FaultServer;
	let transport: Transport;
	let connection: Connection;
	const call = (input: RequestInput, options?: CallOptions, onRetry?: (n: number, max: number) => void) =>
		executeRequest(connection, { ...input, options: { ...options, ...input.options } }, { onRetry: (n, max) => onRetry?.(n, max) });

	before(async () => {
		server = await startFaultServer();
		other = await startFaultServer();
	});
	after(async () => Promise.all([server.close(), other.close()]));
	beforeEach(() => {
		server.reset();
		other.reset();
		transport = createTransport();
		connection = plainConnection(transport);
	});
	afterEach(() => transport.close());

	it('retries a 5xx burst with backoff and reports the attempts', async () => {
		const seen: string[] = [];
		const outcome = await call({ method: 'GET', url: `${server.url}/burst/2/503?key=a` }, retrying, (n, max) => seen.push(`retry ${n}/${max}`));
		expect(outcome.ok && outcome.attempts).to.equal(3);
		expect(seen).to.deep.equal(['retry 2/4', 'retry 3/4']);
	});

	it('gives up after the last attempt with the status and every attempt counted', async () => {
		const error = errorOf(await call({ method: 'GET', url: `${server.url}/burst/9/502?key=b` }, retrying));
		expect(error).to.include({ kind: 'http', status: 502, attempts: 4 });
	});

	it('honours Retry-After on 429', async () => {
		const started = Date.now();
		const outcome = await call({ method: 'GET', url: `${server.url}/retry-after/1?key=c` }, retrying);
		expect(outcome.ok && outcome.attempts).to.equal(2);
		expect(Date.now() - started).to.be.at.least(950);
	});

	it('does not repeat a POST unless told it is safe, even on a connection reset', async () => {
		const error = errorOf(await call({ method: 'POST', url: `${server.url}/reset?key=d&times=1`, json: { a: 1 } }, retrying));
		expect(error.kind).to.equal('network');
		expect(server.hits('/reset')).to.equal(1);
		const safe = await call({ method: 'POST', url: `${server.url}/reset?key=e&times=1`, json: { a: 1 } }, { ...retrying, safeToRepeat: true });
		expect(safe.ok && safe.attempts).to.equal(2);
	});

	it('applies fail-on-4xx/5xx with exception codes', async () => {
		const lenient: CallOptions = { failOn4xx: true, failOn5xx: false, exceptCodes: '404' };
		expect((await call({ method: 'GET', url: `${server.url}/status/404` }, lenient)).ok).to.equal(true);
		expect((await call({ method: 'GET', url: `${server.url}/status/500` }, lenient)).ok).to.equal(true);
		expect(errorOf(await call({ method: 'GET', url: `${server.url}/status/409` }, lenient)).status).to.equal(409);
	});

	it('cuts off a body trickled past the total deadline and reports a timeout', async () => {
		const started = Date.now();
		const error = errorOf(await call({ method: 'GET', url: `${server.url}/trickle?bytes=50&intervalMs=100`, options: { deadlineMs: 800 } }));
		expect(error.kind).to.equal('timeout');
		expect(error.message).to.contain('800 ms deadline');
		expect(Date.now() - started).to.be.below(2500);
	});

	it('starts the timeout only when a socket is free: a burst beyond the pool waits its turn', async () => {
		// 128 calls at once, 32 sockets, 150 ms per answer: the last wave starts after about 450 ms, past the 400 ms timeout.
		const outcomes = await Promise.all(Array.from({ length: 128 }, () => call({ method: 'GET', url: `${server.url}/slow-headers/150` }, { timeoutMs: 400 })));
		expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.error.message)).to.deep.equal([]);
		expect(server.hits('/slow-headers/150')).to.equal(128);
	});

	it('times out a server that is slow to answer', async () => {
		const error = errorOf(await call({ method: 'GET', url: `${server.url}/slow-headers/3000`, options: { timeoutMs: 300 } }));
		expect(error.kind).to.equal('timeout');
	});

	it('stops a call in flight when its signal aborts: the socket is closed at once and the call is not retried', async () => {
		const controller = new AbortController();
		const started = Date.now();
		setTimeout(() => controller.abort(), 200);
		const error = errorOf(await executeRequest(connection, { method: 'GET', url: `${server.url}/slow-headers/5000`, options: retrying, signal: controller.signal }));
		expect(error).to.include({ kind: 'network', code: 'ABORTED', attempts: 1 });
		expect(Date.now() - started).to.be.below(1000);
		// Retried, a stopped call would be a second request; aborted before it starts, none is sent.
		expect(server.hits('/slow-headers/5000')).to.equal(1);
		const before = errorOf(await executeRequest(connection, { method: 'GET', url: `${server.url}/json`, options: retrying, signal: controller.signal }));
		expect(before).to.include({ code: 'ABORTED' });
		expect(server.hits('/json')).to.equal(0);
	});

	it('refuses a body over the size limit with a clear message', async () => {
		const error = errorOf(await call({ method: 'GET', url: `${server.url}/huge/200000`, options: { maxResponseBytes: 100_000 } }));
		expect(error.message).to.contain('larger than the 100000-byte limit');
	});

	it('keeps repeated response headers and drops __proto__ keys from JSON', async () => {
		const repeated = await call({ method: 'GET', url: `${server.url}/headers/repeat` });
		expect(repeated.ok && repeated.value.headers['x-multi']).to.deep.equal(['a', 'b']);
		const proto = await call({ method: 'GET', url: `${server.url}/json/proto` });
		expect(proto.ok && proto.value.body.kind).to.equal('json');
		expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
	});

	it('follows a redirect to another origin without any credential header or cookie', async () => {
		await call({ method: 'GET', url: `${server.url}/cookies/set?sid=secret-cookie` });
		const target = `${other.url}/echo`;
		const outcome = await call({
			method: 'GET',
			url: `${server.url}/redirect?to=${encodeURIComponent(target)}`,
			headers: [
				{ name: 'Authorization', value: 'Bearer top-secret' },
				{ name: 'X-API-Key', value: 'key-secret' },
				{ name: 'X-Bonita-API-Token', value: 'tok-secret' },
				{ name: 'Accept', value: 'application/json' },
			],
		});
		expect(outcome.ok).to.equal(true);
		const received = other.requests.at(-1)!.headers;
		expect(received).not.to.have.any.keys('authorization', 'x-api-key', 'x-bonita-api-token', 'cookie');
		expect(received.accept).to.equal('application/json');
	});

	it('keeps headers and cookies on a same-origin redirect; 303 turns a POST into a GET', async () => {
		await call({ method: 'GET', url: `${server.url}/cookies/set?sid=abc` });
		const outcome = await call({ method: 'POST', url: `${server.url}/redirect?code=303&to=/echo`, headers: [{ name: 'X-API-Key', value: 'k' }], json: { a: 1 } });
		const echoed = outcome.ok ? (outcome.value.body as { value: { method: string; headers: Record<string, string> } }).value : undefined;
		expect(echoed?.method).to.equal('GET');
		expect(echoed?.headers['x-api-key']).to.equal('k');
		expect(echoed?.headers.cookie).to.equal('sid=abc');
	});

	it('does not follow redirects when told not to', async () => {
		const outcome = await call({ method: 'GET', url: `${server.url}/redirect?to=/echo`, options: { followRedirects: false } });
		expect(outcome.ok && outcome.value.status).to.equal(302);
	});
});

describe('engine over TLS', function () {
	this.timeout(60_000);
	let pki: Pki;
	before(async () => (pki = await createTestPki()));

	const get = async (url: string, options: CallOptions) => {
		const transport = createTransport();
		try {
			return await executeRequest(plainConnection(transport), { method: 'GET', url, options });
		} finally {
			transport.close();
		}
	};

	it('refuses an unknown CA with a clear message, accepts it once added, and accepts anything with verification off', async () => {
		const server = await startTlsServer(pki);
		try {
			const refused = errorOf(await get(server.url, {}));
			expect(refused.kind).to.equal('tls');
			expect(refused.message).to.contain('certificate was refused');
			expect((await get(server.url, { ca: pki.ca.cert })).ok).to.equal(true);
			expect((await get(server.url, { allowUnauthorizedCerts: true })).ok).to.equal(true);
		} finally {
			await server.close();
		}
	});

	it('checks the host name against the certificate', async () => {
		const server = await startTlsServer(pki, { cert: 'wrong-host' });
		try {
			const error = errorOf(await get(server.url, { ca: pki.ca.cert }));
			expect(error.kind).to.equal('tls');
			expect(error.message).to.match(/ALTNAME|HOST/i);
		} finally {
			await server.close();
		}
	});

	it('presents a client certificate from PEM or PKCS#12', async () => {
		const server = await startTlsServer(pki, { requireClientCert: true });
		try {
			expect(errorOf(await get(server.url, { ca: pki.ca.cert })).status).to.equal(401);
			expect((await get(server.url, { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key })).ok).to.equal(true);
			expect(server.lastClient().authorized).to.equal(true);
			expect((await get(server.url, { ca: pki.ca.cert, pfx: pki.clientP12.pfx, passphrase: pki.clientP12.passphrase })).ok).to.equal(true);
		} finally {
			await server.close();
		}
	});

	it('explains a legacy PKCS#12 and a wrong passphrase, naming the tls field', async () => {
		const legacy = errorOf(await get('https://127.0.0.1:9/', { pfx: pki.clientLegacyP12.pfx, passphrase: pki.clientLegacyP12.passphrase }));
		expect(legacy).to.include({ kind: 'input', field: 'tls' });
		expect(legacy.message).to.contain('legacy encryption');
		const wrong = errorOf(await get('https://127.0.0.1:9/', { pfx: pki.clientP12.pfx, passphrase: 'wrong' }));
		expect(wrong.message).to.contain('passphrase');
	});
});

describe('engine through real proxies', function () {
	this.timeout(120_000);
	let pki: Pki;
	let origin: FaultServer;
	before(async () => {
		pki = await createTestPki();
		origin = await startFaultServer();
	});
	after(async () => origin.close());

	for (const [name, start] of [
		['tinyproxy', startTinyproxy],
		['squid', startSquid],
	] as const) {
		describe(name, () => {
			let proxy: RunningProxy;
			let transport: Transport;
			before(async () => (proxy = await start({ user: 'proxyuser', password: 'proxypass' })));
			after(async () => proxy?.close());
			beforeEach(() => (transport = createTransport()));
			afterEach(() => transport.close());
			const via = (url: string, options: CallOptions) => executeRequest(plainConnection(transport), { method: 'GET', url, options });
			const withAuth: CallOptions = { proxyUrl: '', proxyUsername: 'proxyuser', proxyPassword: 'proxypass' };

			it('forwards http calls with proxy authentication, keeping session cookies', async () => {
				const options = { ...withAuth, proxyUrl: proxy.url };
				expect((await via(`${origin.url}/cookies/set?sid=kept`, options)).ok).to.equal(true);
				const echoed = await via(`${origin.url}/cookies/echo`, options);
				expect(echoed.ok && (echoed.value.body as { value: { cookie: string } }).value.cookie).to.equal('sid=kept');
				await proxy.waitForRequest(/cookies\/echo/);
				expect(origin.requests.at(-1)!.headers['proxy-authorization']).to.equal(undefined);
			});

			it('tunnels https with CONNECT, with a client certificate, the path never seen by the proxy', async () => {
				const server = await startTlsServer(pki, { requireClientCert: true });
				try {
					const outcome = await via(`${server.url}/secret-path`, { ...withAuth, proxyUrl: proxy.url, ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key });
					expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
					expect(server.lastClient().authorized).to.equal(true);
					transport.close();
					await proxy.waitForRequest(/CONNECT/);
					expect(proxy.logs()).not.to.contain('secret-path');
				} finally {
					await server.close();
				}
			});

			it('reports refused proxy credentials as a proxy error, never as the target answering', async () => {
				for (const url of [`${origin.url}/echo`, 'https://127.0.0.1:9/']) {
					const outcome = await via(url, { proxyUrl: proxy.url, proxyUsername: 'proxyuser', proxyPassword: 'wrong' });
					expect(outcome.ok).to.equal(false);
					if (!outcome.ok) {
						expect(outcome.error.kind, url).to.equal('proxy');
						expect(JSON.stringify(outcome.error)).not.to.contain('wrong');
					}
				}
			});

			it('goes direct for hosts listed in no-proxy', async () => {
				// Squid logs a request when it completes, so a tunnel from an earlier test may still be logged now: look for this call only.
				const marker = `direct-${Date.now()}`;
				const outcome = await via(`${origin.url}/echo?${marker}`, { proxyUrl: proxy.url, noProxy: '127.0.0.1' });
				expect(outcome.ok).to.equal(true);
				expect(origin.requests.at(-1)!.headers.via).to.equal(undefined);
				expect(proxy.requestsSeen().some((line) => line.includes(marker))).to.equal(false);
			});
		});
	}
});
