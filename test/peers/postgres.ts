/**
 * A throwaway PostgreSQL 15 (Debian's postgresql-15) for the tests: `initdb` into a fresh temporary folder, the
 * server on 127.0.0.1 and a free port, one database and one password-authenticated role, nothing left behind.
 *
 * PostgreSQL refuses to run as root: under root (CI containers) the folder is handed to the `postgres` account
 * the Debian package creates, and the server and initdb run as that account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../support/node-red-runner';
import { ensureDebianPackages, run } from '../support/runtimes';
import { killGroup, readOr, trackDaemon } from './daemons';

export const POSTGRES_PACKAGE = 'postgresql-15';
const BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresOptions {
	/** Database and role created for the caller (default 'n8n'). */
	database?: string;
	user?: string;
}

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	/** A random password, created for this server only. */
	password: string;
	/** `pg_dump` of the database (plain SQL, data included). */
	dump(): Promise<string>;
	/** The server's own log. */
	log(): string;
	stop(): Promise<void>;
}

/** uid/gid of Debian's `postgres` account when we are root (initdb and postgres refuse root). */
function runAs(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error(`running as root and there is no "postgres" account (Debian's ${POSTGRES_PACKAGE} creates it)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
	await ensureDebianPackages([POSTGRES_PACKAGE]);
	const database = options.database ?? 'n8n';
	const user = options.user ?? 'n8n';
	const password = randomBytes(18).toString('base64url');
	const owner = runAs();
	// Under the system temporary folder: the `postgres` account must be able to reach it, which a folder
	// below a root-owned checkout does not guarantee.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpm-postgres-'));
	const data = path.join(dir, 'data');
	const pwfile = path.join(dir, 'pw');
	fs.writeFileSync(pwfile, password, { mode: 0o600 });
	if (owner) {
		fs.chownSync(dir, owner.uid, owner.gid);
		fs.chownSync(pwfile, owner.uid, owner.gid);
	}
	const asOwner = owner ? { uid: owner.uid, gid: owner.gid } : {};
	const env = { ...process.env, LC_ALL: 'C.UTF-8' };
	const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });

	try {
		await runAsOwner(`${BIN}/initdb`, ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync'], asOwner, env);
	} catch (error) {
		cleanup();
		throw error;
	}
	fs.rmSync(pwfile);

	const port = await freePort();
	const logFile = path.join(dir, 'postgres.log');
	const logFd = fs.openSync(logFile, 'a');
	if (owner) fs.fchownSync(logFd, owner.uid, owner.gid);
	// fsync off: a test database is thrown away, and the machine's disk is shared with the other suites.
	const child: ChildProcess = spawn(
		`${BIN}/postgres`,
		['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'],
		{ ...asOwner, env, stdio: ['ignore', logFd, logFd], detached: true },
	);
	fs.closeSync(logFd);
	const tracked = trackDaemon(child);
	let exited = false;
	const exit = new Promise<void>((resolve) =>
		child.on('exit', () => {
			exited = true;
			tracked.forget();
			resolve();
		}),
	);
	const stop = async () => {
		if (!exited) {
			killGroup(child, 'SIGINT'); // "fast shutdown"
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
			await exit;
			clearTimeout(timer);
		}
		cleanup();
	};

	const clientEnv = { ...env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', user];
	try {
		const deadline = Date.now() + 30_000;
		for (;;) {
			if (exited) throw new Error('postgres exited');
			const ready = await run(`${BIN}/pg_isready`, [...connection, '-d', 'postgres'], { env: clientEnv, timeoutMs: 10_000 }).then(
				() => true,
				() => false,
			);
			if (ready) break;
			if (Date.now() > deadline) throw new Error('postgres was not ready after 30 s');
			await sleep(200);
		}
		await run(`${BIN}/createdb`, [...connection, database], { env: clientEnv, timeoutMs: 30_000 });
	} catch (error) {
		const log = readOr(logFile);
		await stop();
		throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log.split('\n').slice(-20).join('\n')}`);
	}

	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		dump: async () => (await run(`${BIN}/pg_dump`, [...connection, '--no-owner', database], { env: clientEnv, timeoutMs: 120_000 })).stdout,
		log: () => readOr(logFile),
		stop,
	};
}

/** Runs a command as the given account (or as ourselves), rejecting with its output on failure. */
function runAsOwner(cmd: string, args: string[], asOwner: { uid?: number; gid?: number }, env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...asOwner, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} exited with ${code}:\n${output.slice(-2000)}`))));
	});
}
