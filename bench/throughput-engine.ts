import http from 'node:http';
import { createTransport, executeRequest, mapConcurrent, plainConnection } from '../core';
import { compareRates, formatNumber, ratioRow, startLoopbackServer, timed, type Benchmark } from './shared';

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
		"Target: ratio (ours / baseline, in items/s) ≥ 0.9. A CPU profile of the engine loop (`node --cpu-prof`), taken when this benchmark was written, puts the largest share in axios's per-request setup, then Node's http client, the cookie jar (tough-cookie) and a timer per call (`AbortSignal.timeout`). BPM Request in n8n and `bpm-request` in Node-RED run on this engine, so its rate per core bounds theirs.",
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
