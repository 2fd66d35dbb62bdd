/**
 * Runs workflows headless in a real n8n (2.40.4 or 1.123.81, on Node 24 — see runtimes.ts):
 * `n8n import:credentials`, `n8n import:workflow`, `n8n execute --id=<id> --rawOutput`.
 *
 * A "home" is one N8N_USER_FOLDER (its own SQLite DB, fixed encryption key, its own task-runner
 * broker port) with our packed package installed into `<home>/.n8n/nodes` the way a user installs a
 * community package. Create one home per test file and run many workflows in it; runN8nWorkflow()
 * is the one-shot form.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run, RunResult } from './runtimes';
import { freePort, installTgz, makeTempDir } from './node-red-runner';
import { captureOutput } from './captured-output';

export const N8N_TEST_ENCRYPTION_KEY = 'bpm-connect-e2e-encryption-key-0001';

export interface N8nRuntimeRef {
  node: string;
  bin: string;
}

export interface N8nRun {
  /** "success", "error", "canceled", … as n8n reports it; "error" when no run could be read. */
  status: string;
  /** The run object n8n printed (IRun), or null if none could be parsed. */
  raw: any;
  /** raw.data.resultData.runData ({} when absent). */
  runData: any;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** The workflow-level error (raw.data.resultData.error) or the CLI's failure message. */
  error?: any;
}

export interface N8nHomeOptions {
  runtime: N8nRuntimeRef;
  /** Packed package (`npm pack` output) installed into <home>/.n8n/nodes. */
  packageTgz?: string;
  /** Extra environment for every n8n command. */
  env?: Record<string, string>;
  /** Keep the folder after remove() (default: only when BPM_KEEP_TMP=1). */
  keep?: boolean;
}

export interface N8nHome {
  /** N8N_USER_FOLDER (n8n's own data lives in `<userFolder>/.n8n`). */
  userFolder: string;
  /** Folder holding the installed community package(s): `<userFolder>/.n8n/nodes`. */
  nodesDir: string;
  brokerPort: number;
  /** Environment every n8n command of this home runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs `n8n <args>` in this home (serialised with the other commands of this home). */
  cli(args: string[], timeoutMs?: number): Promise<RunResult>;
  importCredentials(credentials: object[]): Promise<void>;
  importWorkflows(workflows: object[]): Promise<void>;
  execute(workflowId: string, timeoutMs?: number): Promise<N8nRun>;
  remove(): Promise<void>;
}

export interface RunN8nWorkflowOptions {
  runtime: N8nRuntimeRef;
  packageTgz?: string;
  credentials: object[];
  workflows: object[];
  workflowId: string;
  env?: Record<string, string>;
  /** Reuse this home (no new folder, no package install); it is not removed afterwards. */
  home?: N8nHome;
}

/**
 * n8n execute prints its run and exits at once: through a pipe, the tail of a large run (megabytes for
 * thousands of items) is lost when the reader falls behind. A file keeps all of it.
 */
async function executeToFile(node: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  const stdoutFile = path.join(cwd, `execute-${process.pid}-${Date.now()}.out`);
  const stderrFile = `${stdoutFile}.err`;
  const out = fs.openSync(stdoutFile, 'w');
  const err = fs.openSync(stderrFile, 'w');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // Its own process group, so a timeout also stops the task runner n8n starts.
      const child = spawn(node, args, { cwd, env, stdio: ['ignore', out, err], detached: true });
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    return { code, stdout: fs.readFileSync(stdoutFile, 'utf8'), stderr: fs.readFileSync(stderrFile, 'utf8') };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
    fs.rmSync(stdoutFile, { force: true });
    fs.rmSync(stderrFile, { force: true });
  }
}

