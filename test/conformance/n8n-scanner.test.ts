/**
 * n8n's own community package scanner, pinned and offline, as n8n runs it on a published package: its
 * `analyzePackage` on the tarball `npm test` packed (what users install) and on the source tree. The scanner
 * reads neither our eslint config nor `eslint-disable` comments, so only a fixed cause passes. Any error
 * outside the exceptions below fails, so a rule a later scanner adds shows at once.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { expect } from 'chai';
import { REQUEST_SCHEMES } from '../../core';
import { ensureN8nScanner } from '../support/n8n-scanner';
import { REPO_ROOT, run, TMP_DIR } from '../support/runtimes';
import { packageTgz } from '../e2e/package-under-test';

interface Finding {
	file: string;
	position: string;
	severity: 'error' | 'warning';
	message: string;
	rule: string;
}

/** What analyzePackage returns: passed, and on failure a message and ESLint's "stylish" report. */
interface LegResult {
	passed: boolean;
	message?: string;
	details?: string;
}

/** n8n's own generic credentials, which BPM Request offers like n8n's HTTP Request node (README, Generic authentication). */
const N8N_GENERIC_CREDENTIALS = ['httpBasicAuth', 'httpDigestAuth', 'httpBearerAuth', 'httpHeaderAuth', 'httpCustomAuth'];
/** The source line a finding points at declares one of n8n's generic credentials. */
const declaresN8nGenericCredential = (finding: Finding) => {
	const line = readFileSync(finding.file, 'utf8').split('\n')[Number(finding.position.split(':')[0]) - 1] ?? '';
	return N8N_GENERIC_CREDENTIALS.some((name) => line.includes(`name: '${name}'`));
};

/** The rules this package's design rules out, each with the reason the README gives. */
const EXCEPTIONS: Array<{ rule: string; reason: string; applies?: (finding: Finding) => boolean }> = [
	{
		rule: 'n8n-nodes-base/node-param-default-missing',
		reason: "the vendor nodes' Resource, Operation and Event defaults come from the catalogue, which the rule cannot read in the source",
		applies: (finding) => ['operations/operation-properties.ts', 'triggers/trigger-properties.ts'].some((file) => finding.file.endsWith(path.join('nodes', 'shared', ...file.split('/')))),
	},
	{ rule: '@n8n/community-nodes/no-runtime-dependencies', reason: 'the engine shared with Node-RED depends on tough-cookie, form-data and oauth4webapi' },
	{ rule: '@n8n/community-nodes/no-restricted-imports', reason: "n8n Cloud only: the engine's transport is node:http/https/tls and those dependencies" },
	{ rule: '@n8n/community-nodes/no-restricted-globals', reason: "n8n Cloud only: the engine's timeouts and retry delays use timers, and proxies come from process.env" },
	...['@n8n/community-nodes/no-credential-reuse', '@n8n/community-nodes/valid-credential-references', 'n8n-nodes-base/node-class-description-credentials-name-unsuffixed'].map((rule) => ({
		rule,
		reason: "BPM Request offers n8n's own Basic, Digest, Bearer, Header and Custom Auth credentials, whose names n8n chose",
		applies: declaresN8nGenericCredential,
	})),
	{
		rule: '@n8n/community-nodes/credential-password-field',
		reason: 'Simplicité\'s "tokenTransport" is a choice of header or parameter, not a secret (the rule matches "token" in the name)',
		applies: (finding) => finding.message.startsWith("Field 'tokenTransport' "),
	},
];

const excepted = (finding: Finding) => EXCEPTIONS.some((exception) => exception.rule === finding.rule && (exception.applies?.(finding) ?? true));

/** ESLint's stylish report as findings; its closing count must match, so a line this parser misreads fails the test. */
function parseStylish(details: string): { findings: Finding[]; errorCount: number } {
	const findings: Finding[] = [];
	let file = '';
	let errorCount = -1;
	for (const line of stripVTControlCharacters(details).split('\n')) {
		const summary = /^✖ \d+ problems? \((\d+) errors?, \d+ warnings?\)/.exec(line);
		const message = /^\s+(\d+:\d+)\s+(error|warning)\s+(.*?)\s+(\S+)$/.exec(line);
		if (summary) errorCount = Number(summary[1]);
		else if (message) findings.push({ file, position: message[1], severity: message[2] as Finding['severity'], message: message[3], rule: message[4] });
		else if (line.trim() && !/^\s/.test(line)) file = line.trim();
	}
	return { findings, errorCount };
}

function countsByRule(findings: Finding[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const finding of findings) counts[`${finding.severity} ${finding.rule}`] = (counts[`${finding.severity} ${finding.rule}`] ?? 0) + 1;
	return counts;
}

