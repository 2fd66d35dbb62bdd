/** What the benchmark modules share: their shape, the loopback peer, the packed package, rates and rows. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, TMP_DIR } from '../test/support/runtimes';

/** One line of the printed table and of docs/benchmarks.md. */
export interface Row {
	measure: string;
	figure: string;
	target: string;
	/** Left out where no target was set: the figure is reported for comparison only. */
	met?: boolean;
}

export interface Benchmark {
	/** What `npm run bench -- <name>` selects. */
	name: string;
	title: string;
	/** Markdown paragraphs for docs/benchmarks.md: what is measured, how, and the target. */
	about: string[];
	run(): Promise<Row[]>;
}

export interface LoopbackServer {
	url: string;
	close(): Promise<void>;
}

/** Starts bench/loopback-server.ts in its own process and waits for the port it prints. */
export async function startLoopbackServer(): Promise<LoopbackServer> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'loopback-server.ts')], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
	const port = await new Promise<string>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`the loopback server exited with ${code} before listening`)));
		child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
	});
	return {
		url: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

let tarball: string | undefined;

/**
 * `npm pack`ed once per run, as scripts/test.ts does: the runtimes install exactly what users install.
 * BPM_PACKAGE_TGZ names a tarball to measure instead (another build, a released version).
 */
export function packedPackage(): string {
	tarball ??= process.env.BPM_PACKAGE_TGZ;
	if (tarball) return tarball;
	const dir = path.join(TMP_DIR, 'bench-package');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	const file = readdirSync(dir).find((name) => name.endsWith('.tgz'));
	if (!file) throw new Error('npm pack produced no tarball');
	tarball = path.join(dir, file);
	return tarball;
}

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await work();
	return performance.now() - started;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Rates {
	ours: number;
	baseline: number;
}

/**
 * One warm-up round, then `rounds` rounds of both contenders, taking turns at going first so drift and
 * noise hit both alike. Each contender answers the milliseconds `items` items took; the result is the
 * median items/s of each.
 */
export async function compareRates(items: number, rounds: number, ours: () => Promise<number>, baseline: () => Promise<number>): Promise<Rates> {
	const samples: Record<keyof Rates, number[]> = { ours: [], baseline: [] };
	for (let round = 0; round <= rounds; round++) {
		const order: Array<keyof Rates> = round % 2 ? ['baseline', 'ours'] : ['ours', 'baseline'];
		for (const who of order) {
			const ms = await (who === 'ours' ? ours() : baseline());
			if (round > 0) samples[who].push((items * 1000) / ms);
		}
	}
	return { ours: median(samples.ours), baseline: median(samples.baseline) };
}

export const formatNumber = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** ours / baseline against a minimum ratio, with both rates in the figure. */
export function ratioRow(measure: string, rates: Rates, minimum: number, unit = 'items/s'): Row {
	const ratio = rates.ours / rates.baseline;
	return {
		measure,
		figure: `${ratio.toFixed(2)} (${formatNumber(rates.ours)} vs ${formatNumber(rates.baseline)} ${unit})`,
		target: `≥ ${minimum.toFixed(1)}`,
		met: ratio >= minimum,
	};
}
