/**
 * n8n's queue mode on one machine, made of real parts: Redis (Bull's queue), PostgreSQL (workflows, credentials,
 * executions), one `n8n start` (main: UI, API, production webhook intake) and `n8n worker` processes, all with
 * one encryption key. Each n8n process has its own user folder with BPM Connect installed the way the README
 * says (npm install in `<user folder>/.n8n/nodes`), its own task-runner broker port, and, for workers, its own
 * health-check port. Used by test/e2e/n8n-queue-mode.test.ts and bench/queue-mode.ts.
 *
 * Which worker ran an execution: each worker has BPM_WORKER_NAME in its environment, and the workflows end with
 * n8n's Execution Data node saving it as the execution's custom data, which n8n stores in PostgreSQL
 * (execution_metadata) with the execution.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { startPostgres, type Postgres } from '../peers/postgres';
import { startRedis, type Redis } from '../peers/redis';
import { startN8nServer, startN8nWorker, type N8nServer, type N8nWorker } from './n8n-server';
import { progress, seconds, type N8nRuntime } from './runtimes';

export const BONITA_NODE = '@bpm-connect/n8n-nodes-bpm.bonita';
export const BPM_REQUEST_NODE = '@bpm-connect/n8n-nodes-bpm.bpmRequest';

/**
 * Bull's lock on a job a worker holds, its renewal, and how often workers look for jobs whose lock expired.
 * n8n's defaults (60 s, 10 s, 30 s) make a crashed worker's executions wait up to 90 s; shorter here so the
 * crash test ends sooner, long enough that a busy 2-core machine still renews every lock in time.
 */
const BULL_TIMINGS = { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '4000', QUEUE_WORKER_STALLED_INTERVAL: '5000' };

export interface QueueClusterOptions {
	runtime: N8nRuntime;
	packageTgz: string;
	credentials: object[];
	workflows: object[];
	/** Workflow ids published before the main starts: their production webhooks are live. */
	publish: string[];
}

export interface ExecutionRecord {
	id: string;
	status: string;
	workflowId: string;
	startedAt: Date | null;
	stoppedAt: Date | null;
	/** The Execution Data node's `worker` (BPM_WORKER_NAME of the process that ran it); null if it did not get there. */
	worker: string | null;
	/** The Execution Data node's `call` (the webhook body's call label). */
	call: string | null;
}

export interface QueueCluster {
	redis: Redis;
	postgres: Postgres;
	main: N8nServer;
	/** Queue mode's environment, the same for every process. */
	env: Record<string, string>;
	/** Starts `n8n worker` named `name` (BPM_WORKER_NAME); without the package when `withPackage` is false. */
	startWorker(name: string, options?: { withPackage?: boolean; concurrency?: number }): Promise<N8nWorker>;
	/** `POST /webhook/<path>` on the main. */
	webhookUrl(webhookPath: string): string;
	/** A query on n8n's PostgreSQL database. */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Every execution of a workflow with its worker and call label, oldest first. */
	executions(workflowId: string): Promise<ExecutionRecord[]>;
	/** What n8n recorded about failed executions: the last node that ran and the error's message. */
	failures(ids: string[]): Promise<Array<{ id: string; status: string; lastNode?: string; ran?: string[]; message?: string; node?: string; stack?: string }>>;
	/** Stops the workers still running, the main, Redis and PostgreSQL. */
	stop(): Promise<void>;
}

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
	end(): Promise<void>;
}

/** The `pg` client n8n itself ships (node-postgres), so the tests need no database driver of their own. */
function pgClient(runtime: N8nRuntime, postgres: Postgres): PgClient {
	const n8nRoot = path.dirname(path.dirname(runtime.bin));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Client } = require(require.resolve('pg', { paths: [n8nRoot] })) as { Client: new (config: object) => PgClient };
	return new Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.database });
}

/** The variables every process of the cluster gets (what the README's queue-mode section lists). */
export function queueModeEnv(redis: Redis, postgres: Postgres): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// The workflows read BPM_WORKER_NAME to record which worker ran them (see the header).
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		...BULL_TIMINGS,
	};
}

