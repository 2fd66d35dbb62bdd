/**
 * Digest-protected servers for the Digest scheme's tests, listening on 127.0.0.1 and a free port, each
 * with its own config in a temp dir under <repo>/.tmp (removed on close):
 *
 *  - lighttpd 1.4.69 (Debian package `lighttpd`): `lighttpd -D -f <conf> -m /usr/lib/lighttpd`, plain-text
 *    user file. Areas (see LIGHTTPD_AREAS), each holding `file.txt`: one per algorithm, and one offering
 *    SHA-256 and MD5 (lighttpd sends two WWW-Authenticate fields). Every challenge says qop="auth".
 *    lighttpd's nonce is `<hex epoch>:<hash>` and turns stale (401 with stale=true) 600 s after it was
 *    issued; no setting shortens that, so `adjustableClock` runs it under libfaketime (Debian package
 *    `libfaketime`) and advanceClock() moves its clock forward. A `Date` header shows lighttpd's clock.
 *  - Apache 2.4 (Debian packages `apache2-bin`, and `apache2-utils` for htdigest; not `apache2`, whose
 *    scripts start a system daemon): `apache2 -X -f <conf>`, a single foreground process. MD5 only.
 *    Areas (APACHE_AREAS): /md5/ and /stale/, whose nonces live 1 s (AuthDigestNonceLifetime), after
 *    which Apache answers stale=true. As root it drops to nobody, so its temp dir is world-readable.
 *  - a small Node server for what neither can be made to send: several challenges in one field, userhash,
 *    legacy challenges without qop, challenges offering only auth-int or unknown algorithms, and a server
 *    that forgets its nonces. It checks responses with its own code, so it does not share a mistake with
 *    the client's.
 *
 * Both real servers log `<status> "<request line>"` as soon as each response is sent (lighttpd through a
 * pipe: its file log is flushed only every few seconds), so requests() counts round trips as the server
 * saw them. The start-up probe (/probe), advanceClock's reads (/clock.txt) and other tests' calls are
 * logged too, so each test counts under a target prefix of its own. recordingTransport() counts round
 * trips from the client side and keeps what was sent. lighttpd delays each wrong-password answer by
 * about a second. A package that cannot be installed fails the start with an error naming it.
 */
import { spawn } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import type { HttpRequest, HttpResponse, Transport } from '../../core';
import { ensureDebianPackages, run } from '../support/runtimes';
import { freePort, makeTempDir } from '../support/node-red-runner';
import { killGroup, readOr, trackDaemon } from './daemons';

export const REALM = 'bpm-test';

/** lighttpd's protected directories, by the challenge(s) they send. */
export const LIGHTTPD_AREAS = {
	md5: { path: '/md5/', algorithm: 'MD5' },
	sha256: { path: '/sha256/', algorithm: 'SHA-256' },
	sha512_256: { path: '/sha512-256/', algorithm: 'SHA-512-256' },
	sha256OrMd5: { path: '/sha256-md5/', algorithm: 'SHA-256|MD5' },
} as const;

export const APACHE_AREAS = { md5: '/md5/', stale: '/stale/' } as const;

export interface LoggedRequest {
	status: number;
	method: string;
	/** Path and query as sent. */
	target: string;
}

export interface DigestPeer {
	kind: 'lighttpd' | 'apache' | 'node';
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Requests as the server logged them, oldest first; `under` keeps those whose target (path and query) starts with it. */
	requests(under?: string): LoggedRequest[];
	/** requests(under), once at least `count` are logged and no more arrive for 200 ms. */
	settledRequests(count: number, under?: string): Promise<LoggedRequest[]>;
	logs(): string;
	close(): Promise<void>;
}

