import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../test/support/runtimes';
import { formatNumber, median, startLoopbackServer, type Benchmark, type Row } from './shared';

const RESULTS = 200_000;
const LIMIT = 50;
const ROUNDS = 3;

interface Run {
	ms: number;
	items: number;
	peakRssMiB: number;
}

/** One run in a child process of its own, so that neither variant inherits the other's heap. */
async function measure(url: string, variant: 'streamed' | 'whole', limit: string): Promise<Run> {
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, 'all-results-client.ts'), url, variant, limit, String(RESULTS)], { cwd: REPO_ROOT, maxBuffer: 1024 * 1024 });
	return JSON.parse(stdout) as Run;
}

/** Rounds taking turns at going first; the median of each figure. */
async function compare(url: string, limit: string, expected: number): Promise<Record<'streamed' | 'whole', Run>> {
	const runs: Record<'streamed' | 'whole', Run[]> = { streamed: [], whole: [] };
	for (let round = 0; round < ROUNDS; round++) {
		for (const variant of round % 2 ? (['whole', 'streamed'] as const) : (['streamed', 'whole'] as const)) {
			const run = await measure(url, variant, limit);
			if (run.items !== expected) throw new Error(`${variant} ${limit}: ${run.items} items, not ${expected}`);
			runs[variant].push(run);
		}
	}
	const mid = (list: Run[]): Run => ({ ms: median(list.map((r) => r.ms)), items: expected, peakRssMiB: median(list.map((r) => r.peakRssMiB)) });
	return { streamed: mid(runs.streamed), whole: mid(runs.whole) };
}

export const allResults: Benchmark = {
	name: 'all-results',
	title: "Funnelback's Get All Results: a long JSON array read as it arrives",
	about: [
		`A loopback server in its own process writes a JSON array of ${formatNumber(RESULTS)} search results (about 330 bytes each, some 66 MB) as fast as the socket takes it, as Funnelback's \`s/all-results.json\` does. Each run is a child process of its own: the Get All Results operation of the catalogue layer (\`streamed: true\`: \`core/http/json-array-items.ts\` parses element by element and stops at the Limit), against the baseline of the same call read whole (\`executeRequest\`, the body buffered, \`JSON.parse\`d, then cut at the Limit), which is how a plain list operation reads it. Figures: the median wall time and the median peak growth of resident memory (sampled every 5 ms) over ${ROUNDS} rounds taking turns.`,
		`Targets: with Limit ${LIMIT}, at least 20× faster (the streamed read stops after the first chunks and closes the connection); with Return All, at most two thirds of the baseline's peak memory (no body buffer, no second copy of the text), and no slower than half the baseline's speed (a byte loop in JavaScript against V8's native parser).`,
	],
	async run() {
		const server = await startLoopbackServer();
		try {
			const url = server.url;
			const limited = await compare(url, String(LIMIT), LIMIT);
			const all = await compare(url, 'all', RESULTS);
			const speedup = limited.whole.ms / limited.streamed.ms;
			const memory = all.streamed.peakRssMiB / all.whole.peakRssMiB;
			const speed = all.whole.ms / all.streamed.ms;
			const rows: Row[] = [
				{ measure: `Limit ${LIMIT}: time, whole / streamed`, figure: `${speedup.toFixed(1)}× (${limited.streamed.ms.toFixed(0)} ms vs ${limited.whole.ms.toFixed(0)} ms; peak RSS +${limited.streamed.peakRssMiB.toFixed(0)} vs +${limited.whole.peakRssMiB.toFixed(0)} MiB)`, target: '≥ 20×', met: speedup >= 20 },
				{ measure: `Return All (${formatNumber(RESULTS)}): peak RSS, streamed / whole`, figure: `${memory.toFixed(2)} (+${all.streamed.peakRssMiB.toFixed(0)} vs +${all.whole.peakRssMiB.toFixed(0)} MiB)`, target: '≤ 0.67', met: memory <= 0.67 },
				{ measure: `Return All (${formatNumber(RESULTS)}): speed, streamed / whole`, figure: `${speed.toFixed(2)} (${all.streamed.ms.toFixed(0)} ms vs ${all.whole.ms.toFixed(0)} ms)`, target: '≥ 0.5', met: speed >= 0.5 },
			];
			return rows;
		} finally {
			await server.close();
		}
	},
};