export async function startQueueCluster(opts: QueueClusterOptions): Promise<QueueCluster> {
	const started = Date.now();
	const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	const env = queueModeEnv(redis, postgres);
	const workers = new Set<N8nWorker>();
	let main: N8nServer | undefined;
	let db: PgClient | undefined;
	const stop = async () => {
		await Promise.all([...workers].map((worker) => worker.stop()));
		await main?.stop();
		await db?.end().catch(() => undefined);
		await Promise.all([redis.stop(), postgres.stop()]);
	};
	try {
		main = await startN8nServer({
			runtime: opts.runtime,
			packageTgz: opts.packageTgz,
			owner: { email: 'owner@example.com', password: `Owner-${randomBytes(12).toString('base64url')}` },
			credentials: opts.credentials,
			workflows: opts.workflows,
			publish: opts.publish,
			env,
		});
		db = pgClient(opts.runtime, postgres);
		await db.connect();
	} catch (error) {
		await stop();
		throw error;
	}
	progress(`n8n queue mode: Redis, PostgreSQL and the main ready in ${seconds(started)}`);
	const client = db;
	const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];

	return {
		redis,
		postgres,
		main,
		env,
		async startWorker(name, options = {}) {
			const worker = await startN8nWorker({
				runtime: opts.runtime,
				packageTgz: options.withPackage === false ? undefined : opts.packageTgz,
				env: { ...env, BPM_WORKER_NAME: name },
				concurrency: options.concurrency,
				label: `n8n-worker-${name}`,
			});
			workers.add(worker);
			const { stop: stopWorker, kill } = worker;
			return {
				...worker,
				stop: async () => {
					await stopWorker();
					workers.delete(worker);
				},
				kill: async () => {
					await kill();
					workers.delete(worker);
				},
			};
		},
		webhookUrl: (webhookPath) => `${main.url}/webhook/${webhookPath}`,
		query,
		async executions(workflowId) {
			return query<ExecutionRecord>(
				`SELECT e.id::text AS id, e.status, e."workflowId" AS "workflowId", e."startedAt" AS "startedAt", e."stoppedAt" AS "stoppedAt",
				        w.value AS worker, c.value AS call
				   FROM execution_entity e
				   LEFT JOIN execution_metadata w ON w."executionId" = e.id AND w.key = 'worker'
				   LEFT JOIN execution_metadata c ON c."executionId" = e.id AND c.key = 'call'
				  WHERE e."workflowId" = $1
				  ORDER BY e.id`,
				[workflowId],
			);
		},
		async failures(ids) {
			if (ids.length === 0) return [];
			// The run data is stored in n8n's "flatted" form: read it with n8n's own copy of flatted.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { parse } = require(require.resolve('flatted', { paths: [path.dirname(path.dirname(opts.runtime.bin))] })) as { parse(text: string): any };
			const rows = await query<{ id: string; status: string; data: string | null }>(
				`SELECT e.id::text AS id, e.status, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e.id = ANY($1::int[]) ORDER BY e.id`,
				[ids.map(Number)],
			);
			return rows.map((row) => {
				const resultData = row.data ? parse(row.data)?.resultData : undefined;
				const error = resultData?.error;
				const stack = typeof error?.stack === 'string' ? error.stack.split('\n').slice(0, 6).join(' | ') : undefined;
				return { id: row.id, status: row.status, lastNode: resultData?.lastNodeExecuted, ran: Object.keys(resultData?.runData ?? {}), message: error?.message, node: error?.node?.name, stack };
			});
		},
		stop,
	};
}

// ---------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------

type Node = { id: string; name: string; type: string; typeVersion: number; position: [number, number]; parameters: Record<string, unknown>; [key: string]: unknown };

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** A production webhook answering with the last node's first item once the execution has finished. */
function webhookNode(webhookPath: string): Node {
	return { id: 'webhook', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} } };
}

/** n8n's Execution Data node: the worker's name and the call label saved with the execution (execution_metadata). */
function recordNode(): Node {
	return {
		id: 'record',
		name: 'Record worker',
		type: 'n8n-nodes-base.executionData',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			dataToSave: {
				values: [
					{ key: 'worker', value: '={{ $env.BPM_WORKER_NAME }}' },
					{ key: 'call', value: "={{ $('Webhook').item.json.body.call }}" },
				],
			},
		},
	};
}

/** The nodes one after the other, each from its first output. */
function chain(id: string, nodes: Node[]): object {
	const laidOut = nodes.map((node, index) => ({ ...node, position: [index * 220, 0] as [number, number] }));
	const connections = Object.fromEntries(laidOut.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: laidOut[index + 1].name, type: 'main', index: 0 }]] }]));
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes: laidOut, connections };
}