export interface Lighttpd extends DigestPeer {
	/** Moves lighttpd's clock forward (needs `adjustableClock`); resolves once its Date header shows it. */
	advanceClock(seconds: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


/** Lines of the `%>s "%r"` format both servers are given. */
function parseAccessLog(text: string): LoggedRequest[] {
	return text.split('\n').flatMap((line) => {
		const m = /^(\d{3}) "(\S+) (\S+) HTTP\/[\d.]+"$/.exec(line.trim());
		return m ? [{ status: Number(m[1]), method: m[2], target: m[3] }] : [];
	});
}

function peerLog(read: () => LoggedRequest[]): Pick<DigestPeer, 'requests' | 'settledRequests'> {
	const requests = (under = '') => read().filter((r) => r.target.startsWith(under));
	return {
		requests,
		async settledRequests(count, under = '') {
			const deadline = Date.now() + 10_000;
			let seen = requests(under).length;
			let quietSince = Date.now();
			for (;;) {
				await sleep(50);
				const now = requests(under).length;
				if (now !== seen) {
					seen = now;
					quietSince = Date.now();
				}
				if (seen >= count && Date.now() - quietSince >= 200) return requests(under);
				if (Date.now() > deadline) throw new Error(`expected ${count} logged requests under "${under}", found ${seen}`);
			}
		},
	};
}

/** Installs the packages unless their files are already there (a machine without apt may have them anyway). */
async function ensurePackages(names: string[], binaries: string[]): Promise<void> {
	if (binaries.length > 0 && binaries.every((file) => fs.existsSync(file))) return;
	try {
		await ensureDebianPackages(names);
	} catch (error) {
		throw new Error(`${names.join(' + ')} could not be installed: ${(error as Error).message}`);
	}
	const missing = binaries.filter((file) => !fs.existsSync(file));
	if (missing.length > 0) throw new Error(`${names.join(' + ')} could not be installed: ${missing.join(', ')} missing after apt-get`);
}

interface Launch {
	kind: 'lighttpd' | 'apache';
	bin: string;
	args: string[];
	env?: NodeJS.ProcessEnv;
	dir: string;
	port: number;
	extraLogs: () => string;
}

/** Starts the server in its own process group and waits until it accepts HTTP on its port. */
async function launch(l: Launch): Promise<{ url: string; logs: () => string; close: () => Promise<void> }> {
	let output = '';
	const child = spawn(l.bin, l.args, { cwd: l.dir, env: l.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const tracked = trackDaemon(child);
	const append = (chunk: Buffer) => (output = `${output}${chunk}`.slice(-200_000));
	child.stdout!.on('data', append);
	child.stderr!.on('data', append);
	let exited: string | undefined;
	const exit = new Promise<void>((resolve) => {
		child.on('exit', (code, signal) => {
			exited = signal ?? `code ${code}`;
			tracked.forget();
			resolve();
		});
	});
	let spawnError: Error | undefined;
	child.on('error', (error) => (spawnError = error));
	const url = `http://127.0.0.1:${l.port}`;
	const logs = () => `${output}${l.extraLogs()}`;
	const close = async () => {
		if (!exited) {
			killGroup(child, 'SIGTERM');
			if ((await Promise.race([exit.then(() => 'exited'), sleep(5000)])) !== 'exited') killGroup(child, 'SIGKILL');
			await exit;
		}
		// lighttpd's log pipe shares the group
		killGroup(child, 'SIGKILL');
		if (process.env.BPM_KEEP_TMP !== '1') fs.rmSync(l.dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (spawnError) {
			await close();
			throw new Error(`${l.kind} could not be started: ${spawnError.message}`);
		}
		if (exited) {
			const text = logs();
			await close();
			throw new Error(`${l.kind} exited during start-up (${exited}); output:\n${text.slice(-4000)}`);
		}
		if (await answers(url)) return { url, logs, close };
		if (Date.now() > deadline) {
			const text = logs();
			await close();
			throw new Error(`${l.kind} did not answer on ${url} within 30 s; output:\n${text.slice(-4000)}`);
		}
		await sleep(100);
	}
}

function answers(url: string): Promise<boolean> {
	return new Promise((resolve) => {
		const request = http.get(`${url}/probe`, { timeout: 1000 }, (response) => {
			response.resume();
			resolve(true);
		});
		request.on('error', () => resolve(false));
		request.on('timeout', () => request.destroy());
	});
}

/** Up to 3 attempts: a port from freePort() may be taken by someone else in between. */
async function withRetries<T>(attempt: () => Promise<T>): Promise<T> {
	for (let i = 1; ; i++) {
		try {
			return await attempt();
		} catch (error) {
			if (i === 3 || !/exited during start-up/.test((error as Error).message)) throw error;
		}
	}
}

function writeArea(root: string, area: string): void {
	fs.mkdirSync(path.join(root, area), { recursive: true });
	fs.writeFileSync(path.join(root, area, 'file.txt'), `ok ${area}\n`);
}

// ---------------------------------------------------------------------------------------------
// lighttpd
// ---------------------------------------------------------------------------------------------

const LIGHTTPD_BIN = '/usr/sbin/lighttpd';
const LIGHTTPD_MODULES = '/usr/lib/lighttpd';

export interface LighttpdOptions {
	/** user → password; lighttpd's plain user file takes no ':' in user names. */
	users: Record<string, string>;
	/** Runs lighttpd under libfaketime so that advanceClock() can make its nonces stale. */
	adjustableClock?: boolean;
}

async function faketimeLibrary(): Promise<string> {
	await ensurePackages(['libfaketime'], []);
	const { stdout } = await run('dpkg', ['-L', 'libfaketime'], { timeoutMs: 30_000 });
	const library = stdout.split('\n').find((line) => line.endsWith('/libfaketime.so.1'));
	if (!library) throw new Error('libfaketime could not be installed: libfaketime.so.1 not found in the package');
	return library;
}

export async function startLighttpd(options: LighttpdOptions): Promise<Lighttpd> {
	await ensurePackages(['lighttpd'], [LIGHTTPD_BIN, path.join(LIGHTTPD_MODULES, 'mod_auth.so')]);
	const faketime = options.adjustableClock ? await faketimeLibrary() : undefined;
	return withRetries(async () => {
		const dir = makeTempDir('lighttpd');
		const port = await freePort();
		const root = path.join(dir, 'www');
		const clockFile = path.join(dir, 'clock');
		const accessLog = path.join(dir, 'access.log');
		const errorLog = path.join(dir, 'error.log');
		const usersFile = path.join(dir, 'users');
		for (const { path: area } of Object.values(LIGHTTPD_AREAS)) writeArea(root, area);
		fs.writeFileSync(path.join(root, 'clock.txt'), 'tick\n');
		fs.writeFileSync(usersFile, Object.entries(options.users).map(([user, password]) => `${user}:${password}\n`).join(''));
		fs.writeFileSync(clockFile, '+0');
		const requirements = Object.values(LIGHTTPD_AREAS).map(
			({ path: area, algorithm }) =>
				`  "${area}" => ("method" => "digest", "realm" => "${REALM}", "require" => "valid-user", "algorithm" => "${algorithm}"),`,
		);
		const conf = [
			`server.document-root = "${root}"`,
			`server.port = ${port}`,
			'server.bind = "127.0.0.1"',
			`server.errorlog = "${errorLog}"`,
			'server.modules = ("mod_auth", "mod_authn_file", "mod_accesslog")',
			'mimetype.assign = (".txt" => "text/plain")',
			'accesslog.format = "%>s \\"%r\\""',
			`accesslog.filename = "|exec /bin/cat >> '${accessLog}'"`,
			'auth.backend = "plain"',
			`auth.backend.plain.userfile = "${usersFile}"`,
			'auth.require = (',
			...requirements,
			')',
			'',
		].join('\n');
		const confFile = path.join(dir, 'lighttpd.conf');
		fs.writeFileSync(confFile, conf);
		// The monotonic clock stays real: lighttpd times connections with it, and only nonces should age.
		const env = faketime
			? { ...process.env, LD_PRELOAD: faketime, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1' }
			: undefined;
		const server = await launch({
			kind: 'lighttpd',
			bin: LIGHTTPD_BIN,
			args: ['-D', '-f', confFile, '-m', LIGHTTPD_MODULES],
			env,
			dir,
			port,
			extraLogs: () => readOr(errorLog) + readOr(accessLog),
		});
		let offset = 0;
		return {
			kind: 'lighttpd',
			...server,
			...peerLog(() => parseAccessLog(readOr(accessLog))),
			async advanceClock(seconds) {
				if (!faketime) throw new Error('advanceClock needs startLighttpd({ adjustableClock: true })');
				offset += seconds;
				fs.writeFileSync(clockFile, `+${offset}`);
				// lighttpd reads the time once a second; its Date header shows when it has moved.
				const deadline = Date.now() + 10_000;
				while (Date.parse((await fetch(`${server.url}/clock.txt`)).headers.get('date') ?? '') < Date.now() + (offset - 2) * 1000) {
					if (Date.now() > deadline) throw new Error(`lighttpd's clock did not move ${offset} s ahead`);
					await sleep(200);
				}
			},
		};
	});
}

// ---------------------------------------------------------------------------------------------
// Apache
// ---------------------------------------------------------------------------------------------

const APACHE_BIN = '/usr/sbin/apache2';
const APACHE_MODULES = '/usr/lib/apache2/modules';
const HTDIGEST = '/usr/bin/htdigest';

export interface ApacheOptions {
	users: Record<string, string>;
}

/** htdigest prompts twice for the password; detached, it has no terminal and reads them from stdin. */
function htdigest(file: string, user: string, password: string, create: boolean): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(HTDIGEST, [...(create ? ['-c'] : []), file, REALM, user], { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
		let stderr = '';
		child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`htdigest failed (code ${code}): ${stderr}`))));
		child.stdin!.end(`${password}\n${password}\n`);
	});
}

export async function startApache(options: ApacheOptions): Promise<DigestPeer> {
	await ensurePackages(['apache2-bin', 'apache2-utils'], [APACHE_BIN, HTDIGEST, path.join(APACHE_MODULES, 'mod_auth_digest.so')]);
	return withRetries(async () => {
		const dir = makeTempDir('apache');
		// As root Apache serves as nobody, which must read the files mkdtemp made private.
		fs.chmodSync(dir, 0o755);
		const port = await freePort();
		const root = path.join(dir, 'www');
		const accessLog = path.join(dir, 'access.log');
		const errorLog = path.join(dir, 'error.log');
		const usersFile = path.join(dir, 'users.digest');
		for (const area of Object.values(APACHE_AREAS)) writeArea(root, area);
		let first = true;
		for (const [user, password] of Object.entries(options.users)) {
			await htdigest(usersFile, user, password, first);
			first = false;
		}
		const area = (location: string, extra: string[] = []) => [
			`<Location ${location}>`,
			'  AuthType Digest',
			`  AuthName "${REALM}"`,
			'  AuthDigestProvider file',
			`  AuthUserFile "${usersFile}"`,
			...extra.map((line) => `  ${line}`),
			'  Require valid-user',
			'</Location>',
		];
		const modules = ['mpm_event', 'authn_core', 'authn_file', 'authz_core', 'authz_user', 'auth_digest', 'mime'];
		const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
		const conf = [
			`ServerRoot "${dir}"`,
			`Listen 127.0.0.1:${port}`,
			'ServerName 127.0.0.1',
			`PidFile "${path.join(dir, 'httpd.pid')}"`,
			`DefaultRuntimeDir "${dir}"`,
			`ErrorLog "${errorLog}"`,
			'LogLevel warn',
			...(asRoot ? ['User nobody', 'Group nogroup'] : []),
			...modules.map((name) => `LoadModule ${name}_module ${APACHE_MODULES}/mod_${name}.so`),
			'TypesConfig /dev/null',
			'AddType text/plain .txt',
			'LogFormat "%>s \\"%r\\"" bpm',
			`CustomLog "${accessLog}" bpm`,
			`DocumentRoot "${root}"`,
			...area(APACHE_AREAS.md5),
			...area(APACHE_AREAS.stale, ['AuthDigestNonceLifetime 1']),
			'',
		].join('\n');
		const confFile = path.join(dir, 'httpd.conf');
		fs.writeFileSync(confFile, conf);
		for (const file of [confFile, usersFile]) fs.chmodSync(file, 0o644);
		const server = await launch({ kind: 'apache', bin: APACHE_BIN, args: ['-X', '-f', confFile], dir, port, extraLogs: () => readOr(errorLog) + readOr(accessLog) });
		return { kind: 'apache', ...server, ...peerLog(() => parseAccessLog(readOr(accessLog))) };
	});
}

// ---------------------------------------------------------------------------------------------
// Node
// ---------------------------------------------------------------------------------------------

export interface DigestOffer {
	/** Sent as is; absent sends no algorithm parameter (which means MD5). */
	algorithm?: string;
	/** The qop options as sent, e.g. "auth" or "auth-int"; absent makes a legacy challenge. */
	qop?: string;
	userhash?: boolean;
}

export interface NodeDigestOptions {
	users: Record<string, string>;
	offers: DigestOffer[];
	/** All offers in one WWW-Authenticate field (`Digest …, Digest …`) rather than one field each. */
	oneField?: boolean;
}

export interface NodeDigestServer extends DigestPeer {
	/** Each request's Authorization header (undefined when it had none), oldest first. */
	authorizations(): Array<string | undefined>;
	/** Nonces issued so far are refused with stale=true and a fresh nonce. */
	expireNonces(): void;
	/** Nonces issued so far are unknown: refused without stale, as after a restart. */
	forgetNonces(): void;
}

/** A realm a naive split(',') or an unescaping slip would break. */
export const NODE_REALM = 'bpm "node", test';
const OPAQUE = 'opaque/0+1=';
const NODE_HASHES: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

interface NonceRecord {
	expired: boolean;
	ncs: Set<string>;
}

export async function startNodeDigestServer(options: NodeDigestOptions): Promise<NodeDigestServer> {
	const nonces = new Map<string, NonceRecord>();
	const logged: LoggedRequest[] = [];
	const authorizations: Array<string | undefined> = [];
	const quote = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;
	const challenge = (offer: DigestOffer, nonce: string, stale: boolean) =>
		[
			`Digest realm=${quote(NODE_REALM)}`,
			`nonce=${quote(nonce)}`,
			`opaque=${quote(OPAQUE)}`,
			...(offer.algorithm ? [`algorithm=${offer.algorithm}`] : []),
			...(offer.qop ? [`qop=${quote(offer.qop)}`] : []),
			...(offer.userhash ? ['userhash=true'] : []),
			...(stale ? ['stale=true'] : []),
		].join(', ');

	const verify = (request: http.IncomingMessage): 'ok' | 'stale' | 'refused' => {
		const header = request.headers.authorization;
		if (!header?.startsWith('Digest ')) return 'refused';
		const p = authorizationParams(header.slice('Digest '.length));
		const algorithm = p.algorithm ?? 'MD5';
		const offer = options.offers.find((o) => (o.algorithm ?? 'MD5').toLowerCase() === algorithm.toLowerCase());
		const session = /-sess$/i.test(algorithm);
		const hashName = NODE_HASHES[algorithm.replace(/-sess$/i, '').toUpperCase()];
		const record = nonces.get(p.nonce ?? '');
		if (!offer || !hashName || !record || p.realm !== NODE_REALM || p.opaque !== OPAQUE || p.uri !== request.url) return 'refused';
		if (record.expired) return 'stale';
		const hash = (text: string) => createHash(hashName).update(text, 'utf8').digest('hex');
		const qop = offer.qop !== undefined;
		if (qop && (p.qop !== 'auth' || !/^[0-9a-f]{8}$/.test(p.nc ?? '') || !p.cnonce || record.ncs.has(p.nc!))) return 'refused';
		if (!qop && (p.qop || p.nc || p.cnonce)) return 'refused';
		const user = p['username*'] !== undefined ? decodeExtValue(p['username*']) : p.userhash === 'true' ? Object.keys(options.users).find((name) => hash(`${name}:${NODE_REALM}`) === p.username) : p.username;
		const password = user === undefined ? undefined : options.users[user];
		if (password === undefined) return 'refused';
		let ha1 = hash(`${user}:${NODE_REALM}:${password}`);
		if (session) ha1 = hash(`${ha1}:${p.nonce}:${p.cnonce}`);
		const ha2 = hash(`${request.method}:${p.uri}`);
		const expected = qop ? hash(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : hash(`${ha1}:${p.nonce}:${ha2}`);
		if (expected !== p.response) return 'refused';
		if (qop) record.ncs.add(p.nc!);
		return 'ok';
	};

	const server = http.createServer((request, response) => {
		authorizations.push(request.headers.authorization);
		const verdict = verify(request);
		const moved = verdict === 'ok' && request.url?.startsWith('/moved');
		const status = verdict !== 'ok' ? 401 : moved ? 302 : 200;
		logged.push({ status, method: request.method ?? '', target: request.url ?? '' });
		if (moved) {
			response.writeHead(302, { Location: '/arrived?after=moved' }).end();
			return;
		}
		if (verdict === 'ok') {
			response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
			return;
		}
		const nonce = randomBytes(12).toString('base64');
		nonces.set(nonce, { expired: false, ncs: new Set() });
		const challenges = options.offers.map((offer) => challenge(offer, nonce, verdict === 'stale'));
		response.writeHead(401, { 'WWW-Authenticate': options.oneField ? challenges.join(', ') : challenges, 'Content-Type': 'text/plain' }).end('unauthorized\n');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		kind: 'node',
		url,
		...peerLog(() => logged),
		logs: () => logged.map((r) => `${r.status} ${r.method} ${r.target}`).join('\n'),
		authorizations: () => [...authorizations],
		expireNonces() {
			for (const record of nonces.values()) record.expired = true;
		},
		forgetNonces() {
			nonces.clear();
		},
		close() {
			server.closeAllConnections();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** The server's own reading of an Authorization field: name=token or name="quoted", unescaped. */
function authorizationParams(text: string): Record<string, string | undefined> {
	const params: Record<string, string | undefined> = {};
	for (const m of text.matchAll(/([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
		params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
	}
	return params;
}

/** RFC 8187 `UTF-8''percent-encoded`. */
function decodeExtValue(value: string): string | undefined {
	const m = /^UTF-8'[^']*'(.*)$/i.exec(value);
	return m ? decodeURIComponent(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------------------------

export interface RecordedExchange {
	request: HttpRequest;
	response: HttpResponse;
}

/** A transport that keeps every exchange (logins' included), to count round trips from the client side. */
export function recordingTransport(inner: Transport): Transport & { exchanges: RecordedExchange[] } {
	const exchanges: RecordedExchange[] = [];
	return {
		exchanges,
		async send(request, authorizeHop) {
			const response = await inner.send(request, authorizeHop);
			exchanges.push({ request, response });
			return response;
		},
		cookie: (name, url) => inner.cookie(name, url),
		cookieValues: () => inner.cookieValues(),
		clearCookies: () => inner.clearCookies(),
		close: () => inner.close(),
	};
}
