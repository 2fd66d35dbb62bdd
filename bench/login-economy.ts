import { baw, bonita, funnelback, simplicite, type SchemeDefinition } from '../core';
import { startBawSimulator } from '../test/simulators/baw';
import { startBonitaSimulator } from '../test/simulators/bonita';
import { startFunnelbackSimulator } from '../test/simulators/funnelback';
import { startSimpliciteSimulator } from '../test/simulators/simplicite';
import { createN8nHome, type N8nHome } from '../test/support/n8n-runner';
import { startNodeRed, type NodeRedInstance } from '../test/support/node-red-runner';
import { ensureN8n, ensureNodeRed4 } from '../test/support/runtimes';
import { drive, driverFlow } from './node-red-driver';
import { executeWorkflow, outputItems } from './n8n-workflow';
import { bpmRequestNode, itemsNode, n8nWorkflow } from '../test/support/n8n-workflow';
import { formatNumber, packedPackage, type Benchmark, type Row } from './shared';

const ITEMS = 1000;
const IN_FLIGHT = 16;
/** The call that expires every session: the middle one, with the calls around it in flight. */
const EXPIRE_AT = 500;
const PASSWORD = 'bench-pw';

interface Simulator {
	url: string;
	origin: string;
	stats: { logins: number };
	resetStats(): void;
	close(): Promise<void>;
}

interface VendorSetup {
	vendor: SchemeDefinition;
	start(): Promise<Simulator>;
	/** The n8n credential's data; in Node-RED, the config node's properties, username and password its credentials. */
	settings(sim: Simulator): Record<string, unknown>;
	/** An authenticated GET, relative to the base URL. */
	path: string;
}

const SETUPS: VendorSetup[] = [
	{
		vendor: bonita,
		start: () => startBonitaSimulator({ users: { 'walter.bates': PASSWORD } }),
		settings: (sim) => ({ url: sim.url, username: 'walter.bates', password: PASSWORD }),
		path: 'API/bpm/process?p=0&c=10',
	},
	{
		vendor: baw,
		start: () => startBawSimulator({ users: { admin: PASSWORD } }),
		settings: (sim) => ({ url: sim.url, username: 'admin', password: PASSWORD, requestedLifetime: 7200, refreshGroups: false }),
		path: 'bpm/user-tasks',
	},
	{
		vendor: simplicite,
		start: () => startSimpliciteSimulator({ users: { designer: PASSWORD } }),
		settings: (sim) => ({ url: sim.url, username: 'designer', password: PASSWORD, tokenTransport: 'header', v3Mode: false }),
		path: 'api/rest/DemoSupplier',
	},
	{
		vendor: funnelback,
		start: () => startFunnelbackSimulator({ users: { admin: { password: PASSWORD, canCreateNonExpiring: true } } }),
		settings: (sim) => ({ url: sim.url, authMode: 'login', username: 'admin', password: PASSWORD }),
		path: 'admin-api/search-packages/v1/',
	},
];

/** The plain run (every call made while one login holds), then the run with 16 in flight and the expiry at call 500. */
type Phase = 'plain' | 'expiry';
const PHASES: Phase[] = ['plain', 'expiry'];

interface Count {
	logins: number;
	failed: number;
}

type Counts = Record<Phase, Count>;

const callUrl = (setup: VendorSetup, sim: Simulator) => `${sim.url}/${setup.path}`;
const expireUrl = (sim: Simulator) => `${sim.origin}/_sim/expire`;

/** One config node, hence one session, per vendor and phase: each phase starts logged out. */
async function inNodeRed(sims: Simulator[]): Promise<Counts[]> {
	const tab = 'bench-logins';
	const flows: object[] = [{ id: tab, type: 'tab', label: 'login economy' }];
	SETUPS.forEach(({ vendor, settings }, i) => {
		const { username, password, ...config } = settings(sims[i]);
		for (const phase of PHASES) {
			const server = `${vendor.id}-${phase}-server`;
			flows.push({ id: server, type: vendor.nodeRedConfig, ...config, credentials: { username, password } });
			flows.push(...driverFlow(`${vendor.id}-${phase}`, tab, { type: 'bpm-request', auth: vendor.id, [vendor.id]: server, method: 'use', url: '' }));
		}
	});
	let nodeRed: NodeRedInstance | undefined;
	try {
		nodeRed = await startNodeRed({ runtime: ensureNodeRed4(), packageTgz: packedPackage(), flows });
		const counts: Counts[] = [];
		for (const [i, { vendor }] of SETUPS.entries()) {
			const sim = sims[i];
			const count = async (phase: Phase): Promise<Count> => {
				sim.resetStats();
				// The plain run sends every message at once, as a flow injecting an array does: they all wait for one login.
				const params = phase === 'plain' ? { inFlight: ITEMS } : { inFlight: IN_FLIGHT, expireAt: EXPIRE_AT, expireUrl: expireUrl(sim) };
				const { failed } = await drive(nodeRed!, `${vendor.id}-${phase}`, { items: ITEMS, url: callUrl(SETUPS[i], sim), ...params });
				return { logins: sim.stats.logins, failed };
			};
			counts.push({ plain: await count('plain'), expiry: await count('expiry') });
		}
		return counts;
	} finally {
		await nodeRed?.stop();
	}
}

