/**
 * Tests of the network peers themselves (fault server, PKI, TLS server, tinyproxy, squid), driven
 * with Node's own http/https/net/tls only, so the engine's tests can rely on what they do.
 *
 *   npx mocha 'test/peers/**\/*.test.ts'
 *
 * The proxy suites install Debian packages on first use (apt-get, as root): tinyproxy-bin took
 * about 5 s and squid about 19 s on Debian 12.
 */
import { expect } from 'chai';
import { createHash, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import type { Socket } from 'net';
import { Readable } from 'stream';
import * as tls from 'tls';
import * as zlib from 'zlib';
import { FaultServer, startFaultServer } from './fault-server';
import { createTestPki, Pki } from './pki';
import { RunningProxy, startSquid, startTinyproxy } from './proxies';
import { startTlsServer, TlsServer } from './tls-server';

const INSTALL_TIMEOUT = 20 * 60 * 1000;

interface Res {
	status: number;
	headers: http.IncomingHttpHeaders;
	rawHeaders: string[];
	body: Buffer;
	text: string;
	json(): any;
	/** ms from the call to the response headers / to the end of the body */
	headersMs: number;
	totalMs: number;
}

type ReqOptions = https.RequestOptions & { body?: string | Buffer | Readable };

/** One request on a fresh connection (agent:false), body collected. */
function request(url: string, opts: ReqOptions = {}): Promise<Res> {
	const started = Date.now();
	const u = new URL(url);
	const mod = u.protocol === 'https:' ? https : http;
	const { body, ...options } = opts;
	return new Promise((resolve, reject) => {
		const req = mod.request(u, { agent: false, ...options }, (res) => {
			const headersMs = Date.now() - started;
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const buf = Buffer.concat(chunks);
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					rawHeaders: res.rawHeaders,
					body: buf,
					text: buf.toString('utf8'),
					json: () => JSON.parse(buf.toString('utf8')),
					headersMs,
					totalMs: Date.now() - started,
				});
			});
		});
		req.on('error', reject);
		if (body instanceof Readable) body.pipe(req);
		else req.end(body);
	});
}

/** The error a request fails with (fails the test if it succeeds). */
async function requestError(url: string, opts: ReqOptions = {}): Promise<NodeJS.ErrnoException> {
	try {
		const res = await request(url, opts);
		throw new Error(`expected ${url} to fail, got HTTP ${res.status}`);
	} catch (err) {
		if (/^expected /.test((err as Error).message)) throw err;
		return err as NodeJS.ErrnoException;
	}
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Absolute-form request through a forward proxy (plain http target). */
function viaProxy(proxy: RunningProxy, target: string, proxyAuthorization?: string): Promise<Res> {
	const t = new URL(target);
	const headers: http.OutgoingHttpHeaders = { Host: t.host };
	if (proxyAuthorization) headers['Proxy-Authorization'] = proxyAuthorization;
	return request(proxy.url, { path: t.href, headers });
}

/** CONNECT host:port through the proxy: the proxy's answer, and the socket when it said 200. */
function connect(proxy: RunningProxy, authority: string, proxyAuthorization?: string): Promise<{ res: http.IncomingMessage; socket: Socket }> {
	return new Promise((resolve, reject) => {
		const headers: http.OutgoingHttpHeaders = { Host: authority };
		if (proxyAuthorization) headers['Proxy-Authorization'] = proxyAuthorization;
		const req = http.request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: authority, headers, agent: false });
		req.on('connect', (res: http.IncomingMessage, socket: Socket) => resolve({ res, socket }));
		req.on('error', reject);
		req.end();
	});
}

/** HTTPS request over an established tunnel socket. */
function httpsOverSocket(socket: Socket, url: string, tlsOpts: tls.ConnectionOptions): Promise<Res> {
	const u = new URL(url);
	return request(url, {
		// agent must be undefined (not false) for ClientRequest to use createConnection
		agent: undefined,
		createConnection: () => tls.connect({ ...tlsOpts, socket, host: u.hostname }),
	} as ReqOptions);
}

