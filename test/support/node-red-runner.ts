/**
 * Starts a real Node-RED (4.x on the machine's Node, 5.x on Node 24 — see runtimes.ts) in a fresh
 * user directory, optionally with our packed package installed the way a user installs it, and
 * drives it through the admin API and `http in` endpoints.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { runNpm, TMP_DIR } from './runtimes';
import { captureOutput } from './captured-output';

export interface NodeRedStartOptions {
  runtime: { node: string; redJs: string };
  /** Packed package (`npm pack` output) to install into the user directory. */
  packageTgz?: string;
  /** Flows deployed (full deployment) once the runtime answers. */
  flows?: object[];
  credentialSecret?: string;
  /** Extra environment for the Node-RED process. */
  env?: Record<string, string>;
  /** Extra settings merged into settings.js (JSON-serialisable values only). */
  settings?: Record<string, unknown>;
  /** Milliseconds to wait for the admin API (default 60 s). */
  startTimeoutMs?: number;
  /** Keep the user directory after stop() (default: only when BPM_KEEP_TMP=1). */
  keepUserDir?: boolean;
  /**
   * Start again in the user directory of an instance stopped with keepUserDir (a restart): its flows, credentials,
   * context and installed package as they were; `flows` and `packageTgz` are then not applied.
   */
  userDir?: string;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else the text. */
  body: any;
  text: string;
}

export interface NodeRedInstance {
  /** Base URL of the `http in` endpoints, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Base URL of the admin API. */
  adminUrl: string;
  port: number;
  userDir: string;
  /** Everything Node-RED printed so far (stdout and stderr interleaved). */
  logs(): string;
  /** Full deployment of the given flows; resolves once Node-RED reports them started. */
  deploy(flows: object[]): Promise<void>;
  /** Request to an `http in` endpoint (path relative to `url`). Objects are sent as JSON. */
  request(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  /** Request to the admin API (path relative to `adminUrl`). */
  admin(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  stop(): Promise<void>;
  /** SIGKILL, as a crash: nothing is flushed or closed. The user directory is kept (start again with `userDir`). */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port that was free a moment ago (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Creates a unique directory under <repo>/.tmp. */
export function makeTempDir(prefix: string): string {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(TMP_DIR, `${prefix}-`));
}

function lastLines(text: string, n = 40): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

export async function httpRequest(
  base: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const init: RequestInit & { headers: Record<string, string> } = { method: method.toUpperCase(), headers: { ...headers } };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Uint8Array) {
      init.body = body as string;
      if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type')) {
        init.headers['Content-Type'] = 'text/plain';
      }
    } else {
      init.body = JSON.stringify(body);
      if (!Object.keys(init.headers).some((h) => h.toLowerCase() === 'content-type')) {
        init.headers['Content-Type'] = 'application/json';
      }
    }
  }
  const url = base.replace(/\/$/, '') + (urlPath.startsWith('/') ? urlPath : `/${urlPath}`);
  const res = await fetch(url, init);
  const text = await res.text();
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  let parsed: unknown = text;
  if (/json/i.test(res.headers.get('content-type') ?? '') && text.length) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: out, body: parsed, text };
}

/** Installs a packed package into a Node-RED user dir / n8n nodes dir the way a user would. */
export async function installTgz(node: string, dir: string, tgz: string): Promise<void> {
  const abs = path.resolve(tgz);
  if (!fs.existsSync(abs)) throw new Error(`package tarball ${abs} does not exist (run npm pack first)`);
  await runNpm(node, ['install', '--ignore-scripts', '--no-audit', '--no-fund', abs], {
    cwd: dir,
    timeoutMs: 10 * 60 * 1000,
    label: 'npm install tgz',
  }).catch((err: Error) => {
    throw new Error(`installing ${path.basename(abs)} into ${dir} failed: ${err.message}`);
  });
}

function settingsJs(port: number, userDir: string, credentialSecret: string, extra: Record<string, unknown>): string {
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    userDir,
    flowFile: 'flows.json',
    flowFilePretty: true,
    credentialSecret,
    httpAdminRoot: '/',
    httpNodeRoot: '/',
    httpRequestTimeout: 120000,
    logging: { console: { level: 'info', metrics: false, audit: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: true, ui: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false } },
    functionExternalModules: false,
    editorTheme: { tours: false, projects: { enabled: false } },
    ...extra,
  };
  return `// written by test/support/node-red-runner.ts\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`;
}

