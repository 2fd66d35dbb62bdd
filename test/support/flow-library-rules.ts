/**
 * The Node-RED Flow Library scorecard rules that need no network, as node-red-dev 0.1.6 implements them
 * (src/libs/checkpackage.js, checknodes.js, checkdeps.js), on an unpacked package. Each returns its problems;
 * none means the rule passes. Where node-red-dev asks the network, the rule asks the Node-RED versions this
 * project tests instead; where node-red-dev has a bug (P05 never fails) the rule does what its docs say.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as semver from 'semver';
import type { NodeDefinition } from './flow-library-parser';

export interface PackageJson {
	name?: string;
	license?: string;
	repository?: unknown;
	bugs?: unknown;
	keywords?: string[];
	engines?: { node?: string };
	dependencies?: Record<string, string>;
	'node-red'?: { version?: string; nodes?: Record<string, string> };
}

/** A Node-RED version the project tests, as its own package.json describes it. */
export interface TestedNodeRed {
	version: string;
	/** Its `engines.node`. */
	engines: string;
}

/** D01: the 95th percentile of the catalogue in Oct 2021 (node-red-dev docs/D01.md). */
export const MAX_DEPENDENCIES = 6;

/** P04: node-red-dev's own patterns. */
const SCOPED_NAME = /@[a-z\d][\w-.]+\/[a-z\d][\w-.]*/;
const RESERVED_PREFIX = /^(node-red|nodered)(?!-contrib-)/i;

/** P01: a license key (any value). */
export function checkLicense(pkg: PackageJson): string[] {
	return pkg.license === undefined ? ['package.json has no license'] : [];
}

/** P03: a repository or a bugs key. */
export function checkRepositoryOrBugs(pkg: PackageJson): string[] {
	return pkg.repository === undefined && pkg.bugs === undefined ? ['package.json has neither repository nor bugs'] : [];
}

/**
 * P04: a scoped name passes; an unscoped one unless it starts with node-red or nodered without -contrib-
 * (node-red-dev also lets the Node-RED project's own packages through; this is not one of them).
 */
export function checkName(pkg: PackageJson): string[] {
	const name = pkg.name ?? '';
	if (SCOPED_NAME.test(name)) return [];
	return RESERVED_PREFIX.test(name) ? [`"${name}" starts with node-red or nodered but not node-red-contrib-, and is not scoped`] : [];
}

/** P05: the `node-red` keyword, without which the Flow Library refuses the package. */
export function checkKeyword(pkg: PackageJson): string[] {
	return pkg.keywords?.includes('node-red') ? [] : ['package.json keywords lack "node-red"'];
}

/** P06: `node-red.version` is declared and every tested Node-RED satisfies it (the live rule asks for one current release). */
export function checkNodeRedVersion(pkg: PackageJson, tested: TestedNodeRed[]): string[] {
	const range = pkg['node-red']?.version;
	if (range === undefined) return ['package.json has no node-red.version'];
	if (semver.validRange(range) === null) return [`node-red.version "${range}" is not a semver range`];
	return tested.filter((red) => !semver.satisfies(red.version, range)).map((red) => `node-red.version "${range}" excludes Node-RED ${red.version}`);
}

/**
 * P07: `engines.node` is declared and accepts the lowest Node the newest tested Node-RED runs on (the live rule's test,
 * against the `latest` release), and shares some Node version with every tested Node-RED.
 */
export function checkEnginesNode(pkg: PackageJson, tested: TestedNodeRed[]): string[] {
	const range = pkg.engines?.node;
	if (range === undefined) return ['package.json has no engines.node'];
	if (semver.validRange(range) === null) return [`engines.node "${range}" is not a semver range`];
	const newest = tested.reduce((a, b) => (semver.gt(a.version, b.version) ? a : b));
	const lowest = semver.minVersion(newest.engines);
	const problems = lowest && semver.satisfies(lowest, range) ? [] : [`engines.node "${range}" excludes Node ${lowest}, the lowest Node-RED ${newest.version} runs on (engines.node "${newest.engines}")`];
	for (const red of tested) if (!semver.intersects(range, red.engines)) problems.push(`engines.node "${range}" shares no Node version with Node-RED ${red.version} ("${red.engines}")`);
	return problems;
}

/** Every `.json` file under `dir`, recursively, as node-red-dev collects examples. */
function jsonFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.filter((file) => path.extname(file) === '.json')
		.sort()
		.map((file) => path.join(dir, file));
}

/** The nodes of every example flow (`examples/**\/*.json`, each an array of nodes), by file relative to the package. */
export function exampleFlows(packageDir: string): { file: string; nodes: Array<{ type?: unknown }> | undefined }[] {
	return jsonFiles(path.join(packageDir, 'examples')).map((file) => {
		let nodes: unknown;
		try {
			nodes = JSON.parse(fs.readFileSync(file, 'utf8'));
		} catch {
			nodes = undefined;
		}
		return { file: path.relative(packageDir, file), nodes: Array.isArray(nodes) ? nodes : undefined };
	});
}

/** N02: every node type whose category is not `config` appears as `type` in some example flow. */
export function checkExamples(packageDir: string, definitions: NodeDefinition[]): string[] {
	const flows = exampleFlows(packageDir);
	if (flows.length === 0) return ['no examples/**/*.json'];
	const problems = flows.filter((flow) => !flow.nodes).map((flow) => `${flow.file} is not a flow (a JSON array of nodes)`);
	const used = new Set(flows.flatMap((flow) => (flow.nodes ?? []).map((node) => node.type)));
	for (const definition of definitions) if (definition.category !== 'config' && !used.has(definition.type)) problems.push(`no example uses ${definition.type}`);
	return problems;
}

/** D01: at most six dependencies (devDependencies and peerDependencies do not count). */
export function checkDependencyCount(pkg: PackageJson): string[] {
	const count = Object.keys(pkg.dependencies ?? {}).length;
	return count > MAX_DEPENDENCIES ? [`${count} dependencies, more than ${MAX_DEPENDENCIES}`] : [];
}
