/**
 * The Node-RED Flow Library's scorecard, as far as it goes without a network, on the packed package unpacked the
 * way the library unpacks it (`package/`): our own offline rules (one test per rule id), the library's parse of
 * the editor HTML, and the real node-red-dev CLI, whose verdicts must agree with ours. P06/P07 against the live
 * npm dist-tags, P08, N01, D02 and D03 need the network (README "Flow Library scorecard").
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageTgz } from '../e2e/package-under-test';
import { validateOffline, NODE_RED_DEV_VERSION, type OfflineRuleId, type Verdict } from '../support/flow-library-node-red-dev';
import { parseNodeHtml, type NodeDefinition } from '../support/flow-library-parser';
import { registeredTypes } from '../support/flow-library-registered-types';
import {
	checkDependencyCount,
	checkEnginesNode,
	checkExamples,
	checkKeyword,
	checkLicense,
	checkName,
	checkNodeRedVersion,
	checkRepositoryOrBugs,
	exampleFlows,
	type PackageJson,
	type TestedNodeRed,
} from '../support/flow-library-rules';
import { makeTempDir } from '../support/node-red-runner';
import { ensureNodeRed4, ensureNodeRed5 } from '../support/runtimes';

/** Types a flow file holds that no node module registers. */
const FLOW_STRUCTURE_TYPES = ['tab', 'group', 'junction', 'subflow'];

interface TestedRuntime extends TestedNodeRed {
	/** The types of its core nodes, as the same parser reads them. */
	coreTypes: string[];
}

