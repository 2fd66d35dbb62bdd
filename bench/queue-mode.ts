import { startBonitaSimulator } from '../test/simulators/bonita';
import { PROCESS_REGISTRATION } from '../test/simulators/bonita/processes';
import { bonitaQueueWorkflow, callWebhook, startQueueCluster, type QueueCluster, type WebhookRun } from '../test/support/n8n-queue';
import { ensureN8n } from '../test/support/runtimes';
import { formatNumber, packedPackage, type Benchmark, type Row } from './shared';

const CALLS = 300;
const WARM_UP = 32;
const IN_FLIGHT = 16;
const PASSWORD = 'bench-pw';
const CREDENTIAL = { id: 'bpmcBenchQueue', name: 'Bonita (queue mode bench)' };
const WORKFLOW = 'bpmcBenchQueue1';

export const queueMode: Benchmark = {
	name: 'queue-mode',
	title: "n8n queue mode: executions per second with one worker and with two",
	about: [
		`n8n's queue mode made of real parts on the one machine: Redis and PostgreSQL 15 from Debian's packages (fsync off), one \`n8n start\` and \`n8n worker --concurrency=10\` processes, BPM Connect installed in each one's user folder. A production webhook starts a Bonita case, lists its tasks and executes the task (Bonita simulator, about 7 requests per execution), and answers once the execution is done. ${formatNumber(CALLS)} calls with ${IN_FLIGHT} in flight on one worker (after ${WARM_UP} warm-up calls), then a second worker is started and another ${formatNumber(CALLS)} calls are made: executions per second from the first call to the last answer, in the same run.`,
		'Every process shares the 2 cores with the others (main, workers and their task runners, PostgreSQL, Redis, the simulator and the caller), so the second worker adds concurrency, not cores: the figures show the overhead of the queue, not a scaling limit. Logins: one Bonita session per credential per worker process, whatever the number of executions. No targets: reported for comparison.',
	],
	async run() {
		const runtime = await ensureN8n();
		const simulator = await startBonitaSimulator({ users: { 'walter.bates': PASSWORD } });
		let cluster: QueueCluster | undefined;
		try {
			cluster = await startQueueCluster({
				runtime,
				packageTgz: packedPackage(),
				credentials: [{ ...CREDENTIAL, type: 'bonitaApi', data: { url: simulator.url, username: 'walter.bates', password: PASSWORD } }],
				workflows: [bonitaQueueWorkflow(WORKFLOW, 'bench-queue', CREDENTIAL, PROCESS_REGISTRATION)],
				publish: [WORKFLOW],
			});
			const url = cluster.webhookUrl('bench-queue');
			const expectAllAnswered = (run: WebhookRun, what: string) => {
				const failed = run.answers.filter((answer) => answer.status !== 200);
				if (failed.length) throw new Error(`${what}: ${failed.length} calls not answered 200, e.g. ${failed[0].status} ${failed[0].body.slice(0, 200)}`);
			};
			await cluster.startWorker('w1');
			expectAllAnswered(await callWebhook(url, WARM_UP, IN_FLIGHT, 'warm'), 'warm-up');
			const one = await callWebhook(url, CALLS, IN_FLIGHT, 'one');
			expectAllAnswered(one, 'one worker');
			const loginsOne = simulator.stats.logins;
			await cluster.startWorker('w2');
			const two = await callWebhook(url, CALLS, IN_FLIGHT, 'two');
			expectAllAnswered(two, 'two workers');
			const loginsTwo = simulator.stats.logins;
			const rows: Row[] = [
				{ measure: `1 worker: ${formatNumber(CALLS)} webhook executions, ${IN_FLIGHT} in flight`, figure: `${one.rate.toFixed(1)} executions/s`, target: '' },
				{ measure: `2 workers: ${formatNumber(CALLS)} webhook executions, ${IN_FLIGHT} in flight`, figure: `${two.rate.toFixed(1)} executions/s (${(two.rate / one.rate).toFixed(2)}x)`, target: '' },
				{ measure: `Bonita logins after ${formatNumber(WARM_UP + CALLS)} executions on 1 worker`, figure: String(loginsOne), target: '= 1', met: loginsOne === 1 },
				{ measure: `Bonita logins after ${formatNumber(WARM_UP + 2 * CALLS)} executions, 2 workers`, figure: String(loginsTwo), target: '= 2', met: loginsTwo === 2 },
			];
			return rows;
		} finally {
			await cluster?.stop();
			await simulator.close();
		}
	},
};
