/**
 * What the Debian daemons the tests start (tinyproxy, squid, lighttpd, Apache) have in common: each is
 * spawned detached, as the leader of its own process group, so a signal to the group reaches the
 * workers it forks; none outlives the test process.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

const live = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of live) killGroup(child, 'SIGKILL');
});

/** Kills the daemon with the test process if nothing else does; forget it once it has exited. */
export function trackDaemon(child: ChildProcess): { forget(): void } {
	live.add(child);
	return { forget: () => live.delete(child) };
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		// already gone
	}
}

/** A log file the daemon may not have written yet. */
export function readOr(file: string): string {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}
