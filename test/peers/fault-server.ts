/**
 * A real HTTP/1.1 peer for the engine's tests: a plain Node http server on 127.0.0.1 (random port)
 * whose behaviour is chosen by the request path and query. Start it twice to get a second origin
 * (another port) for cross-origin redirect tests.
 *
 * Endpoints (any method unless noted; unknown paths → 404 JSON):
 *
 *  /echo[/anything]               200 JSON {method, url, path, query, httpVersion, headers, rawHeaders,
 *                                 body (utf-8 text), bodyLength, bodyTruncated}
 *  /status/<code>                 that status; body = ?body=… as text/plain (?type= to change the
 *                                 content type), else JSON {status}; ?h=Name:Value adds headers
 *                                 (repeatable); 204/304 have no body
 *  /headers/repeat                200 with two `X-Multi` (a, b) and two `Set-Cookie` (a=1, b=2) headers
 *  /burst/<n>/<code>?key=k        the first n hits for key k answer <code> (JSON {attempt, status}),
 *                                 then 200 (JSON {attempt, ok:true}); ?retryAfter=v adds Retry-After
 *                                 to the failing answers
 *  /retry-after/<value>?key=k     first hit per key: 429 (or ?status=503) with `Retry-After: <value>`
 *                                 (seconds or an URL-encoded HTTP date), then 200
 *  /reset?key=k&times=n           the first n hits for key k destroy the socket without answering
 *                                 (TCP RST → ECONNRESET; ?mode=hangup for a FIN → "socket hang up"),
 *                                 then 200
 *  /slow-headers/<ms>             answers (200 JSON {delayedMs}) only after <ms>
 *  /trickle?bytes=&intervalMs=    headers at once (Content-Length: bytes), then 1 byte per interval
 *                                 (defaults 10 bytes, 200 ms)
 *  /forever[?intervalMs=]         200 chunked body that never ends (64 KiB chunks, as fast as the
 *                                 client reads, or one per interval)
 *  /huge/<bytes>                  exactly <bytes> bytes ('x'), streamed with Content-Length;
 *                                 ?chunked=1 omits Content-Length; ?gzip=1 sends gzip of <bytes> zeros
 *                                 (Content-Encoding: gzip, a decompression bomb when large)
 *  /redirect?to=<url>&code=30x    redirect (default 302) to `to`; ?setCookie=k=v adds Set-Cookie
 *                                 (repeatable); ?h=Name:Value adds headers
 *  /json/proto                    application/json body with `__proto__` and `constructor.prototype` keys
 *  /json/bad                      malformed JSON with Content-Type application/json
 *  /crlf-header?mode=             raw socket answer whose header value carries control characters,
 *                                 to see what a client makes of it: mode=crlf (default, `a\r\nX-Injected: 1`),
 *                                 lf (bare LF), cr (bare CR), nul (NUL byte), fold (obs-fold continuation line)
 *  /upload                        counts the request body without buffering it; 200 JSON {method, bytes,
 *                                 sha256, contentLength, transferEncoding, contentType}
 *  /cookies/set?name=value…       one `Set-Cookie: name=value; Path=/` per query pair; ?raw=<full
 *                                 Set-Cookie value> (repeatable) is sent verbatim; ?redirect=<url> answers
 *                                 302 to it instead of 200
 *  /cookies/echo                  200 JSON {cookie: the Cookie header or null, cookies: {name: value}}
 *
 * Every request is recorded in `requests` (bodies up to 1 MiB; /upload bodies are counted, not kept).
 */
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import * as zlib from 'zlib';

export interface RecordedRequest {
	method: string;
	/** Request target as received (origin-form, or absolute-form when a proxy-style request). */
	url: string;
	/** Path without the query. */
	path: string;
	headers: http.IncomingHttpHeaders;
	rawHeaders: string[];
	/** The body received so far (kept up to 1 MiB; empty for /upload). */
	body: Buffer;
	/** Bytes of body received in total. */
	bodyLength: number;
	/** True once the whole request body was read. */
	complete: boolean;
	at: number;
}

export interface FaultServer {
	/** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
	url: string;
	/** Same as url: scheme + host + port. */
	origin: string;
	port: number;
	/** Requests received whose path is `path` (or whose full target is `path` when it has a `?`). */
	hits(path: string): number;
	requests: RecordedRequest[];
	/** Forgets recorded requests and all per-key counters (burst, retry-after, reset). */
	reset(): void;
	close(): Promise<void>;
}

const MAX_RECORDED_BODY = 1024 * 1024;

