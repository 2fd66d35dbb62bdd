/**
 * Real forward proxies for the engine's tests, run in the foreground with their own config in a
 * temp dir under <repo>/.tmp, listening on 127.0.0.1 only:
 *
 *  - tinyproxy 1.11 (Debian package `tinyproxy-bin`, the bare binary without the service wrapper):
 *    `tinyproxy -d -c <conf>`; Basic proxy auth with `BasicAuth user password` (tinyproxy's parser
 *    only takes [A-Za-z0-9._-] there); no `ConnectPort` line, so CONNECT is allowed to any port.
 *    Observed: no credentials → 407 + `Proxy-Authenticate: Basic realm="Tinyproxy"`; **wrong
 *    credentials → 401 + `WWW-Authenticate`** (for CONNECT and for absolute-form requests alike).
 *  - squid 5.7 (Debian package `squid`): `squid -N -f <conf>` with no cache_dir, `cache deny all`,
 *    Basic proxy auth through `/usr/lib/squid/basic_ncsa_auth` and an htpasswd file (apr1 hashes from
 *    `openssl passwd -apr1`), no SSL_ports ACL (CONNECT to any port). Missing or wrong credentials
 *    → 407 + `Proxy-Authenticate: Basic realm="bpm-test"`. As root, squid drops to the `proxy` user
 *    (`cache_effective_user`), so its temp dir is handed to that user. close() SIGKILLs its process
 *    group (squid + auth helpers): a graceful stop always takes about 2 s.
 *
 * `requestsSeen()` lists `METHOD target` per request the proxy received (denied ones included), e.g.
 * `GET http://127.0.0.1:4321/echo` or `CONNECT 127.0.0.1:4433`, parsed from tinyproxy's log (written
 * when the request line arrives) or squid's access log (written when the transaction ends: use
 * `waitForRequest`, and close tunnels first).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { ensureDebianPackages, run } from '../support/runtimes';
import { freePort, makeTempDir } from '../support/node-red-runner';
import { killGroup, readOr, trackDaemon } from './daemons';

export interface ProxyOptions {
	/** Enables Basic proxy authentication (both user and password are needed). */
	user?: string;
	password?: string;
}

export interface ProxyLogEntry {
	method: string;
	/** Absolute URL for forwarded requests, `host:port` for CONNECT. */
	target: string;
	/** HTTP status the proxy answered (squid only). */
	status?: number;
	/** Authenticated user (squid only). */
	user?: string;
	raw: string;
}

export interface RunningProxy {
	kind: 'tinyproxy' | 'squid';
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	/** `http://user:password@127.0.0.1:<port>` when auth is on (credentials percent-encoded), else `url`. */
	authUrl: string;
	/** Value for a `Proxy-Authorization` header, when auth is on. */
	proxyAuthorization?: string;
	dir: string;
	/** Process output plus the proxy's log files. */
	logs(): string;
	/** `METHOD target` for every request found in the access log. */
	requestsSeen(): string[];
	entries(): ProxyLogEntry[];
	/** Resolves with the first entry of requestsSeen() matching, polling the log (squid logs late). */
	waitForRequest(match: string | RegExp, timeoutMs?: number): Promise<string>;
	close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;


function checkCredentials(opts: ProxyOptions): { user: string; password: string } | undefined {
	if (opts.user === undefined && opts.password === undefined) return undefined;
	if (!opts.user || opts.password === undefined) throw new Error('proxy auth needs both user and password');
	if (/[\s:]/.test(opts.user)) throw new Error('proxy user must not contain whitespace or ":"');
	return { user: opts.user, password: opts.password };
}

function canConnect(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const s = net.connect({ host: '127.0.0.1', port });
		const done = (ok: boolean) => {
			s.destroy();
			resolve(ok);
		};
		s.once('connect', () => done(true));
		s.once('error', () => done(false));
		s.setTimeout(1000, () => done(false));
	});
}