/** One `node-red.nodes` entry: its built .js, and the .html beside it as the library reads it. */
interface NodeSet {
	js: string;
	definitions: NodeDefinition[];
	problems: string[];
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

function htmlFiles(dir: string): string[] {
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.html'))
		.map((file) => path.join(dir, file));
}

async function testedNodeReds(): Promise<TestedRuntime[]> {
	return [ensureNodeRed4(), await ensureNodeRed5()].map((runtime) => {
		const dir = path.dirname(runtime.redJs);
		const pkg = readJson<{ version: string; engines: { node: string } }>(path.join(dir, 'package.json'));
		const core = path.join(path.dirname(require.resolve('@node-red/nodes/package.json', { paths: [dir] })), 'core');
		const coreTypes = htmlFiles(core).flatMap((file) => parseNodeHtml(fs.readFileSync(file, 'utf8')).definitions.map((definition) => definition.type));
		return { version: pkg.version, engines: pkg.engines.node, coreTypes };
	});
}

/**
 * node-red-dev looks for `<package>/` + the entry with ".js" replaced by ".html", the Flow Library for the entry's
 * folder + its basename + ".html": both must find the file.
 */
function readNodeSet(packageDir: string, entry: string): NodeSet {
	const js = path.join(packageDir, entry);
	const html = path.join(packageDir, path.dirname(entry), `${path.basename(entry, '.js')}.html`);
	const relativeHtml = path.relative(packageDir, html);
	if (!fs.existsSync(js)) return { js, definitions: [], problems: [`${entry}: not in the package`] };
	if (path.join(packageDir, entry.replace('.js', '.html')) !== html) return { js, definitions: [], problems: [`${entry}: node-red-dev and the Flow Library look for its HTML in different places`] };
	if (!fs.existsSync(html)) return { js, definitions: [], problems: [`${relativeHtml}: missing; the Flow Library reads the editor HTML beside the .js`] };
	const parse = parseNodeHtml(fs.readFileSync(html, 'utf8'));
	return { js, definitions: parse.definitions, problems: parse.problems.map((problem) => `${relativeHtml}: ${problem}`) };
}

const verdict = (problems: string[]): Verdict => (problems.length ? 'fail' : 'pass');

/** Our verdicts on the rules node-red-dev reaches offline. */
function ourOfflineVerdicts(pkg: PackageJson): Record<OfflineRuleId, Verdict> {
	return { P01: verdict(checkLicense(pkg)), P03: verdict(checkRepositoryOrBugs(pkg)), P04: verdict(checkName(pkg)) };
}

describe('Flow Library scorecard, offline, on the packed package', function () {
	this.timeout(3 * 60_000);
	let workDir: string;
	let packageDir: string;
	let pkg: PackageJson;
	let tested: TestedRuntime[];
	let nodeSets: NodeSet[];
	const definitions = () => nodeSets.flatMap((set) => set.definitions);

	before(async () => {
		workDir = makeTempDir('flow-library');
		execFileSync('tar', ['xzf', packageTgz(), '-C', workDir]);
		packageDir = path.join(workDir, 'package');
		pkg = readJson<PackageJson>(path.join(packageDir, 'package.json'));
		tested = await testedNodeReds();
		nodeSets = Object.values(pkg['node-red']?.nodes ?? {}).map((entry) => readNodeSet(packageDir, entry));
	});
	after(() => {
		if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
	});

	it('P01 license', () => expect(checkLicense(pkg)).to.deep.equal([]));
	it('P03 repository or bugs', () => expect(checkRepositoryOrBugs(pkg)).to.deep.equal([]));
	it('P04 package name', () => expect(checkName(pkg)).to.deep.equal([]));
	it('P05 "node-red" keyword', () => expect(checkKeyword(pkg)).to.deep.equal([]));
	it('P06 node-red.version accepts every tested Node-RED', () => expect(checkNodeRedVersion(pkg, tested)).to.deep.equal([]));
	it('P07 engines.node accepts the Node versions of the tested Node-RED', () => expect(checkEnginesNode(pkg, tested)).to.deep.equal([]));
	it('N02 every non-config node type is used by an example flow', () => {
		expect(definitions(), 'the parse found no node types').to.have.lengthOf.above(0);
		expect(checkExamples(packageDir, definitions())).to.deep.equal([]);
	});
	it('D01 at most 6 dependencies', () => expect(checkDependencyCount(pkg)).to.deep.equal([]));

	describe("the Flow Library's parse of the editor HTML", () => {
		it('reads every node-red.nodes entry: its .html beside the built .js, inline and literal throughout', () => {
			expect(nodeSets, 'package.json lists no node-red.nodes').to.have.lengthOf.above(0);
			expect(nodeSets.flatMap((set) => set.problems)).to.deep.equal([]);
		});

		it('finds exactly the node types the runtime registers', async () => {
			const registered = (await Promise.all(nodeSets.map((set) => registeredTypes(set.js)))).flat();
			const parsed = definitions().map((definition) => definition.type);
			expect({
				registeredButNotParsed: registered.filter((type) => !parsed.includes(type)),
				parsedButNotRegistered: parsed.filter((type) => !registered.includes(type)),
			}).to.deep.equal({ registeredButNotParsed: [], parsedButNotRegistered: [] });
			expect(registered).to.have.lengthOf.above(0);
		});

		it('covers every node type the examples use that is not core in every tested Node-RED', () => {
			const parsed = definitions().map((definition) => definition.type);
			const unknown = exampleFlows(packageDir).flatMap(({ file, nodes }) => {
				const subflows = (nodes ?? []).filter((node) => node.type === 'subflow').map((node) => `subflow:${(node as { id?: string }).id}`);
				const known = (type: string) => parsed.includes(type) || FLOW_STRUCTURE_TYPES.includes(type) || subflows.includes(type) || tested.every((red) => red.coreTypes.includes(type));
				return (nodes ?? []).map((node) => String(node.type)).filter((type) => !known(type)).map((type) => `${file}: ${type}`);
			});
			expect(unknown).to.deep.equal([]);
		});

		it("writes out every property of its editor defaults in each example node of this package's types", () => {
			const defaults = new Map(definitions().map((definition) => [definition.type, definition.defaults ?? []]));
			const incomplete = exampleFlows(packageDir).flatMap(({ file, nodes }) =>
				(nodes ?? []).flatMap((node) => {
					const missing = (defaults.get(String(node.type)) ?? []).filter((name) => !(name in node));
					return missing.length ? [`${file}: ${(node as { id?: string }).id} (${node.type}) lacks ${missing.join(', ')}`] : [];
				}),
			);
			expect(incomplete).to.deep.equal([]);
		});
	});

	describe(`node-red-dev ${NODE_RED_DEV_VERSION} itself, offline`, () => {
		it('passes P01, P03 and P04 as our rules do, then stops at P08 for want of the network', async () => {
			const run = await validateOffline(packageDir);
			expect(run.output, 'it should stop at P08, refused by the offline proxy').to.match(/ECONNREFUSED/);
			expect(run.exitCode).to.not.equal(0);
			expect(run.wroteScorecard, 'an aborted run writes no scorecard').to.equal(false);
			expect(run.verdicts).to.deep.equal(ourOfflineVerdicts(pkg));
			expect(run.verdicts).to.deep.equal({ P01: 'pass', P03: 'pass', P04: 'pass' });
		});

		it('fails P01, P03 and P04 on a package.json that breaks them, as our rules do', async () => {
			const { license: _license, repository: _repository, bugs: _bugs, ...rest } = pkg;
			const broken: PackageJson = { ...rest, name: 'node-red-bpm-connect' };
			const brokenDir = path.join(workDir, 'broken', 'package');
			fs.mkdirSync(brokenDir, { recursive: true });
			fs.writeFileSync(path.join(brokenDir, 'package.json'), JSON.stringify(broken, null, 2));
			const run = await validateOffline(brokenDir);
			expect(run.verdicts).to.deep.equal({ P01: 'fail', P03: 'fail', P04: 'fail' });
			expect(ourOfflineVerdicts(broken)).to.deep.equal(run.verdicts);
		});
	});
});