// =============================================================================================

describe('peers: fault server', () => {
	let a: FaultServer;
	let b: FaultServer;

	before(async () => {
		a = await startFaultServer();
		b = await startFaultServer();
	});
	after(async () => {
		await a?.close();
		await b?.close();
	});
	beforeEach(() => {
		a.reset();
		b.reset();
	});

	it('listens on 127.0.0.1 with two distinct origins', () => {
		expect(a.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(a.origin).to.equal(a.url);
		expect(b.origin).to.not.equal(a.origin);
	});

	it('/echo returns what it received and records the request', async () => {
		const res = await request(`${a.url}/echo/x?q=1`, {
			method: 'POST',
			headers: { 'Content-Type': 'text/plain', 'X-Api-Key': 'k1' },
			body: 'héllo',
		});
		expect(res.status).to.equal(200);
		const j = res.json();
		expect(j).to.include({ method: 'POST', url: '/echo/x?q=1', path: '/echo/x', body: 'héllo', bodyLength: 6 });
		expect(j.headers['x-api-key']).to.equal('k1');
		expect(j.query).to.deep.equal({ q: '1' });
		expect(a.hits('/echo/x')).to.equal(1);
		expect(a.hits('/echo/x?q=1')).to.equal(1);
		expect(a.requests[0].body.toString()).to.equal('héllo');
		expect(a.requests[0].headers['x-api-key']).to.equal('k1');
		a.reset();
		expect(a.requests).to.have.length(0);
		expect(a.hits('/echo/x')).to.equal(0);
	});

	it('/status/<code> with body, extra headers and empty 204', async () => {
		const t = await request(`${a.url}/status/418?body=teapot`);
		expect(t.status).to.equal(418);
		expect(t.text).to.equal('teapot');
		expect(t.headers['content-type']).to.match(/text\/plain/);
		const j = await request(`${a.url}/status/503?h=${encodeURIComponent('WWW-Authenticate:Basic realm="x"')}`);
		expect(j.status).to.equal(503);
		expect(j.json()).to.deep.equal({ status: 503 });
		expect(j.headers['www-authenticate']).to.equal('Basic realm="x"');
		const e = await request(`${a.url}/status/204`);
		expect(e.status).to.equal(204);
		expect(e.body.length).to.equal(0);
	});

	it('/headers/repeat sends repeated X-Multi and Set-Cookie headers', async () => {
		const res = await request(`${a.url}/headers/repeat`);
		expect(res.rawHeaders.filter((h) => h === 'X-Multi')).to.have.length(2);
		expect(res.headers['x-multi']).to.equal('a, b');
		expect(res.headers['set-cookie']).to.deep.equal(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
	});

	it('/burst/<n>/<code> fails n times per key, then succeeds', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await request(`${a.url}/burst/2/503?key=k1&retryAfter=1`)).status);
		expect(statuses).to.deep.equal([503, 503, 200, 200]);
		const other = await request(`${a.url}/burst/2/503?key=k2`);
		expect(other.status).to.equal(503);
		expect(other.json()).to.deep.equal({ attempt: 1, status: 503 });
		expect(other.headers['retry-after']).to.equal(undefined);
		expect(a.hits('/burst/2/503')).to.equal(5);
		a.reset();
		expect((await request(`${a.url}/burst/2/503?key=k1`)).status).to.equal(503, 'reset() clears the counters');
	});

	it('/retry-after/<seconds|http-date> answers 429 once per key', async () => {
		const r1 = await request(`${a.url}/retry-after/2?key=s`);
		expect(r1.status).to.equal(429);
		expect(r1.headers['retry-after']).to.equal('2');
		expect((await request(`${a.url}/retry-after/2?key=s`)).status).to.equal(200);
		const date = new Date(Date.now() + 3000).toUTCString();
		const r2 = await request(`${a.url}/retry-after/${encodeURIComponent(date)}?key=d&status=503`);
		expect(r2.status).to.equal(503);
		expect(r2.headers['retry-after']).to.equal(date);
		expect((await request(`${a.url}/retry-after/${encodeURIComponent(date)}?key=d`)).status).to.equal(200);
	});

	it('/reset destroys the connection n times, then answers', async () => {
		const e1 = await requestError(`${a.url}/reset?key=r&times=2`);
		const e2 = await requestError(`${a.url}/reset?key=r&times=2`);
		// Observed on Node 20: an RST gives `read ECONNRESET`.
		expect(e1.code).to.equal('ECONNRESET');
		expect(e2.code).to.equal('ECONNRESET');
		const ok = await request(`${a.url}/reset?key=r&times=2`);
		expect(ok.status).to.equal(200);
		expect(ok.json()).to.deep.equal({ ok: true, attempt: 3 });
		// A FIN without an answer: Node says "socket hang up" (code ECONNRESET as well).
		const h = await requestError(`${a.url}/reset?key=h&mode=hangup`);
		expect(h.message).to.match(/socket hang up/);
		expect(a.hits('/reset')).to.equal(4);
	});

	it('/slow-headers/<ms> answers late', async () => {
		const res = await request(`${a.url}/slow-headers/300`);
		expect(res.status).to.equal(200);
		expect(res.headersMs).to.be.at.least(280);
	});

	it('/trickle sends headers at once, then one byte per interval', async () => {
		const res = await request(`${a.url}/trickle?bytes=5&intervalMs=100`);
		expect(res.status).to.equal(200);
		expect(res.headers['content-length']).to.equal('5');
		expect(res.text).to.equal('xxxxx');
		expect(res.headersMs).to.be.below(250);
		expect(res.totalMs).to.be.at.least(450).and.below(3000);
	});

	it('/forever streams without end', async () => {
		const received = await new Promise<{ bytes: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
			const req = http.get(`${a.url}/forever`, { agent: false }, (res) => {
				let bytes = 0;
				res.on('data', (c: Buffer) => {
					bytes += c.length;
					if (bytes >= 4 * 1024 * 1024) {
						req.destroy();
						resolve({ bytes, headers: res.headers });
					}
				});
				res.on('end', () => reject(new Error('/forever ended')));
			});
			req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
		});
		expect(received.bytes).to.be.at.least(4 * 1024 * 1024);
		expect(received.headers['transfer-encoding']).to.equal('chunked');
		expect(received.headers['content-length']).to.equal(undefined);
	});

	it('/huge/<bytes> sends exactly that many bytes (plain, chunked, gzip bomb)', async () => {
		const plain = await request(`${a.url}/huge/5000000`);
		expect(plain.headers['content-length']).to.equal('5000000');
		expect(plain.body.length).to.equal(5_000_000);
		const chunked = await request(`${a.url}/huge/100000?chunked=1`);
		expect(chunked.headers['transfer-encoding']).to.equal('chunked');
		expect(chunked.body.length).to.equal(100_000);
		const gz = await request(`${a.url}/huge/20000000?gzip=1`);
		expect(gz.headers['content-encoding']).to.equal('gzip');
		expect(gz.body.length).to.be.below(100_000);
		expect(zlib.gunzipSync(gz.body).length).to.equal(20_000_000);
	});

	it('/redirect points to the other origin with the given code', async () => {
		const target = `${b.url}/echo?from=a`;
		const r = await request(`${a.url}/redirect?to=${encodeURIComponent(target)}&code=307&setCookie=hop%3D1`, { method: 'POST', body: 'x' });
		expect(r.status).to.equal(307);
		expect(r.headers.location).to.equal(target);
		expect(r.headers['set-cookie']).to.deep.equal(['hop=1; Path=/']);
		const followed = await request(r.headers.location!, { method: 'POST', body: 'x' });
		expect(followed.json()).to.include({ method: 'POST', body: 'x', url: '/echo?from=a' });
		expect(b.hits('/echo')).to.equal(1);
		expect(a.hits('/echo')).to.equal(0);
		expect((await request(`${a.url}/redirect?to=/echo`)).status).to.equal(302);
	});

	it('/json/proto carries __proto__ keys; /json/bad is malformed JSON', async () => {
		const p = await request(`${a.url}/json/proto`);
		expect(p.headers['content-type']).to.equal('application/json');
		expect(p.text).to.contain('"__proto__":{"polluted":"yes"}');
		const parsed = JSON.parse(p.text);
		expect(Object.prototype.hasOwnProperty.call(parsed, '__proto__')).to.equal(true);
		expect(({} as any).polluted).to.equal(undefined);
		const bad = await request(`${a.url}/json/bad`);
		expect(bad.status).to.equal(200);
		expect(bad.headers['content-type']).to.equal('application/json');
		expect(() => JSON.parse(bad.text)).to.throw(SyntaxError);
	});

	it('/crlf-header: what Node 20 makes of control characters in a header value', async () => {
		// CRLF inside a value is, on the wire, simply a second header: the client cannot tell.
		const crlf = await request(`${a.url}/crlf-header`);
		expect(crlf.headers['x-test']).to.equal('a');
		expect(crlf.headers['x-injected']).to.equal('1');
		// Everything else is a parse error (observed codes: lf HPE_CR_EXPECTED, cr HPE_LF_EXPECTED,
		// nul and fold HPE_INVALID_HEADER_TOKEN).
		for (const mode of ['lf', 'cr', 'nul', 'fold']) {
			const err = await requestError(`${a.url}/crlf-header?mode=${mode}`);
			expect(err.code, mode).to.match(/^HPE_/);
		}
	});

	it('/upload counts a streamed body without buffering it (chunked and with Content-Length)', async () => {
		const size = 20 * 1024 * 1024;
		const block = Buffer.alloc(256 * 1024, 'u');
		const hash = createHash('sha256');
		for (let i = 0; i < size / block.length; i++) hash.update(block);
		const digest = hash.digest('hex');
		const source = () =>
			Readable.from(
				(function* () {
					for (let i = 0; i < size / block.length; i++) yield block;
				})(),
			);
		const chunked = await request(`${a.url}/upload`, {
			method: 'PUT',
			headers: { 'Content-Type': 'application/octet-stream' },
			body: source(),
		});
		expect(chunked.json()).to.deep.equal({
			method: 'PUT',
			bytes: size,
			sha256: digest,
			contentLength: null,
			transferEncoding: 'chunked',
			contentType: 'application/octet-stream',
		});
		const sized = await request(`${a.url}/upload`, {
			method: 'POST',
			headers: { 'Content-Length': String(size), 'Content-Type': 'text/plain' },
			body: source(),
		});
		expect(sized.json()).to.include({ bytes: size, contentLength: String(size), transferEncoding: null, sha256: digest });
		const rec = a.requests.filter((r) => r.path === '/upload');
		expect(rec.map((r) => [r.bodyLength, r.body.length])).to.deep.equal([
			[size, 0],
			[size, 0],
		]);
	});

	it('/cookies/set and /cookies/echo', async () => {
		const set = await request(`${a.url}/cookies/set?sid=abc&theme=dark&raw=${encodeURIComponent('x=1; Path=/; HttpOnly; SameSite=Lax')}`);
		expect(set.status).to.equal(200);
		expect(set.headers['set-cookie']).to.deep.equal(['sid=abc; Path=/', 'theme=dark; Path=/', 'x=1; Path=/; HttpOnly; SameSite=Lax']);
		const redirect = await request(`${a.url}/cookies/set?sid=2&redirect=/cookies/echo`);
		expect(redirect.status).to.equal(302);
		expect(redirect.headers.location).to.equal('/cookies/echo');
		const echo = await request(`${a.url}/cookies/echo`, { headers: { Cookie: 'sid=abc; theme=dark' } });
		expect(echo.json()).to.deep.equal({ cookie: 'sid=abc; theme=dark', cookies: { sid: 'abc', theme: 'dark' } });
		expect((await request(`${a.url}/cookies/echo`)).json()).to.deep.equal({ cookie: null, cookies: {} });
	});

	it('unknown paths are 404', async () => {
		expect((await request(`${a.url}/nope`)).status).to.equal(404);
	});
});