const PROTO_JSON =
	'{"ok":true,"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},' +
	'"nested":{"__proto__":{"polluted":"yes"}},"list":[{"__proto__":{"polluted":"yes"}}]}';

function sendJson(res: http.ServerResponse, status: number, data: unknown, headers: http.OutgoingHttpHeaders = {}): void {
	const body = Buffer.from(JSON.stringify(data));
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, ...headers });
	res.end(body);
}

function intParam(value: string | null | undefined, fallback: number): number {
	if (value === null || value === undefined || value === '') return fallback;
	const n = Number(value);
	return Number.isFinite(n) ? Math.floor(n) : fallback;
}

/** `Name:Value` strings → header pairs (repeated names are kept as arrays). */
function extraHeaders(values: string[]): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const v of values) {
		const i = v.indexOf(':');
		if (i <= 0) continue;
		const name = v.slice(0, i).trim();
		(out[name] ??= []).push(v.slice(i + 1).trim());
	}
	return out;
}

function parseCookieHeader(header: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	if (!header) return out;
	for (const part of header.split(';')) {
		const i = part.indexOf('=');
		if (i < 0) continue;
		const name = part.slice(0, i).trim();
		if (name) out[name] = part.slice(i + 1).trim();
	}
	return out;
}

/** Raw responses for /crlf-header: the header block is written byte for byte on the socket. */
function crlfResponse(mode: string): Buffer {
	const body = JSON.stringify({ endpoint: 'crlf-header', mode });
	let header: string;
	switch (mode) {
		case 'lf':
			header = 'X-Test: a\nX-Injected: 1\r\n';
			break;
		case 'cr':
			header = 'X-Test: a\rX-Injected: 1\r\n';
			break;
		case 'nul':
			header = 'X-Test: a\0X-Injected: 1\r\n';
			break;
		case 'fold':
			header = 'X-Test: a\r\n X-Injected: 1\r\n';
			break;
		default:
			header = 'X-Test: a\r\nX-Injected: 1\r\n';
	}
	return Buffer.concat([
		Buffer.from(
			'HTTP/1.1 200 OK\r\n' +
				'Content-Type: application/json\r\n' +
				header +
				`Content-Length: ${Buffer.byteLength(body)}\r\n` +
				'Connection: close\r\n\r\n',
			'latin1',
		),
		Buffer.from(body),
	]);
}