/** The scanner's errors outside the exceptions; prints every finding per rule so a run shows where the package stands. */
function unexpectedErrors(leg: string, result: LegResult, root: string): string[] {
	if (result.passed) {
		console.log(`      n8n scanner, ${leg}: no error`);
		return [];
	}
	if (!result.details) return [`the scanner failed on the ${leg} without a report: ${result.message}`];
	const { findings, errorCount } = parseStylish(result.details);
	console.log(`      n8n scanner, ${leg}:`);
	for (const [rule, count] of Object.entries(countsByRule(findings))) {
		const exception = EXCEPTIONS.find((candidate) => rule.endsWith(` ${candidate.rule}`));
		console.log(`        ${String(count).padStart(3)} ${rule}${exception ? ` (excepted: ${exception.reason})` : ''}`);
	}
	const errors = findings.filter((finding) => finding.severity === 'error');
	if (errors.length !== errorCount) return [`read ${errors.length} of the ${errorCount} errors in the scanner's report on the ${leg}:\n${result.details}`];
	return errors.filter((finding) => !excepted(finding)).map((finding) => `${path.relative(root, finding.file)}:${finding.position} ${finding.rule}: ${finding.message}`);
}

/** GitHub's anchor for a README heading. */
const githubAnchor = (heading: string) => heading.replace(/^#+\s+/, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');

describe("n8n's community package scanner", function () {
	this.timeout(15 * 60_000);
	let unpacked: string;
	let legs: { tarball: LegResult; source: LegResult };

	before(async function () {
		const scanner = await ensureN8nScanner();
		// Inside the checkout, so the unpacked nodes load with the checkout's node_modules (their dependencies).
		mkdirSync(TMP_DIR, { recursive: true });
		unpacked = mkdtempSync(path.join(TMP_DIR, 'n8n-scan-'));
		execFileSync('tar', ['-xzf', packageTgz(), '-C', unpacked, '--strip-components=1']);
		// Run as n8n runs it: on Node 24 (its engines field), both legs with the scanner's own file patterns.
		const script = `
			const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(${JSON.stringify(pathToFileURL(scanner.entry).href)});
			const tarball = await analyzePackage(process.argv[1], ['**/*.js', 'package.json']);
			const source = await analyzePackage(process.argv[2], SOURCE_FILE_PATTERNS);
			const leg = ({ passed, message, details }) => ({ passed, message, details });
			console.log(JSON.stringify({ tarball: leg(tarball), source: leg(source) }));`;
		const started = Date.now();
		const { stdout } = await run(scanner.node, ['--input-type=module', '-e', script, unpacked, REPO_ROOT], { timeoutMs: 5 * 60_000, label: 'n8n-scanner' });
		console.log(`      n8n scanner ${scanner.version}: both legs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		legs = JSON.parse(stdout.trim().split('\n').pop()!);
	});

	after(() => {
		if (unpacked) rmSync(unpacked, { recursive: true, force: true });
	});

	it('finds no error in the packed tarball but the excepted rules', () => {
		expect(unexpectedErrors('packed tarball', legs.tarball, unpacked)).to.deep.equal([]);
	});

	it('finds no error in the source tree but the excepted rules', () => {
		expect(unexpectedErrors('source tree', legs.source, REPO_ROOT)).to.deep.equal([]);
	});

	it('ships a codex beside every node, and every documentation link opens a heading of the README', async () => {
		const read = (file: string) => readFileSync(path.join(unpacked, file), 'utf8');
		const pkg = JSON.parse(read('package.json')) as { name: string; n8n: { nodes: string[]; credentials: string[] } };
		const links: string[] = [];
		for (const file of pkg.n8n.nodes) {
			const codex = JSON.parse(read(`${file}on`)) as { node: string; resources: Record<string, Array<{ url: string }>> };
			const type = path.basename(file, '.node.js');
			expect(codex.node, file).to.equal(`${pkg.name}.${type[0].toLowerCase()}${type.slice(1)}`);
			links.push(...Object.values(codex.resources).flat().map(({ url }) => url));
		}
		for (const file of pkg.n8n.credentials) {
			const module = (await import(path.join(unpacked, file))) as Record<string, new () => { documentationUrl: string }>;
			for (const Credential of Object.values(module)) links.push(new Credential().documentationUrl);
		}
		const anchors = read('README.md').split('\n').filter((line) => /^#{1,6} /.test(line)).map(githubAnchor);
		const readmeUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#';
		for (const link of links) expect(link.startsWith(readmeUrl) && anchors.includes(decodeURIComponent(link.slice(readmeUrl.length))), link).to.equal(true);
	});

	it("BPM Request's literal credentials list is the engine's schemes, in menu order, then the TLS and proxy credential", async () => {
		const { BpmRequest } = (await import(path.join(unpacked, 'dist/nodes/BpmRequest/BpmRequest.node.js'))) as typeof import('../../nodes/BpmRequest/BpmRequest.node');
		const credentials = new BpmRequest().description.credentials ?? [];
		expect(credentials.map(({ name, displayOptions }) => ({ name, show: displayOptions?.show }))).to.deep.equal([
			...REQUEST_SCHEMES.map((scheme) => ({ name: scheme.n8nCredential, show: { authentication: [scheme.n8nCredential] } })),
			{ name: 'bpmConnectionApi', show: { useConnectionCredential: [true] } },
		]);
	});
});