interface Launch {
	kind: 'tinyproxy' | 'squid';
	dir: string;
	bin: string;
	args: string[];
	port: number;
	extraLogs: () => string;
	parse: () => ProxyLogEntry[];
	/** Signal for a graceful stop. */
	stopSignal: NodeJS.Signals;
	creds?: { user: string; password: string };
}

async function launch(l: Launch): Promise<RunningProxy> {
	let output = '';
	const child = spawn(l.bin, l.args, { cwd: l.dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const tracked = trackDaemon(child);
	const append = (c: Buffer) => {
		output += c.toString();
		if (output.length > 1_000_000) output = output.slice(-500_000);
	};
	child.stdout!.on('data', append);
	child.stderr!.on('data', append);
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const exitPromise = new Promise<void>((resolve) => {
		child.on('exit', (code, signal) => {
			exited = { code, signal };
			tracked.forget();
			resolve();
		});
	});
	let spawnError: Error | undefined;
	child.on('error', (err) => (spawnError = err));

	const logs = () => `${output}${l.extraLogs()}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (spawnError) throw new Error(`${l.kind} could not be started: ${spawnError.message}`);
		if (exited) {
			throw new Error(`${l.kind} exited during start-up (${exited.signal ?? `code ${exited.code}`}); output:\n${logs().slice(-4000)}`);
		}
		if (await canConnect(l.port)) break;
		if (Date.now() > deadline) {
			killGroup(child, 'SIGKILL');
			throw new Error(`${l.kind} did not accept connections on 127.0.0.1:${l.port} within 60 s; output:\n${logs().slice(-4000)}`);
		}
		await sleep(100);
	}

	const url = `http://127.0.0.1:${l.port}`;
	const authUrl = l.creds
		? `http://${encodeURIComponent(l.creds.user)}:${encodeURIComponent(l.creds.password)}@127.0.0.1:${l.port}`
		: url;
	const requestsSeen = () => l.parse().map((e) => `${e.method} ${e.target}`);
	let closing: Promise<void> | undefined;
	return {
		kind: l.kind,
		url,
		port: l.port,
		authUrl,
		proxyAuthorization: l.creds ? `Basic ${Buffer.from(`${l.creds.user}:${l.creds.password}`).toString('base64')}` : undefined,
		dir: l.dir,
		logs,
		entries: l.parse,
		requestsSeen,
		async waitForRequest(match: string | RegExp, timeoutMs = 10_000): Promise<string> {
			const test = (s: string) => (typeof match === 'string' ? s.includes(match) : match.test(s));
			const end = Date.now() + timeoutMs;
			for (;;) {
				const hit = requestsSeen().find(test);
				if (hit) return hit;
				if (Date.now() > end) {
					throw new Error(`${l.kind} log shows no request matching ${String(match)}; seen:\n${requestsSeen().join('\n')}`);
				}
				await sleep(100);
			}
		},
		close(): Promise<void> {
			closing ??= (async () => {
				if (exited) return;
				killGroup(child, l.stopSignal);
				const timer = sleep(5000).then(() => 'timeout');
				if ((await Promise.race([exitPromise.then(() => 'exited'), timer])) === 'timeout') {
					killGroup(child, 'SIGKILL');
					await exitPromise;
				}
				// helpers (squid's auth programs) share the process group
				killGroup(child, 'SIGKILL');
				if (process.env.BPM_KEEP_TMP !== '1') fs.rmSync(l.dir, { recursive: true, force: true });
			})();
			return closing;
		},
	};
}

/** Up to 3 attempts: the port from freePort() may be taken by someone else in between. */
async function withRetries(kind: string, attempt: () => Promise<RunningProxy>): Promise<RunningProxy> {
	let lastErr: unknown;
	for (let i = 0; i < 3; i++) {
		try {
			return await attempt();
		} catch (err) {
			lastErr = err;
			if (!/exited during start-up|did not accept/.test(String((err as Error).message))) throw err;
		}
	}
	throw new Error(`${kind} could not be started: ${(lastErr as Error).message}`);
}

// ---------------------------------------------------------------------------------------------
// tinyproxy
// ---------------------------------------------------------------------------------------------

const TINYPROXY_BIN = '/usr/bin/tinyproxy';

async function ensureTinyproxy(): Promise<void> {
	if (fs.existsSync(TINYPROXY_BIN)) return;
	try {
		// Debian 12 splits it: `tinyproxy-bin` holds the binary, `tinyproxy` adds the service.
		await ensureDebianPackages(['tinyproxy-bin']);
	} catch (err) {
		throw new Error(`tinyproxy could not be installed: ${(err as Error).message}`);
	}
	if (!fs.existsSync(TINYPROXY_BIN)) throw new Error(`tinyproxy could not be installed: ${TINYPROXY_BIN} missing after apt-get`);
}

/** tinyproxy's log: `CONNECT   <date> [pid]: Request (file descriptor N): GET http://… HTTP/1.1` */
function parseTinyproxyLog(text: string): ProxyLogEntry[] {
	const out: ProxyLogEntry[] = [];
	for (const line of text.split('\n')) {
		const m = /Request \(file descriptor \d+\): (\S+) (\S+)(?: HTTP\/[\d.]+)?\s*$/.exec(line);
		if (m) out.push({ method: m[1], target: m[2], raw: line });
	}
	return out;
}

export async function startTinyproxy(opts: ProxyOptions = {}): Promise<RunningProxy> {
	const creds = checkCredentials(opts);
	if (creds && !/^[A-Za-z0-9._-]+$/.test(`${creds.user}${creds.password}`)) {
		throw new Error('tinyproxy 1.11 BasicAuth only parses [A-Za-z0-9._-] in user and password');
	}
	await ensureTinyproxy();
	return withRetries('tinyproxy', async () => {
		const dir = makeTempDir('tinyproxy');
		const port = await freePort();
		const logFile = path.join(dir, 'tinyproxy.log');
		const conf = [
			`Port ${port}`,
			'Listen 127.0.0.1',
			'Timeout 600',
			`LogFile "${logFile}"`,
			'LogLevel Info',
			`PidFile "${path.join(dir, 'tinyproxy.pid')}"`,
			'MaxClients 200',
			// No ConnectPort line: CONNECT is allowed to every port (the test servers use random ones).
			...(creds ? [`BasicAuth ${creds.user} ${creds.password}`] : []),
			'',
		].join('\n');
		const confFile = path.join(dir, 'tinyproxy.conf');
		fs.writeFileSync(confFile, conf);
		try {
			return await launch({
				kind: 'tinyproxy',
				dir,
				bin: TINYPROXY_BIN,
				args: ['-d', '-c', confFile],
				port,
				extraLogs: () => readOr(logFile),
				parse: () => parseTinyproxyLog(readOr(logFile)),
				stopSignal: 'SIGTERM',
				creds,
			});
		} catch (err) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw err;
		}
	});
}

// ---------------------------------------------------------------------------------------------
// squid
// ---------------------------------------------------------------------------------------------

const SQUID_BIN = '/usr/sbin/squid';
const NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

async function ensureSquid(): Promise<void> {
	if (fs.existsSync(SQUID_BIN) && fs.existsSync(NCSA_AUTH)) return;
	try {
		await ensureDebianPackages(['squid']);
	} catch (err) {
		throw new Error(`squid could not be installed: ${(err as Error).message}`);
	}
	for (const f of [SQUID_BIN, NCSA_AUTH]) {
		if (!fs.existsSync(f)) throw new Error(`squid could not be installed: ${f} missing after apt-get`);
	}
}

/** uid/gid of a system user, from /etc/passwd. */
function systemUser(name: string): { uid: number; gid: number } | undefined {
	for (const line of readOr('/etc/passwd').split('\n')) {
		const f = line.split(':');
		if (f[0] === name && f.length > 3) return { uid: Number(f[2]), gid: Number(f[3]) };
	}
	return undefined;
}

/** Our logformat `bpm`: `<epoch.ms> <client> <squid-status>/<http-status> <method> <url> <user|->` */
function parseSquidLog(text: string): ProxyLogEntry[] {
	const out: ProxyLogEntry[] = [];
	for (const line of text.split('\n')) {
		const m = /^\S+ \S+ \S+\/(\d+) (\S+) (\S+) (\S+)/.exec(line.trim());
		// `-` lines: connections closed before a request (e.g. the start-up port probe)
		if (!m || m[2] === '-') continue;
		const entry: ProxyLogEntry = { method: m[2], target: m[3], status: Number(m[1]), raw: line };
		if (m[4] !== '-') entry.user = decodeURIComponent(m[4]);
		out.push(entry);
	}
	return out;
}

export async function startSquid(opts: ProxyOptions = {}): Promise<RunningProxy> {
	const creds = checkCredentials(opts);
	await ensureSquid();
	let passwdLine: string | undefined;
	if (creds) {
		const r = await run('openssl', ['passwd', '-apr1', creds.password], { timeoutMs: 30_000, label: 'openssl' });
		passwdLine = `${creds.user}:${r.stdout.trim()}\n`;
	}
	return withRetries('squid', async () => {
		const dir = makeTempDir('squid');
		const port = await freePort();
		const accessLog = path.join(dir, 'access.log');
		const cacheLog = path.join(dir, 'cache.log');
		const passwd = path.join(dir, 'passwd');
		let runAs: string | undefined;
		if (isRoot()) {
			// squid refuses to keep root; it drops to cache_effective_user, which must write its logs.
			const name = systemUser('proxy') ? 'proxy' : 'nobody';
			const ids = systemUser(name);
			if (!ids) throw new Error('squid could not be started: neither user "proxy" nor "nobody" exists');
			fs.chownSync(dir, ids.uid, ids.gid);
			runAs = name;
		}
		if (passwdLine) fs.writeFileSync(passwd, passwdLine, { mode: 0o644 });
		const conf = [
			`http_port 127.0.0.1:${port}`,
			`pid_filename ${path.join(dir, 'squid.pid')}`,
			`cache_log ${cacheLog}`,
			'logformat bpm %ts.%03tu %>a %Ss/%03>Hs %rm %ru %[un',
			`access_log stdio:${accessLog} bpm`,
			'buffered_logs off',
			'strip_query_terms off',
			'logfile_rotate 0',
			'cache deny all',
			'cache_mem 8 MB',
			`coredump_dir ${dir}`,
			'netdb_filename none',
			'pinger_enable off',
			'dns_nameservers 127.0.0.1',
			'visible_hostname bpm-test-squid',
			'shutdown_lifetime 0 seconds',
			...(runAs ? [`cache_effective_user ${runAs}`] : []),
			...(creds
				? [
						`auth_param basic program ${NCSA_AUTH} ${passwd}`,
						'auth_param basic realm bpm-test',
						'auth_param basic children 3 startup=1 idle=1',
						'auth_param basic credentialsttl 1 second',
						'acl authed proxy_auth REQUIRED',
						'http_access allow authed',
					]
				: ['http_access allow all']),
			'http_access deny all',
			'',
		].join('\n');
		const confFile = path.join(dir, 'squid.conf');
		fs.writeFileSync(confFile, conf, { mode: 0o644 });
		try {
			return await launch({
				kind: 'squid',
				dir,
				bin: SQUID_BIN,
				args: ['-N', '-f', confFile],
				port,
				extraLogs: () => readOr(cacheLog) + readOr(accessLog),
				parse: () => parseSquidLog(readOr(accessLog)),
				// a graceful stop (SIGINT/SIGTERM) always takes about 2 s; nothing here needs it
				stopSignal: 'SIGKILL',
				creds,
			});
		} catch (err) {
			fs.rmSync(dir, { recursive: true, force: true });
			throw err;
		}
	});
}
