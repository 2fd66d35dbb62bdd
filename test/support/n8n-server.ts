/**
 * A real n8n server (`n8n start`) with BPM Connect installed as a community package, on 127.0.0.1, with an
 * owner account set from the environment: n8n's N8N_INSTANCE_OWNER_* settings, given only the bcrypt hash of
 * the password, so the password itself never reaches a file. `npm run start:n8n` and the editor test both
 * start n8n through here.
 *
 * n8n's own REST API (the one its editor uses) logs in and runs workflows: its public API has no "run" call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { trackDaemon } from '../peers/daemons';
import { captureOutput } from './captured-output';
import { createN8nHome, type N8nHome } from './n8n-runner';
import { freePort } from './node-red-runner';
import type { N8nRuntime } from './runtimes';

export interface N8nOwner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}

export interface N8nServerOptions {
	runtime: N8nRuntime;
	/** The packed package, installed into `<userFolder>/.n8n/nodes` as a user installs a community package. */
	packageTgz: string;
	owner: N8nOwner;
	/** Default: a free port. */
	port?: number;
	/** Imported with `n8n import:credentials` before the server starts. */
	credentials?: object[];
	/** Imported with `n8n import:workflow` before the server starts. */
	workflows?: object[];
	/** Workflow ids published (activated) with `n8n publish:workflow` before the server starts: their production webhooks are live. */
	publish?: string[];
	/** Extra environment for the imports and the server, e.g. queue mode's Redis and PostgreSQL settings. */
	env?: Record<string, string>;
	/** Each chunk n8n prints (by default it is only kept, for errors and the secret scan). */
	onOutput?: (text: string) => void;
	/** Aborting while n8n starts stops it (n8n runs in its own process group, so a Ctrl-C does not reach it). */
	signal?: AbortSignal;
	/**
	 * Start again on the home of a server stopped with `keepHome` (a restart): its database (workflows, credentials,
	 * static data) as it was; `credentials` and `workflows` are then not imported.
	 */
	home?: N8nHome;
}

/** An execution as n8n stores it, its run data parsed (what `nodeOutput()` of n8n-runner reads). */
export interface N8nExecution {
	id: string;
	status: string;
	data: { resultData: { runData: Record<string, any[]>; error?: any } };
}

export interface N8nSession {
	/** `/rest/<path>` with the session cookie; resolves to the answer's `data`. */
	rest<T = any>(method: string, restPath: string, body?: unknown): Promise<T>;
	/** Runs the workflow as saved, from its manual trigger (or its polling trigger's test event), as the editor's "Execute workflow" does, and waits for the end. */
	run(workflowId: string, timeoutMs?: number): Promise<N8nExecution>;
}

export interface N8nServer {
	url: string;
	home: N8nHome;
	/** What n8n printed so far. */
	log(): string;
	login(): Promise<N8nSession>;
	/** `keepHome`: leave the user folder for a restart (startN8nServer with `home`). */
	stop(options?: { keepHome?: boolean }): Promise<void>;
}