/** Starts Node-RED; resolves once the admin API answers (and the given flows are deployed). */
export async function startNodeRed(opts: NodeRedStartOptions): Promise<NodeRedInstance> {
  const { node, redJs } = opts.runtime;
  const restart = opts.userDir !== undefined;
  const userDir = opts.userDir ?? makeTempDir('node-red');
  const credentialSecret = opts.credentialSecret ?? 'bpm-connect-test-secret';
  if (!restart) {
    fs.writeFileSync(
      path.join(userDir, 'package.json'),
      JSON.stringify({ name: 'node-red-project', description: 'BPM Connect e2e', version: '0.0.1', private: true }, null, 2),
    );
    fs.writeFileSync(path.join(userDir, 'flows.json'), '[]\n');
    if (opts.packageTgz) await installTgz(node, userDir, opts.packageTgz);
  }

  let log = '';
  let child: ChildProcess | undefined;
  let port = 0;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // Set from the child's exit handler; read through this getter so TypeScript does not narrow it.
  const exitInfo = (): typeof exited => exited;
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    fs.writeFileSync(path.join(userDir, 'settings.js'), settingsJs(port, userDir, credentialSecret, opts.settings ?? {}));
    log += `--- starting ${path.basename(node)} ${redJs} on port ${port} (attempt ${attempt}) ---\n`;
    exited = undefined;
    const proc = spawn(node, [redJs, '-u', userDir, '-s', path.join(userDir, 'settings.js')], {
      cwd: userDir,
      env: {
        ...process.env,
        PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
        NODE_RED_HOME: path.dirname(redJs),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    live.add(proc);
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(proc);
    });

    const deadline = Date.now() + startTimeoutMs;
    let up = false;
    while (Date.now() < deadline && !exitInfo()) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/settings`, { signal: AbortSignal.timeout(2000) });
        // 401: up, with adminAuth on (settings.adminAuth); the caller holds the users' passwords.
        if (res.ok || res.status === 401) {
          await res.text();
          up = true;
          break;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(250);
    }
    if (up) break;
    const ex = exitInfo();
    if (ex && /EADDRINUSE|port in use|already in use/i.test(log) && attempt < 3) continue;
    if (!ex) proc.kill('SIGKILL');
    throw new Error(
      `Node-RED (${redJs}) did not start within ${startTimeoutMs / 1000} s` +
        (ex ? ` (exited with ${ex.code ?? ex.signal})` : '') +
        `; last log lines:\n${lastLines(log)}`,
    );
  }

  const url = `http://127.0.0.1:${port}`;
  const adminUrl = url;
  const proc = child!;

  const admin = (method: string, urlPath: string, body?: unknown, headers?: Record<string, string>) =>
    httpRequest(adminUrl, method, urlPath, body, headers);

  const instance: NodeRedInstance = {
    url,
    adminUrl,
    port,
    userDir,
    logs: () => log,
    admin,
    async request(method, urlPath, body, headers) {
      // Right after a deployment under load, an `http in` route can lag "Started flows" by a moment: Express
      // answers its own "Cannot <METHOD> <path>" 404 until it exists. Any other answer is returned as it is.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const result = await httpRequest(url, method, urlPath, body, headers);
        captureOutput('node-red-reply', result.text);
        if (result.status !== 404 || !/^Cannot |<pre>Cannot /.test(result.text) || Date.now() > deadline) return result;
        await sleep(200);
      }
    },
    async deploy(flows: object[]) {
      const before = log.length;
      const res = await admin('POST', '/flows', flows, {
        'Content-Type': 'application/json',
        'Node-RED-Deployment-Type': 'full',
      });
      if (res.status !== 200 && res.status !== 204) {
        throw new Error(`deploy failed: HTTP ${res.status} ${res.text}\nlast log lines:\n${lastLines(log)}`);
      }
      // Deployment is acknowledged before every node has started; wait for Node-RED's own report.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const since = log.slice(before);
        if (/Started flows/.test(since)) break;
        if (/Waiting for missing types|Missing node modules|Error loading flows|Failed to start flows/i.test(since)) {
          await sleep(200);
          throw new Error(`deployed flows did not start; last log lines:\n${lastLines(log)}`);
        }
        if (exitInfo()) throw new Error(`Node-RED exited during deploy; last log lines:\n${lastLines(log)}`);
        if (Date.now() > deadline) {
          throw new Error(`deployed flows not reported started within 30 s; last log lines:\n${lastLines(log)}`);
        }
        await sleep(50);
      }
    },
    async stop() {
      if (!exitInfo()) {
        const gone = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      live.delete(proc);
      captureOutput('node-red-log', log);
      if (!(opts.keepUserDir ?? process.env.BPM_KEEP_TMP === '1')) {
        fs.rmSync(userDir, { recursive: true, force: true });
      }
    },
    async kill() {
      if (!exitInfo()) {
        const gone = new Promise<void>((r) => proc.once('exit', () => r()));
        proc.kill('SIGKILL');
        await gone;
      }
      live.delete(proc);
      captureOutput('node-red-log', log);
    },
  };

  if (opts.flows && !restart) {
    try {
      await instance.deploy(opts.flows);
    } catch (err) {
      await instance.stop();
      throw err;
    }
  }
  return instance;
}
