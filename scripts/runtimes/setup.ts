/**
 * Prepares every real runtime the end-to-end tests use (cached in .runtimes/; a second run is fast):
 * Node 24, Node-RED 4 (devDependency), Node-RED 5, n8n 2.40 and 1.123 and Debian's Chromium.
 *
 *   npx tsx scripts/runtimes/setup.ts
 *
 * Exits non-zero, naming what could not be installed, when anything is missing.
 */
import * as path from 'path';
import {
  chromiumVersion,
  ensureChromium,
  ensureN8n,
  ensureNode24,
  ensureNodeRed4,
  ensureNodeRed5,
  N8N1_VERSION,
  run,
  RUNTIMES_DIR,
} from '../../test/support/runtimes';
import { ensureN8nScanner } from '../../test/support/n8n-scanner';
import { ensureNodeRedDev } from '../../test/support/flow-library-node-red-dev';

async function main(): Promise<void> {
  const started = Date.now();
  process.stderr.write(`[runtimes] preparing real runtimes in ${RUNTIMES_DIR}\n`);
  // Independent installs run side by side; every failure is reported, not just the first.
  const results = await Promise.allSettled([
    ensureNode24(),
    Promise.resolve().then(() => ensureNodeRed4()),
    ensureNodeRed5(),
    ensureN8n(),
    ensureN8n(N8N1_VERSION),
    ensureChromium(),
    ensureNodeRedDev(),
    ensureN8nScanner(), // last: the table below reads the others by position
  ]);
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length) {
    for (const f of failures) process.stderr.write(`[runtimes] ERROR: ${(f.reason as Error).message}\n`);
    throw new Error(`${failures.length} runtime(s) could not be installed (see above)`);
  }
  const [node24, red4, red5, n8n, n8n1, chromium] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    string,
    Awaited<ReturnType<typeof ensureNodeRed4>>,
    Awaited<ReturnType<typeof ensureNodeRed5>>,
    Awaited<ReturnType<typeof ensureN8n>>,
    Awaited<ReturnType<typeof ensureN8n>>,
    string,
  ];
  const node24Version = (await run(node24, ['--version'])).stdout.trim();
  const rows: [string, string, string][] = [
    ['Node.js (machine)', process.version, process.execPath],
    ['Node.js 24', node24Version, node24],
    ['Node-RED 4', red4.version, `${path.relative(process.cwd(), red4.redJs)} on ${process.version}`],
    ['Node-RED 5', red5.version, `${path.relative(process.cwd(), red5.redJs)} on ${node24Version}`],
    ['n8n', n8n.version, `${path.relative(process.cwd(), n8n.bin)} on ${node24Version}`],
    ['n8n 1.x', n8n1.version, `${path.relative(process.cwd(), n8n1.bin)} on ${node24Version}`],
    ['Chromium', await chromiumVersion(chromium), chromium],
  ];
  for (const [name, version, where] of rows) console.log(`${name.padEnd(18)} ${version.padEnd(14)} ${where}`);
  process.stderr.write(`[runtimes] ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`[runtimes] ${err.message}\n`);
  process.exit(1);
});
