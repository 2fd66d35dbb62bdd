import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '../test/support/runtimes';
import { compareRates, formatNumber, ratioRow, startLoopbackServer, timed, type Benchmark } from './shared';

// The engine as it ships (tsc's output, which `npm run bench` builds first), not as tsx transpiles it on the fly.
const { createTransport, executeRequest, mapConcurrent, plainConnection } = createRequire(__filename)(path.join(REPO_ROOT, 'dist', 'core')) as typeof import('../core');

const ITEMS = 2000;
const IN_FLIGHT = 16;
const ROUNDS = 7;

/** What a user would write instead of the engine: Node's http with a keep-alive agent, the body read and parsed. */
function bareGet(url: string, agent: http.Agent): Promise<unknown> {
	return new Promise((resolve, reject) => {
		http
			.get(url, { agent }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`HTTP ${res.statusCode}`))));
				res.on('error', reject);
			})
			.on('error', reject);
	});
}

export const throughputEngine: Benchmark = {
	name: 'throughput-engine',
	title: 'Throughput: the engine vs a bare keep-alive client, in-process',
	about: [
		`The price of everything the engine does per call (validation, cookie jar, retry and status policy, body parsing, error classification) over a bare client. ${formatNumber(ITEMS)} GETs of a small JSON document, ${IN_FLIGHT} in flight, order kept, against a loopback server in its own process: \`executeRequest\` over \`plainConnection(createTransport())\` vs Node's \`http.get\` with a keep-alive agent reading and parsing the body. One warm-up round, then ${ROUNDS} rounds taking turns; medians.`,
		"Target: ratio (ours / baseline, in items/s) ≥ 0.9. The engine measured is tsc's output, as it ships. On axios the ratio was 0.26–0.36: a CPU profile put most of the gap in axios's per-request setup. The transport now uses `node:http` directly, passes headers to Node as a raw list, and the per-call parsing (call options, status lists, JSON without a reviver unless a risky key may be present) was trimmed after profiling; the last find was one object spread on V8's slow path (adding a key to a spread copy), about 10 µs a call. What remains over the bare client is two timers per call (inactivity and deadline), the default headers, the exchange slot, response header copying and the engine's own steps. BPM Request in n8n and `bpm-request` in Node-RED run on this engine, so its rate per core bounds theirs.",
	],
	async run() {
		const server = await startLoopbackServer();
		const transport = createTransport();
		const connection = plainConnection(transport);
		const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
		const items = Array.from({ length: ITEMS }, (_, i) => `${server.url}/items/${i}`);
		try {
			const rates = await compareRates(
				ITEMS,
				ROUNDS,
				() =>
					timed(() =>
						mapConcurrent(items, IN_FLIGHT, async (url) => {
							const outcome = await executeRequest(connection, { method: 'GET', url });
							if (!outcome.ok) throw new Error(outcome.error.message);
						}),
					),
				() => timed(() => mapConcurrent(items, IN_FLIGHT, (url) => bareGet(url, agent))),
			);
			return [ratioRow(`executeRequest vs http.get + keep-alive agent, ${IN_FLIGHT} in flight`, rates, 0.9)];
		} finally {
			agent.destroy();
			transport.close();
			await server.close();
		}
	},
};
