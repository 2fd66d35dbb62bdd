/**
 * Runs every suite in one mocha run against the packed package (what users install), scans everything
 * the real runtimes printed or answered for the marker secrets the tests use, then prints the closing
 * line CI reads: "N passed, N failed".
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { packPackage } from './pack-package';
import Mocha from 'mocha';
import { MARKER_PASSWORD } from '../test/e2e/package-under-test';
import { CLIENTS } from '../test/peers/oidc-provider';
import { CAPTURE_DIR, scanCapturedOutput } from '../test/support/captured-output';

const root = path.resolve(__dirname, '..');
const SUITES = ['test/unit', 'test/simulators', 'test/support', 'test/conformance', 'test/e2e'];

function testFiles(dir: string): string[] {
	return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.test.ts'))
		.sort()
		.map((file) => path.join(root, dir, file));
}

/** Every secret the end-to-end tests hand to a runtime: none may come back out. */
const MARKER_SECRETS = [MARKER_PASSWORD, ...Object.values(CLIENTS).flatMap((client) => ('clientSecret' in client ? [client.clientSecret] : []))];

rmSync(CAPTURE_DIR, { recursive: true, force: true });
const tgz = packPackage(`package-${process.pid}`);
process.env.BPM_PACKAGE_TGZ = tgz;
const grep = process.argv[2];
const mocha = new Mocha({ timeout: 20_000, reporter: 'spec', ...(grep ? { grep } : {}) });
for (const suite of SUITES) for (const file of testFiles(suite)) mocha.addFile(file);
const runner = mocha.run((failures) => {
	const stats = runner.stats;
	const scan = scanCapturedOutput(MARKER_SECRETS);
	console.log(`\nsecret scan: ${MARKER_SECRETS.length} marker secrets in ${scan.files} captured runtime logs and replies (${(scan.bytes / 1e6).toFixed(1)} MB): ${scan.hits.length} hits`);
	for (const hit of scan.hits) console.log(`  ${hit.secret} in ${hit.file}`);
	console.log(`${stats?.passes ?? 0} passed, ${failures} failed${stats?.pending ? `, ${stats.pending} skipped` : ''}`);
	rmSync(path.dirname(tgz), { recursive: true, force: true });
	process.exitCode = failures > 0 || scan.hits.length > 0 || !stats?.tests ? 1 : 0;
});
