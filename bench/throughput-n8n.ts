import { createN8nHome, type N8nHome } from '../test/support/n8n-runner';
import { ensureN8n } from '../test/support/runtimes';
import { formatNumber, median, packedPackage, ratioRow, startLoopbackServer, type Benchmark } from './shared';
import { executeWorkflow, outputItems } from './n8n-workflow';
import { bpmRequestNode, itemsNode, n8nWorkflow } from '../test/support/n8n-workflow';

const ITEMS = 1000;
const IN_FLIGHT = 16;
const ROUNDS = 7;

export const throughputN8n: Benchmark = {
	name: 'throughput-n8n',
	title: "Throughput in n8n: BPM Request vs n8n's HTTP Request",
	about: [
		`Real n8n with the packed package installed as a community package. One workflow, run once with \`n8n execute\`: a Code node makes ${formatNumber(ITEMS)} items, then a chain of request nodes each sends one GET per item to a loopback server in its own process: BPM Request (no authentication, Requests in Flight ${IN_FLIGHT}) and n8n's HTTP Request (typeVersion 4.2, defaults) taking turns, a warm-up pair first, then ${ROUNDS} pairs. Each node's time is the \`executionTime\` n8n records in the run data; medians.`,
		"Target: ratio (ours / HTTP Request, in items/s) ≥ 2.0. n8n's node starts every item's request at once; ours keeps a bounded number in flight and puts items out in input order. Both timings include n8n's parameter reading and output building: HTTP Request reads its parameters for every item, BPM Request reads those without an expression once per run (each `getNodeParameter` call costs a node type lookup, a deep copy and a schema check).",
	],
	async run() {
		const runtime = await ensureN8n();
		const server = await startLoopbackServer();
		let home: N8nHome | undefined;
		try {
			home = await createN8nHome({ runtime, packageTgz: packedPackage() });
			const url = `${server.url}/items`;
			const pairs = Array.from({ length: ROUNDS + 1 }, (_, round) => {
				const ours = bpmRequestNode(`BPM Request ${round}`, { authentication: 'none', method: 'GET', url, options: { concurrency: IN_FLIGHT } });
				const baseline = { name: `HTTP Request ${round}`, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { url, options: {} } };
				// Taking turns at going first: a node after the other one meets a warmer runtime.
				return round % 2 ? [baseline, ours] : [ours, baseline];
			});
			await home.importWorkflows([n8nWorkflow('bpmcBenchThru1', 'throughput', [[itemsNode(ITEMS), ...pairs.flat()]])]);
			const execution = await executeWorkflow(home, runtime.node, 'bpmcBenchThru1');
			if (execution.status !== 'success') throw new Error(`the throughput workflow ended ${execution.status}: ${JSON.stringify(execution.error)}`);
			const rate = (name: string) => {
				const items = outputItems(execution, name).length;
				if (items !== ITEMS) throw new Error(`${name} put out ${items} items instead of ${ITEMS}`);
				return (ITEMS * 1000) / execution.runData[name]![0].executionTime;
			};
			const rounds = Array.from({ length: ROUNDS }, (_, i) => i + 1);
			const rates = { ours: median(rounds.map((round) => rate(`BPM Request ${round}`))), baseline: median(rounds.map((round) => rate(`HTTP Request ${round}`))) };
			return [ratioRow(`n8n ${runtime.version}: BPM Request (${IN_FLIGHT} in flight) vs HTTP Request v4.2`, rates, 2.0)];
		} finally {
			await home?.remove();
			await server.close();
		}
	},
};