const START_TIMEOUT_MS = 3 * 60 * 1000;
const STOP_TIMEOUT_MS = 20_000;
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** A module of the n8n installation itself (bcryptjs, flatted): the same code n8n reads the values with. */
function n8nModule<T>(runtime: N8nRuntime, name: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve(name, { paths: [path.dirname(path.dirname(runtime.bin))] })) as T;
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function lastLines(text: string, n = 30): string {
	return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Imports, starts `n8n start`, and resolves once its readiness check answers 200. */
export async function startN8nServer(opts: N8nServerOptions): Promise<N8nServer> {
	const { runtime, owner } = opts;
	// A restart keeps the home's port: its N8N_PORT is in the home's environment.
	const port = opts.home ? Number(opts.home.env.N8N_PORT) : (opts.port ?? (await freePort()));
	const url = `http://127.0.0.1:${port}`;
	const home = opts.home ?? (await createN8nHome({ runtime, packageTgz: opts.packageTgz, env: { ...opts.env, N8N_PORT: String(port) } }));
	if (!opts.home) {
		try {
			await home.importCredentials(opts.credentials ?? []);
			await home.importWorkflows(opts.workflows ?? []);
			for (const id of opts.publish ?? []) await home.cli(['publish:workflow', `--id=${id}`]);
		} catch (error) {
			await home.remove();
			throw error;
		}
	}

	const bcrypt = n8nModule<{ hashSync(password: string, rounds: number): string }>(runtime, 'bcryptjs');
	const proc = spawnN8n(runtime, home, ['start'], {
		// BPM Connect is an unverified community package: n8n 3.0 loads those only when told to.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName ?? 'Instance',
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName ?? 'Owner',
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(owner.password, 10),
	}, opts.onOutput);
	const stop = async ({ keepHome = false } = {}): Promise<void> => {
		await proc.stop();
		captureOutput('n8n-start', proc.log());
		if (!keepHome) await home.remove();
	};

	try {
		const deadline = Date.now() + START_TIMEOUT_MS;
		for (;;) {
			if (proc.exitCode() !== undefined) throw new Error(`n8n start exited with ${proc.exitCode()}`);
			if (opts.signal?.aborted) throw new Error('n8n start was stopped before it was ready');
			if (Date.now() > deadline) throw new Error(`n8n start was not ready after ${START_TIMEOUT_MS / 1000} s`);
			const ready = await fetch(`${url}/healthz/readiness`).then((res) => res.ok, () => false);
			if (ready) break;
			await sleep(500);
		}
	} catch (error) {
		await stop();
		throw new Error(`${(error as Error).message}; last output:\n${lastLines(proc.log())}`);
	}

	return { url, home, login: () => login(runtime, url, owner), log: proc.log, stop };
}

/** A running n8n command: its output so far, and a stop that ends its whole process group. */
interface N8nProcess {
	pid: number;
	log(): string;
	/** undefined while it runs; its exit code (null after a signal) once it has exited. */
	exitCode(): number | null | undefined;
	/** SIGTERM to the group (n8n shuts down in order), SIGKILL after STOP_TIMEOUT_MS; resolves once it has exited. */
	stop(): Promise<void>;
	/** Sends a signal to the group at once (SIGKILL: the process and its task runner die without shutting down). */
	kill(signal: NodeJS.Signals): Promise<void>;
}

function spawnN8n(runtime: N8nRuntime, home: N8nHome, args: string[], env: Record<string, string>, onOutput?: (text: string) => void): N8nProcess {
	const child: ChildProcess = spawn(runtime.node, [runtime.bin, ...args], {
		cwd: home.userFolder,
		env: { ...home.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		// Its own process group: stop() ends the task runner n8n starts with it, and a Ctrl-C in a terminal
		// reaches the caller, which stops n8n in order.
		detached: true,
	});
	let log = '';
	const onData = (chunk: Buffer) => {
		const text = chunk.toString();
		log += text;
		onOutput?.(text);
	};
	child.stdout!.on('data', onData);
	child.stderr!.on('data', onData);
	let exited: number | null | undefined;
	// If the test process ends without stopping it (a crash, an interrupted run), the group is killed with it.
	const tracked = trackDaemon(child);
	const exit = new Promise<void>((resolve) =>
		child.on('exit', (code) => {
			exited = code;
			tracked.forget();
			resolve();
		}),
	);
	const signalGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// already gone
		}
	};
	return {
		pid: child.pid!,
		log: () => log,
		exitCode: () => exited,
		async stop() {
			if (exited !== undefined) return;
			signalGroup('SIGTERM');
			const timer = setTimeout(() => exited === undefined && signalGroup('SIGKILL'), STOP_TIMEOUT_MS);
			await exit;
			clearTimeout(timer);
		},
		async kill(signal) {
			if (exited !== undefined) return;
			signalGroup(signal);
			await exit;
		},
	};
}