export function startFaultServer(): Promise<FaultServer> {
	const requests: RecordedRequest[] = [];
	const counters = new Map<string, number>();
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();

	const bump = (key: string): number => {
		const n = (counters.get(key) ?? 0) + 1;
		counters.set(key, n);
		return n;
	};
	const later = (ms: number, fn: () => void): NodeJS.Timeout => {
		const t = setTimeout(() => {
			timers.delete(t);
			fn();
		}, ms);
		timers.add(t);
		return t;
	};

	const server = http.createServer({ requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
		const u = new URL(req.url ?? '/', 'http://fault.invalid');
		const pathname = u.pathname;
		const q = u.searchParams;
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			url: req.url ?? '/',
			path: pathname,
			headers: req.headers,
			rawHeaders: req.rawHeaders,
			body: Buffer.alloc(0),
			bodyLength: 0,
			complete: false,
			at: Date.now(),
		};
		requests.push(record);
		const segments = pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));

		// /upload reads the body itself, streaming.
		if (pathname === '/upload') {
			const hash = createHash('sha256');
			let bytes = 0;
			req.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				hash.update(chunk);
			});
			req.on('end', () => {
				record.bodyLength = bytes;
				record.complete = true;
				sendJson(res, 200, {
					method: req.method,
					bytes,
					sha256: hash.digest('hex'),
					contentLength: req.headers['content-length'] ?? null,
					transferEncoding: req.headers['transfer-encoding'] ?? null,
					contentType: req.headers['content-type'] ?? null,
				});
			});
			return;
		}

		// /reset answers nothing: destroy before reading the body.
		if (pathname === '/reset') {
			const key = q.get('key') ?? '';
			const times = intParam(q.get('times'), 1);
			const n = bump(`reset:${key}`);
			if (n <= times) {
				const sock = req.socket;
				if (q.get('mode') === 'hangup' || typeof sock.resetAndDestroy !== 'function') sock.destroy();
				else sock.resetAndDestroy();
				return;
			}
			sendJson(res, 200, { ok: true, attempt: n });
			return;
		}

		// Everything else: collect the body (bounded), then answer.
		const chunks: Buffer[] = [];
		let kept = 0;
		req.on('data', (chunk: Buffer) => {
			record.bodyLength += chunk.length;
			if (kept < MAX_RECORDED_BODY) {
				const part = chunk.subarray(0, MAX_RECORDED_BODY - kept);
				chunks.push(part);
				kept += part.length;
			}
		});
		req.on('end', () => {
			record.body = Buffer.concat(chunks);
			record.complete = true;
			try {
				handle();
			} catch (err) {
				if (!res.headersSent) sendJson(res, 500, { error: String((err as Error).message) });
				else res.destroy();
			}
		});

		function handle(): void {
			const head = segments[0];
			if (head === 'echo') {
				sendJson(res, 200, {
					method: req.method,
					url: req.url,
					path: pathname,
					query: Object.fromEntries(q),
					httpVersion: req.httpVersion,
					headers: req.headers,
					rawHeaders: req.rawHeaders,
					body: record.body.toString('utf8'),
					bodyLength: record.bodyLength,
					bodyTruncated: record.bodyLength > record.body.length,
				});
				return;
			}
			if (head === 'status' && segments[1]) {
				const code = intParam(segments[1], 500);
				const headers: http.OutgoingHttpHeaders = extraHeaders(q.getAll('h'));
				if (code === 204 || code === 304 || req.method === 'HEAD') {
					res.writeHead(code, headers).end();
					return;
				}
				const text = q.get('body');
				if (text !== null) {
					const buf = Buffer.from(text);
					res.writeHead(code, {
						'Content-Type': q.get('type') ?? 'text/plain; charset=utf-8',
						'Content-Length': buf.length,
						...headers,
					});
					res.end(buf);
				} else sendJson(res, code, { status: code }, headers);
				return;
			}
			if (pathname === '/headers/repeat') {
				const body = '{"repeat":true}';
				res.writeHead(200, [
					['Content-Type', 'application/json'],
					['X-Multi', 'a'],
					['X-Multi', 'b'],
					['Set-Cookie', 'a=1; Path=/'],
					['Set-Cookie', 'b=2; Path=/; HttpOnly'],
					['Content-Length', String(body.length)],
				]);
				res.end(body);
				return;
			}
			if (head === 'burst' && segments[1] && segments[2]) {
				const n = intParam(segments[1], 1);
				const code = intParam(segments[2], 503);
				const key = q.get('key') ?? '';
				const attempt = bump(`burst:${key}`);
				if (attempt <= n) {
					const headers: http.OutgoingHttpHeaders = {};
					const ra = q.get('retryAfter');
					if (ra !== null) headers['Retry-After'] = ra;
					sendJson(res, code, { attempt, status: code }, headers);
				} else sendJson(res, 200, { attempt, ok: true });
				return;
			}
			if (head === 'retry-after' && segments[1] !== undefined) {
				const key = q.get('key') ?? '';
				const attempt = bump(`retry-after:${key}`);
				if (attempt === 1) {
					const code = intParam(q.get('status'), 429);
					sendJson(res, code, { attempt, status: code, retryAfter: segments[1] }, { 'Retry-After': segments[1] });
				} else sendJson(res, 200, { attempt, ok: true });
				return;
			}
			if (head === 'slow-headers' && segments[1]) {
				const ms = intParam(segments[1], 1000);
				const t = later(ms, () => sendJson(res, 200, { delayedMs: ms }));
				res.on('close', () => {
					clearTimeout(t);
					timers.delete(t);
				});
				return;
			}
			if (pathname === '/trickle') {
				const bytes = intParam(q.get('bytes'), 10);
				const interval = intParam(q.get('intervalMs'), 200);
				res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': bytes });
				res.flushHeaders();
				let sent = 0;
				let t: NodeJS.Timeout | undefined;
				const tick = (): void => {
					if (res.destroyed) return;
					res.write('x');
					sent++;
					if (sent >= bytes) res.end();
					else t = later(interval, tick);
				};
				res.on('close', () => {
					if (t) {
						clearTimeout(t);
						timers.delete(t);
					}
				});
				if (bytes <= 0) res.end();
				else t = later(interval, tick);
				return;
			}
			if (pathname === '/forever') {
				const interval = intParam(q.get('intervalMs'), 0);
				const chunk = Buffer.alloc(64 * 1024, 'f');
				res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
				res.flushHeaders();
				let t: NodeJS.Timeout | undefined;
				let stopped = false;
				res.on('close', () => {
					stopped = true;
					if (t) {
						clearTimeout(t);
						timers.delete(t);
					}
				});
				const pump = (): void => {
					if (stopped || res.destroyed) return;
					if (interval > 0) {
						res.write(chunk);
						t = later(interval, pump);
						return;
					}
					while (!stopped && !res.destroyed) {
						if (!res.write(chunk)) {
							res.once('drain', pump);
							return;
						}
					}
				};
				pump();
				return;
			}
			if (head === 'huge' && segments[1]) {
				const total = Math.max(0, intParam(segments[1], 0));
				if (q.get('gzip') === '1') {
					res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
					const gz = zlib.createGzip({ level: 9 });
					gz.pipe(res);
					res.on('close', () => gz.destroy());
					const zeros = Buffer.alloc(1024 * 1024);
					let left = total;
					const feed = (): void => {
						while (left > 0) {
							const n = Math.min(left, zeros.length);
							left -= n;
							if (!gz.write(zeros.subarray(0, n))) {
								gz.once('drain', feed);
								return;
							}
						}
						gz.end();
					};
					feed();
					return;
				}
				const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/octet-stream' };
				if (q.get('chunked') !== '1') headers['Content-Length'] = total;
				res.writeHead(200, headers);
				const block = Buffer.alloc(64 * 1024, 'x');
				let left = total;
				const pump = (): void => {
					while (left > 0 && !res.destroyed) {
						const n = Math.min(left, block.length);
						left -= n;
						if (!res.write(block.subarray(0, n))) {
							res.once('drain', pump);
							return;
						}
					}
					if (!res.destroyed) res.end();
				};
				pump();
				return;
			}
			if (pathname === '/redirect') {
				const to = q.get('to') ?? '/echo';
				const code = intParam(q.get('code'), 302);
				const headers: http.OutgoingHttpHeaders = { ...extraHeaders(q.getAll('h')), Location: to };
				const cookies = q.getAll('setCookie');
				if (cookies.length) headers['Set-Cookie'] = cookies.map((c) => (/;\s*path=/i.test(c) ? c : `${c}; Path=/`));
				sendJson(res, code, { redirect: to, code }, headers);
				return;
			}
			if (pathname === '/json/proto') {
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(PROTO_JSON) });
				res.end(PROTO_JSON);
				return;
			}
			if (pathname === '/json/bad') {
				const bad = '{"ok": true, "items": [1, 2,';
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bad.length });
				res.end(bad);
				return;
			}
			if (pathname === '/crlf-header') {
				const sock = req.socket;
				sock.end(crlfResponse(q.get('mode') ?? 'crlf'));
				return;
			}
			if (pathname === '/cookies/set') {
				const set: string[] = [];
				for (const [name, value] of q) {
					if (name === 'raw' || name === 'redirect') continue;
					set.push(`${name}=${value}; Path=/`);
				}
				set.push(...q.getAll('raw'));
				const redirect = q.get('redirect');
				const headers: http.OutgoingHttpHeaders = {};
				if (set.length) headers['Set-Cookie'] = set;
				if (redirect) headers.Location = redirect;
				sendJson(res, redirect ? 302 : 200, { set }, headers);
				return;
			}
			if (pathname === '/cookies/echo') {
				const cookie = req.headers.cookie;
				sendJson(res, 200, { cookie: cookie ?? null, cookies: parseCookieHeader(cookie) });
				return;
			}
			sendJson(res, 404, { error: 'no such fault endpoint', path: pathname });
		}
	});

	server.on('connection', (sock: Socket) => {
		sockets.add(sock);
		sock.on('close', () => sockets.delete(sock));
	});
	// A client that sends garbage, or a socket we destroyed on purpose: nothing to report.
	server.on('clientError', (_err, sock: Socket) => {
		if (sock.writable) sock.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else sock.destroy();
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			const origin = `http://127.0.0.1:${port}`;
			let closed: Promise<void> | undefined;
			resolve({
				url: origin,
				origin,
				port,
				requests,
				hits(p: string): number {
					if (p.includes('?')) return requests.filter((r) => r.url === p).length;
					return requests.filter((r) => r.path === p).length;
				},
				reset(): void {
					requests.length = 0;
					counters.clear();
				},
				close(): Promise<void> {
					closed ??= new Promise<void>((done) => {
						for (const t of timers) clearTimeout(t);
						timers.clear();
						server.close(() => done());
						server.closeAllConnections();
						for (const s of sockets) s.destroy();
					});
					return closed;
				},
			});
		});
	});
}
