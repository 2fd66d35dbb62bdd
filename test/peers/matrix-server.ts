/**
 * A loopback server that speaks just enough Bonita for the engine's Bonita scheme, with one API route
 * whose faults are fixed by the item index, so a run of thousands of items meets every fault kind many
 * times and the test can tell what each item should have become.
 *
 *  POST <base>/loginservice       form username/password/redirect; right credentials → 204 with
 *                                 JSESSIONID and X-Bonita-API-Token cookies (Path=/bonita); wrong → 401;
 *                                 503 while the login endpoint is down (see loginDown below)
 *  GET|POST <base>/logoutservice  drops the caller's session, 200
 *  <base>/API/...                 401 without a live session cookie, and for unsafe methods without the
 *                                 session's token header
 *  GET <base>/API/matrix/<i>      200 JSON {i} for a plain item; every fifth item has the fault of
 *                                 faultOf(i): reset, 503, 429 and the two session drops strike the first
 *                                 request for i (before the session check), slow headers, trickled body
 *                                 and malformed JSON every logged-in request for i
 *
 * Nothing is random but the session ids and tokens, which the server lists in `secrets` so a test can scan
 * every output for them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The two session-dropping kinds sit 20 items apart, so a window of 16 calls seldom holds both. */
export const FAULT_KINDS = ['reset', 'burst503', 'retryAfter429', 'tokenExpiry', 'slowHeaders', 'trickle', 'malformedJson', 'loginDown'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Every fifth item has a fault, the kinds taking turns; the others are plain. */
export function faultOf(i: number): FaultKind | undefined {
	return i % 5 === 0 ? FAULT_KINDS[(i / 5) % FAULT_KINDS.length] : undefined;
}

/** What a malformedJson item gets, with Content-Type application/json: the start of an object, cut off. */
export function malformedBody(i: number): string {
	return `{"i":${i},`;
}

/** What the server did with one API request for an item. */
export type Answer = 'ok' | 'unauthorized' | 'reset' | '503' | '429' | 'expired' | 'loginDown' | 'slow' | 'trickle' | 'malformed';

export interface MatrixServerOptions {
	username: string;
	password: string;
	/** slowHeaders items answer after this long: more than the client's timeout (default 1000 ms). */
	slowMs?: number;
	/** trickle items send this many body bytes, one per interval (default 30 bytes every 100 ms: 3 s). */
	trickleBytes?: number;
	trickleIntervalMs?: number;
	/** Login attempts answered 503 after each loginDown item (default 1). */
	loginDownAttempts?: number;
}

export interface MatrixStats {
	/** Logins answered 204. */
	logins: number;
	/** Logins answered 503 while the login endpoint was down. */
	loginFailures: number;
	/** Logins answered 401 (wrong username or password). */
	loginRefusals: number;
	/** tokenExpiry and loginDown items that dropped every session. */
	sessionDrops: number;
	logouts: number;
}

export interface MatrixServer {
	/** Base URL with the context path, e.g. http://127.0.0.1:41234/bonita */
	url: string;
	stats: MatrixStats;
	/** Every answer given to an API request for item i, in order (empty when i never reached the API). */
	answers(i: number): readonly Answer[];
	/** When each 503 login answer was sent (Date.now()). */
	failedLoginTimes: readonly number[];
	/** Every session id and token issued. */
	secrets: readonly string[];
	close(): Promise<void>;
}

const CONTEXT = '/bonita';
const TOKEN_COOKIE = 'X-Bonita-API-Token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Faults that strike once, on the first request for the item; the others strike every time. */
const ONE_OFF: ReadonlySet<FaultKind> = new Set(['reset', 'burst503', 'retryAfter429', 'tokenExpiry', 'loginDown']);

export function startMatrixServer(options: MatrixServerOptions): Promise<MatrixServer> {
	const slowMs = options.slowMs ?? 1000;
	const trickleBytes = options.trickleBytes ?? 30;
	const trickleIntervalMs = options.trickleIntervalMs ?? 100;
	const loginDownAttempts = options.loginDownAttempts ?? 1;

	const stats: MatrixStats = { logins: 0, loginFailures: 0, loginRefusals: 0, sessionDrops: 0, logouts: 0 };
	/** Session id → its token. */
	const sessions = new Map<string, string>();
	const answers = new Map<number, Answer[]>();
	const failedLoginTimes: number[] = [];
	const secrets: string[] = [];
	const timers = new Set<NodeJS.Timeout>();
	let loginDownLeft = 0;

	/** One pending timer per response, dropped when the client goes away (timeout, deadline). */
	const timerFor = (res: http.ServerResponse) => {
		let pending: NodeJS.Timeout | undefined;
		res.on('close', () => {
			clearTimeout(pending);
			if (pending) timers.delete(pending);
		});
		return (ms: number, fn: () => void): void => {
			const timer = setTimeout(() => {
				timers.delete(timer);
				fn();
			}, ms);
			timers.add(timer);
			pending = timer;
		};
	};

	const sendJson = (res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void => {
		res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(body), ...headers });
		res.end(body);
	};
	const sendEmpty = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}): void => {
		res.writeHead(status, { 'Content-Length': 0, ...headers });
		res.end();
	};

	function sessionOf(req: http.IncomingMessage): string | undefined {
		const ids = (req.headers.cookie ?? '').split(';').map((part) => part.trim().split('=')).filter(([name]) => name === 'JSESSIONID').map(([, value]) => value);
		return ids.find((id) => sessions.has(id));
	}

	function login(res: http.ServerResponse, form: URLSearchParams): void {
		if (loginDownLeft > 0) {
			loginDownLeft--;
			stats.loginFailures++;
			failedLoginTimes.push(Date.now());
			return sendEmpty(res, 503);
		}
		if (form.get('username') !== options.username || form.get('password') !== options.password) {
			stats.loginRefusals++;
			return sendEmpty(res, 401);
		}
		stats.logins++;
		const id = randomBytes(16).toString('hex').toUpperCase();
		const token = randomUUID();
		sessions.set(id, token);
		secrets.push(id, token);
		sendEmpty(res, 204, { 'Set-Cookie': [`JSESSIONID=${id}; Path=${CONTEXT}; HttpOnly`, `${TOKEN_COOKIE}=${token}; Path=${CONTEXT}`] });
	}

	function matrixItem(req: http.IncomingMessage, res: http.ServerResponse, i: number, live: boolean): void {
		const answer = (a: Answer) => {
			const list = answers.get(i) ?? [];
			list.push(a);
			answers.set(i, list);
		};
		const kind = faultOf(i);
		const first = !answers.has(i);
		// The one-off faults strike the first request for i, before any session check, as a proxy or a load
		// balancer would; the always faults are what the resource itself does for a logged-in caller.
		if (first && kind && ONE_OFF.has(kind)) {
			switch (kind) {
				case 'reset':
					answer('reset');
					req.socket.resetAndDestroy();
					return;
				case 'burst503':
					answer('503');
					return sendJson(res, 503, JSON.stringify({ message: 'burst' }));
				case 'retryAfter429':
					answer('429');
					return sendJson(res, 429, JSON.stringify({ message: 'slow down' }), { 'Retry-After': '0' });
				default:
					// tokenExpiry, loginDown: every session goes, this caller's too, so it and the calls in flight meet a 401.
					answer(kind === 'tokenExpiry' ? 'expired' : 'loginDown');
					sessions.clear();
					stats.sessionDrops++;
					if (kind === 'loginDown') loginDownLeft = loginDownAttempts;
					return sendEmpty(res, 401);
			}
		}
		if (!live) {
			answer('unauthorized');
			return sendEmpty(res, 401);
		}
		const ok = () => sendJson(res, 200, JSON.stringify({ i }));
		switch (kind) {
			case 'slowHeaders':
				answer('slow');
				return timerFor(res)(slowMs, ok);
			case 'trickle': {
				answer('trickle');
				res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': trickleBytes });
				res.flushHeaders();
				const later = timerFor(res);
				let sent = 0;
				const drip = (): void => {
					res.write(' ');
					if (++sent < trickleBytes) later(trickleIntervalMs, drip);
					else res.end();
				};
				return later(trickleIntervalMs, drip);
			}
			case 'malformedJson':
				answer('malformed');
				return sendJson(res, 200, malformedBody(i));
			default:
				answer('ok');
				return ok();
		}
	}

	function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
		const path = new URL(req.url ?? '/', 'http://matrix.invalid').pathname;
		if (path === `${CONTEXT}/loginservice` && req.method === 'POST') return login(res, new URLSearchParams(body));
		if (path === `${CONTEXT}/logoutservice`) {
			stats.logouts++;
			const id = sessionOf(req);
			if (id) sessions.delete(id);
			return sendEmpty(res, 200);
		}
		if (!path.startsWith(`${CONTEXT}/API/`)) return sendEmpty(res, 404);
		const id = sessionOf(req);
		const live = id !== undefined && (!UNSAFE.has(req.method ?? 'GET') || req.headers['x-bonita-api-token'] === sessions.get(id));
		const item = /^\/API\/matrix\/(\d+)$/.exec(path.slice(CONTEXT.length));
		if (item && req.method === 'GET') return matrixItem(req, res, Number(item[1]), live);
		return sendEmpty(res, live ? 404 : 401);
	}

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
	});

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			resolve({
				url: `http://127.0.0.1:${port}${CONTEXT}`,
				stats,
				answers: (i) => answers.get(i) ?? [],
				failedLoginTimes,
				secrets,
				close: () =>
					new Promise<void>((done) => {
						for (const timer of timers) clearTimeout(timer);
						timers.clear();
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}