export interface N8nWorkerOptions {
	runtime: N8nRuntime;
	/** The packed package installed into the worker's own user folder; left out, the worker has no BPM Connect. */
	packageTgz?: string;
	/** Queue mode's settings: the same Redis, database and encryption key as the main. */
	env: Record<string, string>;
	/** `n8n worker --concurrency` (default 10, n8n's own default). */
	concurrency?: number;
	/** Names its captured log. */
	label?: string;
}

export interface N8nWorker {
	home: N8nHome;
	pid: number;
	/** The port of its health check (QUEUE_HEALTH_CHECK_PORT). */
	healthPort: number;
	log(): string;
	/** SIGKILL to the worker and its task runner: a crash, no shutdown. */
	kill(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * `n8n worker` in its own user folder (its own community packages, its own task-runner broker port), with its
 * health check on a free port; resolves once its readiness check (database and Redis reachable) answers 200.
 */
export async function startN8nWorker(opts: N8nWorkerOptions): Promise<N8nWorker> {
	const healthPort = await freePort();
	const home = await createN8nHome({ runtime: opts.runtime, packageTgz: opts.packageTgz, env: opts.env });
	const proc = spawnN8n(opts.runtime, home, ['worker', `--concurrency=${opts.concurrency ?? 10}`], {
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	});
	let removed = false;
	const finish = async () => {
		if (removed) return;
		removed = true;
		captureOutput(opts.label ?? 'n8n-worker', proc.log());
		await home.remove();
	};
	const stop = async () => {
		await proc.stop();
		await finish();
	};
	try {
		const deadline = Date.now() + START_TIMEOUT_MS;
		for (;;) {
			if (proc.exitCode() !== undefined) throw new Error(`n8n worker exited with ${proc.exitCode()}`);
			if (Date.now() > deadline) throw new Error(`n8n worker was not ready after ${START_TIMEOUT_MS / 1000} s`);
			const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`).then((res) => res.ok, () => false);
			if (ready) break;
			await sleep(300);
		}
	} catch (error) {
		await stop();
		throw new Error(`${(error as Error).message}; last output:\n${lastLines(proc.log())}`);
	}
	return {
		home,
		pid: proc.pid,
		healthPort,
		log: proc.log,
		kill: async () => {
			await proc.kill('SIGKILL');
			await finish();
		},
		stop,
	};
}

/** `POST /rest/login` as the owner; the session cookie is kept in memory only. */
async function login(runtime: N8nRuntime, url: string, owner: N8nOwner): Promise<N8nSession> {
	const res = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!res.ok) throw new Error(`n8n login as ${owner.email} failed: ${res.status} ${res.statusText}`);
	const cookie = res.headers
		.getSetCookie()
		.map((line) => line.split(';')[0])
		.join('; ');

	const rest = async <T>(method: string, restPath: string, body?: unknown): Promise<T> => {
		const answer = await fetch(`${url}/rest/${restPath}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.text();
		captureOutput('n8n-rest', text);
		if (!answer.ok) throw new Error(`n8n ${method} /rest/${restPath}: ${answer.status} ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	};

	const { parse } = n8nModule<{ parse(text: string): any }>(runtime, 'flatted');
	const run = async (workflowId: string, timeoutMs = 2 * 60 * 1000): Promise<N8nExecution> => {
		const workflow = await rest<{ nodes: Array<{ name: string; type: string }> }>('GET', `workflows/${workflowId}`);
		// A manual trigger, or a polling trigger: run from the editor, it fetches one test event (n8n's manual mode).
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger') ?? workflow.nodes.find((node) => /Trigger$/.test(node.type));
		if (!trigger) throw new Error(`workflow ${workflowId} has no trigger to run it from`);
		const started = await rest<{ executionId?: string }>('POST', `workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger.name } });
		if (!started.executionId) throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(started)}`);
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await rest<{ status: string; data: string }>('GET', `executions/${started.executionId}`);
			if (FINISHED.has(execution.status)) return { id: started.executionId, status: execution.status, data: parse(execution.data) };
			if (Date.now() > deadline) throw new Error(`execution ${started.executionId} of workflow ${workflowId} still "${execution.status}" after ${timeoutMs / 1000} s`);
			await sleep(200);
		}
	};

	return { rest, run };
}