/**
 * Webhook → Start case (Registration, named after the call, the execution and the worker) → the case's tasks →
 * Execute task → Record worker. The case's name reaches its task's name ("Review <name>"), so the simulator's
 * tasks tell which call, execution and worker started each case.
 */
export function bonitaQueueWorkflow(id: string, webhookPath: string, credential: { id: string; name: string }, processId: string): object {
	// processId: the Registration process (one task, no task contract) or one like it.
	const credentials = { bonitaApi: credential };
	const bonita = (nodeId: string, name: string, parameters: Record<string, unknown>): Node => ({ id: nodeId, name, type: BONITA_NODE, typeVersion: 1, position: [0, 0], parameters, credentials });
	const nameField = { id: 'name', displayName: 'name', required: true, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: false };
	return chain(id, [
		webhookNode(webhookPath),
		bonita('start', 'Start case', {
			resource: 'case',
			operation: 'start',
			// Picked from the list, as the editor saves it. A literal typed "By ID" is checked against the mode's
			// validation regex at the start of every execution, and n8n 2.40 runs such regexes in a VM with a 250 ms
			// wall-clock limit: on a CPU-starved machine that check alone failed about 1 execution in 1,500 with
			// "Regular expression execution timed out" (any node's resource locator, not only ours).
			processId: { __rl: true, mode: 'list', value: processId, cachedResultName: 'Registration (1.0)' },
			contractInputs: { mappingMode: 'defineBelow', value: { name: '={{ $json.body.call }} {{ $execution.id }} {{ $env.BPM_WORKER_NAME }}' }, matchingColumns: [], schema: [nameField], attemptToConvertTypes: false, convertFieldsToString: true },
		}),
		bonita('tasks', 'Case tasks', { resource: 'task', operation: 'getMany', filters: { caseId: byId('={{ $json.caseId }}') } }),
		bonita('execute', 'Execute task', { resource: 'task', operation: 'execute', taskId: byId('={{ $json.id }}') }),
		recordNode(),
	]);
}

/** Webhook → BPM Request GET `url` with a BPM Connect client-credentials credential → Record worker. */
export function clientCredentialsQueueWorkflow(id: string, webhookPath: string, credential: { id: string; name: string }, url: string): object {
	return chain(id, [
		webhookNode(webhookPath),
		{ id: 'request', name: 'Protected API', type: BPM_REQUEST_NODE, typeVersion: 1, position: [0, 0], parameters: { authentication: 'bpmClientCredentialsOAuth2Api', method: 'GET', url }, credentials: { bpmClientCredentialsOAuth2Api: credential } },
		recordNode(),
	]);
}

// ---------------------------------------------------------------------------------------------
// Calling
// ---------------------------------------------------------------------------------------------

export interface WebhookAnswer {
	index: number;
	call: string;
	status: number;
	body: string;
	/** When it was answered, ms after the first call was sent. */
	at: number;
}

export interface WebhookRun {
	answers: WebhookAnswer[];
	/** From the first call sent to the last answer. */
	ms: number;
	/** Answers per second (calls that timed out left out). */
	rate: number;
}

/**
 * Sends `count` POSTs with JSON `{ call: "<prefix>-<index>" }`, `inFlight` at a time; `beforeCall(index)` runs just
 * before each call is sent (e.g. to expire sessions or kill a worker at a given call). A call that gets no
 * answer within `timeoutMs` is answered with status 0.
 */
export async function callWebhook(url: string, count: number, inFlight: number, prefix: string, options: { beforeCall?: (index: number) => void | Promise<void>; timeoutMs?: number } = {}): Promise<WebhookRun> {
	const answers: WebhookAnswer[] = [];
	const started = Date.now();
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const index = next++;
			await options.beforeCall?.(index);
			const call = `${prefix}-${index}`;
			let status = 0;
			let body = '';
			try {
				const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ call }), signal: AbortSignal.timeout(options.timeoutMs ?? 60_000) });
				status = res.status;
				body = await res.text();
			} catch (error) {
				body = (error as Error).message;
			}
			answers.push({ index, call, status, body, at: Date.now() - started });
		}
	};
	await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
	answers.sort((a, b) => a.index - b.index);
	// A call never answered would add its whole timeout: the rate counts the answered ones, up to the last answer.
	const answered = answers.filter((answer) => answer.status !== 0);
	const ms = Math.max(1, ...answered.map((answer) => answer.at));
	return { answers, ms, rate: (answered.length * 1000) / ms };
}
