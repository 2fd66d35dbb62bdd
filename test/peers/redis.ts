/**
 * A throwaway Redis (Debian's redis-server) for the tests: on 127.0.0.1 and a free port, in memory only (no
 * snapshots, no append-only file), its folder removed on stop.
 *
 * `dump()` takes what a replica or a backup would get: an RDB snapshot through `redis-cli --rdb`. The server is
 * told not to LZF-compress strings in snapshots, so a value stored in plain text is also plain text in the
 * dump, where a secret scan can see it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, makeTempDir } from '../support/node-red-runner';
import { ensureDebianPackages, run } from '../support/runtimes';
import { killGroup, trackDaemon } from './daemons';

export const REDIS_PACKAGE = 'redis-server';

export interface Redis {
	host: string;
	port: number;
	/** The RDB snapshot as bytes (`redis-cli --rdb`). */
	dump(): Promise<Buffer>;
	/** Every key with its type, for reports (`redis-cli --scan`). */
	keys(): Promise<string[]>;
	log(): string;
	stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startRedis(): Promise<Redis> {
	await ensureDebianPackages([REDIS_PACKAGE]);
	const dir = makeTempDir('redis');
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--rdbcompression', 'no', '--daemonize', 'no'];
	const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	const tracked = trackDaemon(child);
	let log = '';
	child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
	let exited = false;
	const exit = new Promise<void>((resolve) =>
		child.on('exit', () => {
			exited = true;
			tracked.forget();
			resolve();
		}),
	);
	const cli = (...more: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...more], { timeoutMs: 60_000 });
	const stop = async () => {
		if (!exited) {
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 10_000);
			await exit;
			clearTimeout(timer);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};

	try {
		const deadline = Date.now() + 20_000;
		for (;;) {
			if (exited) throw new Error('redis-server exited');
			const pong = await cli('PING').then(
				(r) => r.stdout.trim() === 'PONG',
				() => false,
			);
			if (pong) break;
			if (Date.now() > deadline) throw new Error('redis-server did not answer PING after 20 s');
			await sleep(100);
		}
	} catch (error) {
		await stop();
		throw new Error(`Redis did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
	}

	return {
		host: '127.0.0.1',
		port,
		async dump() {
			const file = path.join(dir, `dump-${Date.now()}.rdb`);
			await cli('--rdb', file);
			try {
				return fs.readFileSync(file);
			} finally {
				fs.rmSync(file, { force: true });
			}
		},
		keys: async () => (await cli('--scan')).stdout.split('\n').filter(Boolean),
		log: () => log,
		stop,
	};
}
