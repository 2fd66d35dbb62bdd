/**
 * node-red-dev, the CLI the Node-RED Flow Library scores every package with (`validate -p <package> -o <card> -e true`),
 * pinned and cached in `.runtimes/node-red-dev` (test/support/npm-tool.ts). It runs offline on purpose: its every request goes to a proxy that refuses, so a run never depends on the
 * network and always ends at the same point. Offline it gets through P01, P03 and P04; P08's catalogue download then
 * fails, which aborts the rest of the chain, and no scorecard file is written.
 */
import * as fs from 'fs';
import * as path from 'path';
import { freePort, makeTempDir } from './node-red-runner';
import { ensureNpmTool, type NpmTool } from './npm-tool';
import { run, type RunResult } from './runtimes';

export const NODE_RED_DEV_VERSION = '0.1.6';

/** The rules node-red-dev reaches offline. */
export type OfflineRuleId = 'P01' | 'P03' | 'P04';
export type Verdict = 'pass' | 'fail';

export interface NodeRedDevRun {
	exitCode: number;
	/** stdout and stderr: passes are printed to one, warnings to the other. */
	output: string;
	/** The verdict it printed for each rule it reached. */
	verdicts: Partial<Record<OfflineRuleId, Verdict>>;
	/** Whether it wrote the scorecard file. */
	wroteScorecard: boolean;
}

/** How each rule's verdict is printed (src/libs/checkpackage.js): a pass is a ✅ line, a fail a warning. */
const PRINTED: Record<OfflineRuleId, Record<Verdict, RegExp>> = {
	P01: { pass: /✅ Package is .* licensed/, fail: /No License Specified/ },
	P03: { pass: /✅ Repository\/Bugs Link Supplied/, fail: /P03 Please provide/ },
	P04: { pass: /✅ Package (uses a Scoped Name|uses a valid name|is on the official nodes list)/, fail: /P04 / },
};

/** `entry` is `bin/run`, the `node-red-dev` command, on the machine's Node (its engines field asks for >= 14). */
export function ensureNodeRedDev(): Promise<NpmTool> {
	return ensureNpmTool({ name: 'node-red-dev', pkg: 'node-red-dev', version: NODE_RED_DEV_VERSION, node: async () => process.execPath, entry: 'bin/run' });
}

/** The last printed verdict counts: for an unscoped name P04 warns "should use a scoped name", then passes it. */
function printedVerdicts(output: string): Partial<Record<OfflineRuleId, Verdict>> {
	const verdicts: Partial<Record<OfflineRuleId, Verdict>> = {};
	for (const line of output.split('\n')) {
		for (const [rule, patterns] of Object.entries(PRINTED) as [OfflineRuleId, Record<Verdict, RegExp>][]) {
			if (patterns.pass.test(line)) verdicts[rule] = 'pass';
			else if (patterns.fail.test(line)) verdicts[rule] = 'fail';
		}
	}
	return verdicts;
}

/** `node-red-dev validate` on an unpacked package folder (the Flow Library's `package/`), offline. */
export async function validateOffline(packageDir: string): Promise<NodeRedDevRun> {
	const tool = await ensureNodeRedDev();
	const work = makeTempDir('node-red-dev');
	const scorecard = path.join(work, 'card.json');
	const refused = `http://127.0.0.1:${await freePort()}`;
	// axios (its HTTP client) takes the proxy from the environment.
	const env = { ...process.env, http_proxy: refused, https_proxy: refused, HTTP_PROXY: refused, HTTPS_PROXY: refused, no_proxy: '', NO_PROXY: '' };
	try {
		const args = [tool.entry, 'validate', '-p', packageDir, '-o', scorecard, '-e', 'true'];
		const result: RunResult = await run(tool.node, args, { cwd: work, env, timeoutMs: 60_000, label: 'node-red-dev' }).catch((error: Error & Partial<RunResult>) => {
			if (typeof error.code !== 'number') throw error; // timed out or did not start
			return { code: error.code, stdout: error.stdout ?? '', stderr: error.stderr ?? '' };
		});
		const output = `${result.stdout}\n${result.stderr}`;
		return { exitCode: result.code ?? -1, output, verdicts: printedVerdicts(output), wroteScorecard: fs.existsSync(scorecard) };
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}