/** One execution per phase, every vendor a branch of it; each `n8n execute` is a new process, so each phase starts logged out. */
async function inN8n(sims: Simulator[], home: N8nHome, node: string): Promise<Counts[]> {
	await home.importCredentials(SETUPS.map(({ vendor, settings }, i) => ({ id: `${vendor.id}Bench`, name: vendor.displayName, type: vendor.n8nCredential, data: settings(sims[i]) })));
	const workflowId = (phase: Phase) => `bpmcBenchLog${phase === 'plain' ? 'P' : 'E'}`;
	await home.importWorkflows(
		PHASES.map((phase) =>
			n8nWorkflow(
				workflowId(phase),
				`login economy, ${phase}`,
				SETUPS.map((setup, i) => {
					const url = callUrl(setup, sims[i]);
					const expiring = (then: string, otherwise: string) => `={{ $json.i === ${EXPIRE_AT} ? '${then}' : '${otherwise}' }}`;
					return [
						itemsNode(ITEMS, `Items ${setup.vendor.id}`),
						bpmRequestNode(
							setup.vendor.id,
							// The plain run keeps the node's default Requests in Flight (8).
							phase === 'plain'
								? { authentication: setup.vendor.n8nCredential, method: 'GET', url, options: {} }
								: { authentication: setup.vendor.n8nCredential, method: expiring('POST', 'GET'), url: expiring(expireUrl(sims[i]), url), options: { concurrency: IN_FLIGHT } },
							{ credentials: { [setup.vendor.n8nCredential]: { id: `${setup.vendor.id}Bench`, name: setup.vendor.displayName } }, onError: 'continueErrorOutput' },
						),
					];
				}),
			),
		),
	);
	const counts: Counts[] = SETUPS.map(() => ({ plain: { logins: 0, failed: 0 }, expiry: { logins: 0, failed: 0 } }));
	for (const phase of PHASES) {
		for (const sim of sims) sim.resetStats();
		const execution = await executeWorkflow(home, node, workflowId(phase));
		SETUPS.forEach(({ vendor }, i) => {
			const failed = execution.status === 'success' ? outputItems(execution, vendor.id, 1).length : ITEMS;
			counts[i][phase] = { logins: sims[i].stats.logins, failed };
		});
	}
	return counts;
}

function rows(runtime: string, how: string, counts: Counts[]): Row[] {
	return SETUPS.map(({ vendor }, i) => {
		const { plain, expiry } = counts[i];
		const failed = plain.failed + expiry.failed;
		return {
			measure: `${runtime} · ${vendor.displayName}: logins, ${how}`,
			figure: `${plain.logins} / ${expiry.logins}${failed ? ` (${failed} calls failed)` : ''}`,
			target: '1 / 2',
			met: plain.logins === 1 && expiry.logins === 2 && failed === 0,
		};
	});
}

export const loginEconomy: Benchmark = {
	name: 'login-economy',
	title: 'Login economy',
	about: [
		`How many logins ${formatNumber(ITEMS)} calls with one credential cost, per vendor, counted by the vendor simulators (test/simulators) in real runtimes with the packed package installed. Each vendor is measured twice, each time from a fresh session: a plain run, then a run with ${IN_FLIGHT} calls in flight where call number ${EXPIRE_AT} is a POST to the simulator's \`/_sim/expire\`, which drops every session while the calls around it are in flight.`,
		`Node-RED 4: a function node sends ${formatNumber(ITEMS)} messages through \`bpm-request\` with the vendor's config node; the plain run sends them all at once (so all of them wait for the same first login), the second keeps ${IN_FLIGHT} in flight. n8n: a Code node makes ${formatNumber(ITEMS)} items for BPM Request with the vendor's credential; the plain run keeps the default Requests in Flight (8), the second sets ${IN_FLIGHT}.`,
		'Target: 1 login for the plain run, 2 with the expiry (one login, one replacement shared by every call that met the expiry); no call may fail. Figures read "plain / with expiry".',
	],
	async run() {
		const sims: Simulator[] = [];
		let home: N8nHome | undefined;
		try {
			for (const setup of SETUPS) sims.push(await setup.start());
			const nodeRed = await inNodeRed(sims);
			const n8n = await ensureN8n();
			home = await createN8nHome({ runtime: n8n, packageTgz: packedPackage() });
			return [
				...rows(`Node-RED ${ensureNodeRed4().version}`, `${formatNumber(ITEMS)} messages all at once / ${IN_FLIGHT} in flight + expiry`, nodeRed),
				...rows(`n8n ${n8n.version}`, `${formatNumber(ITEMS)} items, 8 in flight / ${IN_FLIGHT} in flight + expiry`, await inN8n(sims, home, n8n.node)),
			];
		} finally {
			await home?.remove();
			await Promise.all(sims.map((sim) => sim.close()));
		}
	},
};
