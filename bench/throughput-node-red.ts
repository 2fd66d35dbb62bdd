import { startNodeRed, type NodeRedInstance } from '../test/support/node-red-runner';
import { ensureNodeRed4 } from '../test/support/runtimes';
import { drive, driverFlow } from './node-red-driver';
import { compareRates, formatNumber, packedPackage, ratioRow, startLoopbackServer, type Benchmark } from './shared';

const ITEMS = 2000;
/** 16 in flight, as in the other throughput benchmarks; then every message at once, as an inject of an array sends them. */
const IN_FLIGHT_CASES = [16, ITEMS];
const ROUNDS = 7;
const TAB = 'bench-throughput';

export const throughputNodeRed: Benchmark = {
	name: 'throughput-node-red',
	title: "Throughput in Node-RED: bpm-request vs the core http request node",
	about: [
		`Real Node-RED 4 (the devDependency, on the machine's Node) with the packed package installed as a user installs it. Two flows, identical but for the request node: \`bpm-request\` (no authentication) and Node-RED's core \`http request\` with persistent connections on (\`persist: true\`, JSON output). A function node sends ${formatNumber(ITEMS)} GETs of a small JSON document to a loopback server in its own process, keeping 16 messages in flight (then all of them at once, as a flow that injects an array does), and times from the first message sent to the last one back; the flow is started through an \`http in\` endpoint that answers the time. One warm-up round, then ${ROUNDS} rounds taking turns; medians.`,
		'Target: ratio (ours / core, in items/s) ≥ 1.0.',
	],
	async run() {
		const runtime = ensureNodeRed4();
		const server = await startLoopbackServer();
		let nodeRed: NodeRedInstance | undefined;
		try {
			nodeRed = await startNodeRed({
				runtime,
				packageTgz: packedPackage(),
				flows: [
					{ id: TAB, type: 'tab', label: 'throughput' },
					...driverFlow('ours', TAB, { type: 'bpm-request', auth: 'none', method: 'use', url: '' }),
					...driverFlow('core', TAB, { type: 'http request', method: 'use', ret: 'obj', paytoqs: 'ignore', url: '', persist: true, senderr: false, headers: [] }),
				],
			});
			const round = async (id: string, inFlight: number) => {
				const { elapsedMs, failed } = await drive(nodeRed!, id, { items: ITEMS, inFlight, url: `${server.url}/items` });
				if (failed > 0) throw new Error(`${failed} of ${ITEMS} messages failed through the ${id} flow`);
				return elapsedMs;
			};
			const rows = [];
			for (const inFlight of IN_FLIGHT_CASES) {
				const rates = await compareRates(ITEMS, ROUNDS, () => round('ours', inFlight), () => round('core', inFlight));
				const how = inFlight === ITEMS ? 'all at once' : `${inFlight} in flight`;
				rows.push(ratioRow(`Node-RED ${runtime.version}: bpm-request vs http request (persist), ${how}`, rates, 1.0));
			}
			return rows;
		} finally {
			await nodeRed?.stop();
			await server.close();
		}
	},
};