// =============================================================================================

describe('peers: PKI', function () {
	this.timeout(120_000);
	let pki: Pki;
	before(async () => {
		pki = await createTestPki();
	});

	it('writes CA, server, wrong-host, self-signed and client PEMs and P12s', async () => {
		for (const f of [pki.ca, pki.server, pki.wrongHost, pki.selfSigned, pki.client, pki.untrustedClient]) {
			expect(fs.existsSync(f.certPath)).to.equal(true);
			expect(fs.existsSync(f.keyPath)).to.equal(true);
			expect(f.cert).to.match(/^-----BEGIN CERTIFICATE-----/);
			expect(f.key).to.match(/^-----BEGIN PRIVATE KEY-----/);
		}
		expect(fs.existsSync(pki.clientP12.path)).to.equal(true);
		expect(fs.existsSync(pki.clientLegacyP12.path)).to.equal(true);
		expect(pki.clientP12.passphrase).to.equal('changeit');
		expect(await createTestPki()).to.equal(pki, 'cached per process');
	});

	it('certificates have the promised names and issuers', () => {
		const ca = new X509Certificate(pki.ca.cert);
		expect(ca.ca).to.equal(true);
		const server = new X509Certificate(pki.server.cert);
		expect(server.checkHost('localhost')).to.equal('localhost');
		expect(server.checkIP('127.0.0.1')).to.equal('127.0.0.1');
		expect(server.verify(ca.publicKey)).to.equal(true);
		const wrong = new X509Certificate(pki.wrongHost.cert);
		expect(wrong.checkHost('example.invalid')).to.equal('example.invalid');
		expect(wrong.checkHost('localhost')).to.equal(undefined);
		expect(wrong.checkIP('127.0.0.1')).to.equal(undefined);
		expect(wrong.verify(ca.publicKey)).to.equal(true);
		expect(new X509Certificate(pki.selfSigned.cert).verify(ca.publicKey)).to.equal(false);
		const client = new X509Certificate(pki.client.cert);
		expect(client.subject).to.equal('CN=bpm-test-client');
		expect(client.verify(ca.publicKey)).to.equal(true);
		expect(client.keyUsage).to.include('1.3.6.1.5.5.7.3.2'); // clientAuth
		expect(new X509Certificate(pki.untrustedClient.cert).verify(ca.publicKey)).to.equal(false);
	});

	it('the modern P12 loads in Node; the legacy one is refused; a wrong password fails', () => {
		expect(() => tls.createSecureContext({ pfx: pki.clientP12.pfx, passphrase: 'changeit' })).to.not.throw();
		let legacy: NodeJS.ErrnoException | undefined;
		try {
			tls.createSecureContext({ pfx: pki.clientLegacyP12.pfx, passphrase: 'changeit' });
		} catch (err) {
			legacy = err as NodeJS.ErrnoException;
		}
		// Observed on Node 20.20 / OpenSSL 3.0: ERR_CRYPTO_UNSUPPORTED_OPERATION "Unsupported PKCS12 PFX data".
		expect(legacy, 'legacy P12 must be refused').to.not.equal(undefined);
		expect(`${legacy!.code} ${legacy!.message}`).to.match(/ERR_CRYPTO_UNSUPPORTED_OPERATION|unsupported/i);
		expect(() => tls.createSecureContext({ pfx: pki.clientP12.pfx, passphrase: 'wrong' })).to.throw(/mac verify failure/i);
	});

	it('an explicit dir is reused while fresh', async () => {
		const dir = `${pki.dir}-explicit`;
		try {
			const first = await createTestPki(dir);
			expect(first.dir).to.equal(dir);
			const serverCert = first.server.cert;
			expect(fs.existsSync(`${dir}/client.p12`)).to.equal(true);
			expect((await createTestPki(dir)).server.cert).to.equal(serverCert);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});

// =============================================================================================

describe('peers: TLS server', function () {
	this.timeout(120_000);
	let pki: Pki;
	let mtls: TlsServer;
	let optional: TlsServer;
	before(async () => {
		pki = await createTestPki();
		mtls = await startTlsServer(pki, { requireClientCert: true });
		optional = await startTlsServer(pki);
	});
	after(async () => {
		await mtls?.close();
		await optional?.close();
	});

	it('mTLS: accepts the client cert signed by the test CA (PEM and P12)', async () => {
		expect(mtls.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
		const res = await request(`${mtls.url}/hello?x=1`, { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key });
		expect(res.status).to.equal(200);
		const j = res.json();
		expect(j.ok).to.equal(true);
		expect(j.url).to.equal('/hello?x=1');
		expect(j.clientCert).to.include({ presented: true, authorized: true, subject: 'CN=bpm-test-client' });
		expect(mtls.lastClient()).to.include({ authorized: true, subject: 'CN=bpm-test-client' });
		const p12 = await request(`${mtls.url}/p12`, { ca: pki.ca.cert, pfx: pki.clientP12.pfx, passphrase: pki.clientP12.passphrase });
		expect(p12.status).to.equal(200);
		expect(p12.json().clientCert.authorized).to.equal(true);
	});

	it('mTLS: 401 without a client cert or with an untrusted one', async () => {
		const none = await request(mtls.url, { ca: pki.ca.cert });
		expect(none.status).to.equal(401);
		expect(none.json()).to.include({ ok: false, error: 'client certificate required' });
		expect(mtls.lastClient()).to.include({ authorized: false, presented: false });
		const untrusted = await request(mtls.url, { ca: pki.ca.cert, cert: pki.untrustedClient.cert, key: pki.untrustedClient.key });
		expect(untrusted.status).to.equal(401);
		expect(untrusted.json().clientCert).to.include({ presented: true, authorized: false, subject: 'CN=bpm-untrusted-client' });
		expect(mtls.lastClient().authorized).to.equal(false);
	});

	it('optional client cert: 200 without one, and reports it', async () => {
		const res = await request(`${optional.url}/x`, { ca: pki.ca.cert, method: 'POST', body: 'abc' });
		expect(res.status).to.equal(200);
		expect(res.json()).to.deep.include({ ok: true, method: 'POST', body: 'abc' });
		expect(res.json().clientCert).to.deep.equal({ authorized: false, presented: false, authorizationError: 'UNABLE_TO_GET_ISSUER_CERT' });
		expect(optional.requestCount()).to.equal(1);
	});

	it('clients verify the server: unknown CA, wrong host and self-signed are refused', async () => {
		const noCa = await requestError(optional.url);
		expect(noCa.code).to.be.oneOf(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);
		const wrong = await startTlsServer(pki, { cert: 'wrong-host' });
		const self = await startTlsServer(pki, { cert: 'self-signed' });
		try {
			expect((await requestError(wrong.url, { ca: pki.ca.cert })).code).to.equal('ERR_TLS_CERT_ALTNAME_INVALID');
			expect((await requestError(self.url, { ca: pki.ca.cert })).code).to.equal('DEPTH_ZERO_SELF_SIGNED_CERT');
			// ...and work when the client opts out of verification (per request, never globally)
			expect((await request(wrong.url, { rejectUnauthorized: false })).status).to.equal(200);
			expect((await request(self.url, { ca: pki.selfSigned.cert })).status).to.equal(200);
		} finally {
			await wrong.close();
			await self.close();
		}
	});
});

// =============================================================================================

const USER = 'bpmuser';
const PASSWORD = 'bpm-pass.42';

for (const kind of ['tinyproxy', 'squid'] as const) {
	const start = kind === 'tinyproxy' ? startTinyproxy : startSquid;
	// What the proxy answers to wrong credentials (observed): tinyproxy 1.11.1 401 + WWW-Authenticate,
	// squid 5.7 407 + Proxy-Authenticate. Missing credentials are 407 with both.
	const wrongCredsStatus = kind === 'tinyproxy' ? 401 : 407;

	describe(`peers: ${kind}`, function () {
		this.timeout(60_000);
		let proxy: RunningProxy;
		let origin: FaultServer;
		let pki: Pki;
		let mtls: TlsServer;

		before(async function () {
			this.timeout(INSTALL_TIMEOUT);
			const started = Date.now();
			proxy = await start({ user: USER, password: PASSWORD });
			process.stderr.write(`      [${kind}] ready in ${Date.now() - started} ms at ${proxy.url}\n`);
			origin = await startFaultServer();
			pki = await createTestPki();
			mtls = await startTlsServer(pki, { requireClientCert: true });
		});
		after(async () => {
			await proxy?.close();
			await origin?.close();
			await mtls?.close();
		});
		beforeEach(() => origin.reset());

		it('listens on 127.0.0.1 and exposes its credentials', () => {
			expect(proxy.url).to.equal(`http://127.0.0.1:${proxy.port}`);
			expect(proxy.authUrl).to.equal(`http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${proxy.port}`);
			expect(proxy.proxyAuthorization).to.equal(basic(USER, PASSWORD));
		});

		it('forwards an absolute-form http request with Basic proxy auth', async () => {
			const target = `${origin.url}/echo?via=${kind}`;
			const res = await viaProxy(proxy, target, basic(USER, PASSWORD));
			expect(res.status).to.equal(200);
			const seen = res.json();
			expect(seen.url).to.equal(`/echo?via=${kind}`); // origin-form at the origin
			expect(seen.headers.via).to.match(new RegExp(kind));
			expect(seen.headers['proxy-authorization']).to.equal(undefined);
			expect(origin.hits('/echo')).to.equal(1);
			expect(await proxy.waitForRequest(`GET ${target}`)).to.equal(`GET ${target}`);
		});

		it('answers 407 without credentials (absolute-form and CONNECT)', async () => {
			const res = await viaProxy(proxy, `${origin.url}/echo?noauth=1`);
			expect(res.status).to.equal(407);
			expect(res.headers['proxy-authenticate']).to.match(/^Basic realm=/);
			const { res: c, socket } = await connect(proxy, `127.0.0.1:${mtls.port}`);
			socket.destroy();
			expect(c.statusCode).to.equal(407);
			expect(c.headers['proxy-authenticate']).to.match(/^Basic realm=/);
			expect(origin.hits('/echo')).to.equal(0);
		});

		it(`answers ${wrongCredsStatus} to wrong credentials (absolute-form and CONNECT)`, async () => {
			const res = await viaProxy(proxy, `${origin.url}/echo?wrong=1`, basic(USER, 'nope'));
			expect(res.status).to.equal(wrongCredsStatus);
			const { res: c, socket } = await connect(proxy, `127.0.0.1:${mtls.port}`, basic(USER, 'nope'));
			socket.destroy();
			expect(c.statusCode).to.equal(wrongCredsStatus);
			if (kind === 'tinyproxy') {
				expect(c.headers['www-authenticate']).to.match(/^Basic realm="Tinyproxy"/);
				expect(c.headers['proxy-authenticate']).to.equal(undefined);
			} else expect(c.headers['proxy-authenticate']).to.match(/^Basic realm="bpm-test"/);
			expect(origin.hits('/echo')).to.equal(0);
		});

		it('tunnels CONNECT to the mTLS server; the client cert reaches it and the proxy never sees the path', async () => {
			const authority = `127.0.0.1:${mtls.port}`;
			const { res, socket } = await connect(proxy, authority, basic(USER, PASSWORD));
			expect(res.statusCode).to.equal(200);
			const secretPath = `/secret-${kind}-path?token=t0psecret`;
			const inner = await httpsOverSocket(socket, `${mtls.url}${secretPath}`, {
				ca: pki.ca.cert,
				cert: pki.client.cert,
				key: pki.client.key,
			});
			socket.destroy();
			expect(inner.status).to.equal(200);
			expect(inner.json().url).to.equal(secretPath);
			expect(inner.json().clientCert).to.include({ authorized: true, subject: 'CN=bpm-test-client' });
			expect(await proxy.waitForRequest(`CONNECT ${authority}`)).to.equal(`CONNECT ${authority}`);
			expect(proxy.logs()).to.not.contain('secret-');
			expect(proxy.logs()).to.not.contain('t0psecret');
		});

		it('tunnels CONNECT by host name (localhost, resolved by the proxy)', async () => {
			const authority = `localhost:${mtls.port}`;
			const { res, socket } = await connect(proxy, authority, basic(USER, PASSWORD));
			expect(res.statusCode).to.equal(200);
			const inner = await httpsOverSocket(socket, `https://${authority}/by-name`, {
				ca: pki.ca.cert,
				cert: pki.client.cert,
				key: pki.client.key,
				servername: 'localhost',
			});
			socket.destroy();
			expect(inner.status).to.equal(200);
			expect(inner.json().servername).to.equal('localhost');
			await proxy.waitForRequest(`CONNECT ${authority}`);
		});

		it('logs every request it received, denied ones included', async () => {
			await proxy.waitForRequest(/\?wrong=1$/);
			const seen = proxy.requestsSeen();
			expect(seen).to.include(`GET ${origin.url}/echo?noauth=1`);
			expect(seen).to.include(`GET ${origin.url}/echo?wrong=1`);
			expect(seen.filter((s) => s === `CONNECT 127.0.0.1:${mtls.port}`).length).to.be.at.least(3);
			if (kind === 'squid') {
				const statuses = proxy.entries().map((e) => e.status);
				expect(statuses).to.include.members([200, 407]);
				expect(proxy.entries().find((e) => e.status === 200)!.user).to.equal(USER);
			}
			expect(proxy.logs()).to.contain(`127.0.0.1:${mtls.port}`);
		});

		it('without user/password it forwards without credentials', async () => {
			const open = await start();
			try {
				expect(open.proxyAuthorization).to.equal(undefined);
				expect(open.authUrl).to.equal(open.url);
				const res = await viaProxy(open, `${origin.url}/echo?open=1`);
				expect(res.status).to.equal(200);
				const { res: c, socket } = await connect(open, `127.0.0.1:${mtls.port}`);
				const inner = await httpsOverSocket(socket, `${mtls.url}/open`, { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key });
				socket.destroy();
				expect(c.statusCode).to.equal(200);
				expect(inner.status).to.equal(200);
				await open.waitForRequest(`CONNECT 127.0.0.1:${mtls.port}`);
			} finally {
				await open.close();
			}
			expect(fs.existsSync(open.dir)).to.equal(false);
		});
	});
}

describe('peers: proxy argument checks', () => {
	it('tinyproxy refuses credentials its config parser cannot take', async () => {
		let err: Error | undefined;
		try {
			await startTinyproxy({ user: 'u', password: 'p@ss:w0rd' });
		} catch (e) {
			err = e as Error;
		}
		expect(err?.message).to.match(/only parses/);
	});
});