function lastLines(text: string, n = 40): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Creates an N8N_USER_FOLDER under <repo>/.tmp with the package installed as a community package. */
export async function createN8nHome(opts: N8nHomeOptions): Promise<N8nHome> {
  const { node, bin } = opts.runtime;
  const userFolder = makeTempDir('n8n');
  const dotN8n = path.join(userFolder, '.n8n');
  const nodesDir = path.join(dotN8n, 'nodes');
  fs.mkdirSync(nodesDir, { recursive: true });
  fs.writeFileSync(
    path.join(nodesDir, 'package.json'),
    JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
  );
  if (opts.packageTgz) await installTgz(node, nodesDir, opts.packageTgz);

  const brokerPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: N8N_TEST_ENCRYPTION_KEY,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_PORT: String(await freePort()),
    N8N_LOG_OUTPUT: 'console',
    DB_TYPE: 'sqlite',
    NO_COLOR: '1',
    ...opts.env,
  };

  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn);
    queue = p.catch(() => undefined);
    return p;
  };

  const cli = (args: string[], timeoutMs = 5 * 60 * 1000) =>
    serial(() => run(node, [bin, ...args], { cwd: userFolder, env, timeoutMs, label: `n8n ${args[0]}` }));

  const importJson = async (kind: 'credentials' | 'workflow', items: object[]) => {
    const file = path.join(userFolder, `import-${kind}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(items, null, 2));
    try {
      await cli([`import:${kind}`, `--input=${file}`]);
    } catch (err) {
      throw new Error(`n8n import:${kind} failed: ${(err as Error).message}`);
    } finally {
      fs.rmSync(file, { force: true });
    }
  };

  return {
    userFolder,
    nodesDir,
    brokerPort,
    env,
    cli,
    async importCredentials(credentials: object[]) {
      if (credentials.length) await importJson('credentials', credentials);
    },
    async importWorkflows(workflows: object[]) {
      if (workflows.length) await importJson('workflow', workflows);
    },
    execute(workflowId: string, timeoutMs = 5 * 60 * 1000) {
      return serial(async () => {
        const result = await executeToFile(node, [bin, 'execute', `--id=${workflowId}`, '--rawOutput'], userFolder, env, timeoutMs);
        captureOutput('n8n-execute', `${result.stdout}\n${result.stderr}`);
        return toRun(result);
      });
    },
    async remove() {
      await queue;
      if (!(opts.keep ?? process.env.BPM_KEEP_TMP === '1')) fs.rmSync(userFolder, { recursive: true, force: true });
    },
  };
}

/**
 * Whether an `n8n start` at `url` serves its REST API yet: its settings come as JSON. Neither the readiness
 * check nor a 200 is proof: n8n 1.x answers /healthz/readiness 200 while its REST routes still answer 404
 * (for 15 s here), and both versions first answer every path 200 with an HTML "n8n is starting up" page.
 */
export async function n8nServesRest(url: string): Promise<boolean> {
  const settings = await fetch(`${url}/rest/settings`).catch(() => undefined);
  return Boolean(settings?.ok && settings.headers.get('content-type')?.startsWith('application/json'));
}

/** Creates a home (unless one is given), imports, executes; removes a home it created. */
export async function runN8nWorkflow(opts: RunN8nWorkflowOptions): Promise<N8nRun> {
  const home =
    opts.home ?? (await createN8nHome({ runtime: opts.runtime, packageTgz: opts.packageTgz, env: opts.env }));
  try {
    await home.importCredentials(opts.credentials);
    await home.importWorkflows(opts.workflows);
    return await home.execute(opts.workflowId);
  } finally {
    if (!opts.home) await home.remove();
  }
}

function toRun(result: RunResult): N8nRun {
  const raw = findRunJson(result.stdout) ?? findRunJson(result.stderr) ?? null;
  const resultData = raw?.data?.resultData;
  let status: string;
  if (raw && typeof raw.status === 'string') status = raw.status;
  else if (raw) status = resultData?.error ? 'error' : raw.finished ? 'success' : 'unknown';
  else status = 'error';
  let error: any = resultData?.error;
  if (!raw && result.code !== 0) error = { message: `n8n execute exited with ${result.code}`, output: lastLines(result.stdout + '\n' + result.stderr) };
  if (!raw && result.code === 0) {
    error = { message: 'no run JSON found in the output of n8n execute', output: lastLines(result.stdout) };
  }
  return { status, raw, runData: resultData?.runData ?? {}, stdout: result.stdout, stderr: result.stderr, exitCode: result.code, error };
}

/**
 * Finds the run object n8n printed among its log lines: the largest JSON object, starting at the
 * beginning of a line, that has `data.resultData` (falls back to the last JSON object found).
 */
export function findRunJson(text: string): any | undefined {
  let best: any;
  let fallback: any;
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('{', i);
    if (at < 0) break;
    const lineStart = at === 0 || text[at - 1] === '\n' || /\n[ \t]*$/.test(text.slice(Math.max(0, at - 200), at)) || /[\]:>-] $/.test(text.slice(Math.max(0, at - 3), at));
    if (!lineStart) {
      i = at + 1;
      continue;
    }
    const end = matchBrace(text, at);
    if (end < 0) {
      i = at + 1;
      continue;
    }
    try {
      const obj = JSON.parse(text.slice(at, end + 1));
      if (obj && typeof obj === 'object') {
        if (obj.data && typeof obj.data === 'object' && 'resultData' in obj.data) best = obj;
        else fallback = obj;
        i = end + 1;
        continue;
      }
    } catch {
      /* not JSON: try the next brace */
    }
    i = at + 1;
  }
  return best ?? fallback;
}

/** Index of the `}` closing the `{` at `start` (string-aware), or -1. */
function matchBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return c === '}' ? i : -1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

function runDataOf(run: N8nRun | any): any {
  if (run && 'runData' in run && 'stdout' in run) return run.runData;
  return run?.data?.resultData?.runData ?? run ?? {};
}

/**
 * Items (`{ json, binary?, pairedItem? }`) a node emitted on one output (0 = first; with
 * outputs ['main','main'] output 1 is the second, e.g. "Error"). Throws if the node did not run.
 */
export function nodeOutput(run: N8nRun | any, nodeName: string, outputIndex = 0, runIndex = 0): any[] {
  const runData = runDataOf(run);
  const task = runData?.[nodeName]?.[runIndex];
  if (!task) {
    throw new Error(`node "${nodeName}" has no run #${runIndex}; nodes that ran: ${Object.keys(runData ?? {}).join(', ') || '(none)'}`);
  }
  return task.data?.main?.[outputIndex] ?? [];
}

/** The `json` of each item of nodeOutput(). */
export function nodeOutputJson(run: N8nRun | any, nodeName: string, outputIndex = 0, runIndex = 0): any[] {
  return nodeOutput(run, nodeName, outputIndex, runIndex).map((item) => item.json);
}

/** The error a node's run recorded (undefined if it did not fail). */
export function nodeError(run: N8nRun | any, nodeName: string, runIndex = 0): any {
  return runDataOf(run)?.[nodeName]?.[runIndex]?.error;
}

/** Throws with n8n's output when the run is not "success". */
export function assertN8nSuccess(run: N8nRun): void {
  if (run.status === 'success') return;
  const err = run.error ? JSON.stringify(run.error, null, 2).slice(0, 4000) : '(no error recorded)';
  throw new Error(
    `n8n run status is "${run.status}" (exit ${run.exitCode}); error: ${err}\n--- stdout ---\n${lastLines(run.stdout)}\n--- stderr ---\n${lastLines(run.stderr)}`,
  );
}
