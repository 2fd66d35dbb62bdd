import { expect } from 'chai';
import { startBawSimulator } from '../simulators/baw';
import { startFunnelbackSimulator } from '../simulators/funnelback';
import { startSimpliciteSimulator } from '../simulators/simplicite';
import { createN8nHome, nodeOutput, type N8nHome } from '../support/n8n-runner';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureN8n, ensureNodeRed4, ensureNodeRed5, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, readJson, until } from './package-under-test';

interface Simulator {
	url: string;
	origin: string;
	stats: { logins: number; logouts?: number };
	resetStats(): void;
	close(): Promise<void>;
}

/** One realistic job per vendor, with the simulator's sessions expired between two steps. */
interface Step {
	name: string;
	method: string;
	/** Node-RED: a JSONata expression for msg.url (msg.rowId holds the created record's id). */
	nodeRedUrl: string;
	/** n8n: the URL parameter, an expression where it needs an earlier step. */
	n8nUrl: string;
	json?: unknown;
	/** End the vendor session after this step (Node-RED msg.logout, n8n's Log Out After Run). */
	logout?: boolean;
}

interface VendorJob {
	vendor: 'baw' | 'simplicite' | 'funnelback';
	/** The shipped Node-RED example flow and n8n example workflow (same file name). */
	example: string;
	configType: string;
	credentialType: string;
	start(): Promise<Simulator>;
	settings(sim: Simulator): Record<string, unknown>;
	steps: Step[];
	/** Status of each step, by name, in the order run. */
	expected: Record<string, number>;
}

const literal = (url: string): Pick<Step, 'nodeRedUrl' | 'n8nUrl'> => ({ nodeRedUrl: JSON.stringify(url), n8nUrl: url });
const EXPIRE: Omit<Step, 'nodeRedUrl' | 'n8nUrl'> = { name: 'expire', method: 'POST' };

const JOBS: VendorJob[] = [
	{
		vendor: 'baw',
		example: 'baw-start-process-and-list-tasks.json',
		configType: 'bpm-baw',
		credentialType: 'bawApi',
		start: () => startBawSimulator({ prefix: '/baw/dev', users: { admin: MARKER_PASSWORD } }),
		settings: (sim) => ({ url: sim.url, username: 'admin', password: MARKER_PASSWORD, requestedLifetime: 7200, refreshGroups: false }),
		steps: [
			{ name: 'start', method: 'POST', ...literal('bpm/processes?model=Vacation%20request&container=VR'), json: { input: [{ name: 'days', data: 3 }] } },
			{ ...EXPIRE, ...literal('/_sim/expire') },
			{ name: 'tasks', method: 'GET', ...literal('bpm/user-tasks') },
		],
		expected: { start: 201, expire: 204, tasks: 200 },
	},
	{
		vendor: 'simplicite',
		example: 'simplicite-record-crud.json',
		configType: 'bpm-simplicite',
		credentialType: 'simpliciteApi',
		start: () => startSimpliciteSimulator({ users: { designer: MARKER_PASSWORD } }),
		settings: (sim) => ({ url: sim.url, username: 'designer', password: MARKER_PASSWORD, tokenTransport: 'header', v3Mode: false }),
		steps: [
			{ name: 'create', method: 'POST', ...literal('api/rest/DemoSupplier'), json: { demoSupCode: 'E2E', demoSupName: 'End to End Ltd.' } },
			{ name: 'read', method: 'GET', nodeRedUrl: '"api/rest/DemoSupplier/" & rowId', n8nUrl: "=api/rest/DemoSupplier/{{ $('create').item.json.body.row_id }}" },
			{ ...EXPIRE, ...literal('/_sim/expire') },
			{ name: 'update', method: 'PUT', nodeRedUrl: '"api/rest/DemoSupplier/" & rowId', n8nUrl: "=api/rest/DemoSupplier/{{ $('create').item.json.body.row_id }}", json: { demoSupName: 'Renamed Ltd.' } },
			{ name: 'delete', method: 'DELETE', nodeRedUrl: '"api/rest/DemoSupplier/" & rowId', n8nUrl: "=api/rest/DemoSupplier/{{ $('create').item.json.body.row_id }}", logout: true },
		],
		expected: { create: 200, read: 200, expire: 204, update: 200, delete: 200 },
	},
	{
		vendor: 'funnelback',
		example: 'funnelback-search-and-tokens.json',
		configType: 'bpm-funnelback',
		credentialType: 'funnelbackApi',
		start: () => startFunnelbackSimulator({ users: { admin: { password: MARKER_PASSWORD, canCreateNonExpiring: true } } }),
		settings: (sim) => ({ url: sim.url, authMode: 'login', username: 'admin', password: MARKER_PASSWORD }),
		steps: [
			{ name: 'search', method: 'GET', ...literal('s/search.json?collection=client~sp-docs&query=search') },
			{ name: 'packages', method: 'GET', ...literal('admin-api/search-packages/v1/') },
			{ ...EXPIRE, ...literal('/_sim/expire') },
			{ name: 'tokens', method: 'GET', ...literal('admin-api/application-tokens/v1/application-tokens') },
		],
		expected: { search: 200, packages: 200, expire: 204, tokens: 200 },
	},
];

/** The expire step goes to the simulator's control endpoint, unauthenticated. */
const absolute = (step: Step, sim: Simulator, url: string) => (step.name === 'expire' ? `${sim.origin}/_sim/expire` : url);

function nodeRedFlow(job: VendorJob, sim: Simulator): object[] {
	const tab = `v-${job.vendor}`;
	const { username, password, applicationToken, ...config } = job.settings(sim);
	const nodes: object[] = [
		{ id: tab, type: 'tab', label: job.vendor },
		{ id: `${tab}-server`, type: job.configType, ...config, credentials: { username, password, applicationToken } },
		{ id: `${tab}-in`, type: 'http in', z: tab, url: `/${job.vendor}`, method: 'post', wires: [[`${tab}-prep-0`]] },
		{ id: `${tab}-error`, type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"failed": error, "results": results}', tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [[`${tab}-out`]] },
		{ id: `${tab}-done`, type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"results": results}', tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [[`${tab}-out`]] },
		{ id: `${tab}-out`, type: 'http response', z: tab, wires: [] },
	];
	job.steps.forEach((step, i) => {
		const next = i + 1 < job.steps.length ? `${tab}-prep-${i + 1}` : `${tab}-done`;
		const url = step.name === 'expire' ? JSON.stringify(`${sim.origin}/_sim/expire`) : step.nodeRedUrl;
		nodes.push(
			{
				id: `${tab}-prep-${i}`,
				type: 'change',
				z: tab,
				rules: [
					...(i > 0 ? [{ t: 'set', p: 'results', pt: 'msg', to: `$merge([results, {"${job.steps[i - 1].name}": statusCode}])`, tot: 'jsonata' }] : [{ t: 'set', p: 'results', pt: 'msg', to: '{}', tot: 'json' }]),
					...(i > 0 && job.steps[i - 1].name === 'create' ? [{ t: 'set', p: 'rowId', pt: 'msg', to: 'payload.row_id', tot: 'jsonata' }] : []),
					{ t: 'set', p: 'url', pt: 'msg', to: url, tot: 'jsonata' },
					{ t: 'set', p: 'payload', pt: 'msg', to: JSON.stringify(step.json ?? {}), tot: 'json' },
					{ t: 'delete', p: 'headers', pt: 'msg' },
					...(step.logout ? [{ t: 'set', p: 'logout', pt: 'msg', to: 'true', tot: 'bool' }] : []),
				],
				wires: [[`${tab}-req-${i}`]],
			},
			{
				id: `${tab}-req-${i}`,
				type: 'bpm-request',
				z: tab,
				auth: step.name === 'expire' ? 'none' : job.vendor,
				[job.vendor]: `${tab}-server`,
				method: step.method,
				url: '',
				wires: [[next], [`${tab}-error`]],
			},
		);
	});
	// The last step's status joins the results in the done node.
	(nodes.find((n) => (n as { id: string }).id === `${tab}-done`) as { rules: object[] }).rules.unshift({ t: 'set', p: 'results', pt: 'msg', to: `$merge([results, {"${job.steps.at(-1)!.name}": statusCode}])`, tot: 'jsonata' });
	return nodes;
}

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`vendors end to end in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		const sims = new Map<string, Simulator>();
		let nodeRed: NodeRedInstance;
		before(async () => {
			for (const job of JOBS) sims.set(job.vendor, await job.start());
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows: JOBS.flatMap((job) => nodeRedFlow(job, sims.get(job.vendor)!)) });
		});
		after(async () => {
			await nodeRed?.stop();
			await Promise.all([...sims.values()].map((sim) => sim.close()));
		});

		for (const job of JOBS) {
			it(`${job.vendor}: does its job across a forced expiry with exactly two logins`, async () => {
				const sim = sims.get(job.vendor)!;
				sim.resetStats();
				const reply = await nodeRed.request('POST', `/${job.vendor}`, {});
				expect(reply.body.failed, reply.text).to.equal(undefined);
				expect(reply.body.results, `${reply.status} ${reply.text}`).to.deep.equal(job.expected);
				expect(sim.stats.logins).to.equal(2);
				if (job.steps.some((step) => step.logout)) await until(() => sim.stats.logouts === 1, `the ${job.vendor} logout`);
				expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
			});
		}

		it('runs the shipped example flows against the simulators', async () => {
			const flows = JOBS.flatMap((job) => {
				const { username, password, applicationToken, url } = job.settings(sims.get(job.vendor)!);
				return readJson<Array<Record<string, unknown>>>(`examples/${job.example}`).map((node) =>
					node.type === job.configType ? { ...node, url, credentials: { username, password, applicationToken } } : node,
				);
			});
			await nodeRed.deploy(flows);
			for (const job of JOBS) {
				await until(() => new RegExp(`debug:${job.vendor} done\\] 200`).test(nodeRed.logs()), `the ${job.vendor} example`);
				expect(nodeRed.logs()).not.to.contain(`debug:${job.vendor} errors`);
			}
		});
	});
}

for (const version of N8N_VERSIONS) {
	describe(`vendors end to end in real n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		const sims = new Map<string, Simulator>();
		let home: N8nHome;
		before(async () => {
			for (const job of JOBS) sims.set(job.vendor, await job.start());
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			await home.importCredentials(
				JOBS.flatMap((job) => [`cred${job.vendor}`, `${job.vendor}Sim`].map((id) => ({ id, name: id, type: job.credentialType, data: job.settings(sims.get(job.vendor)!) }))),
			);
			await home.importWorkflows(JOBS.flatMap((job) => readJson<object[]>(`workflows/${job.example}`)));
			await home.importWorkflows(
				JOBS.map((job) => {
					const sim = sims.get(job.vendor)!;
					const nodes = job.steps.map((step, i) => ({
						id: `${job.vendor}-${step.name}`,
						name: step.name,
						type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
						typeVersion: 1,
						position: [200 * (i + 1), 0],
						parameters: {
							authentication: step.name === 'expire' ? 'none' : job.credentialType,
							method: step.method,
							url: absolute(step, sim, step.n8nUrl),
							sendBody: step.json !== undefined,
							jsonBody: JSON.stringify(step.json ?? {}),
							options: step.logout ? { logoutAfterRun: true } : {},
						},
						...(step.name === 'expire' ? {} : { credentials: { [job.credentialType]: { id: `cred${job.vendor}`, name: job.vendor } } }),
					}));
					const names = ['Start', ...job.steps.map((s) => s.name)];
					return {
						id: `bpmcV${job.vendor}`.slice(0, 16),
						name: `${job.vendor} job`,
						active: false,
						settings: { executionOrder: 'v1' },
						nodes: [{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, ...nodes],
						connections: Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }])),
					};
				}),
			);
		});
		after(async () => {
			await home?.remove();
			await Promise.all([...sims.values()].map((sim) => sim.close()));
		});

		for (const job of JOBS) {
			it(`${job.vendor}: does its job across a forced expiry with exactly two logins`, async () => {
				const sim = sims.get(job.vendor)!;
				sim.resetStats();
				const run = await home.execute(`bpmcV${job.vendor}`.slice(0, 16));
				expect(run.status, run.stderr).to.equal('success');
				const results = Object.fromEntries(job.steps.map((step) => [step.name, nodeOutput(run, step.name, 0)[0]?.json.statusCode]));
				expect(results).to.deep.equal(job.expected);
				expect(sim.stats.logins).to.equal(2);
				if (job.steps.some((step) => step.logout)) expect(sim.stats.logouts).to.equal(1);
				expect(JSON.stringify(run.raw)).not.to.contain(MARKER_PASSWORD);
			});
		}

		for (const job of JOBS) {
			it(`${job.vendor}: runs the shipped example workflow`, async () => {
				const [example] = readJson<Array<{ id: string; nodes: Array<{ name: string }> }>>(`workflows/${job.example}`);
				const run = await home.execute(example.id);
				expect(run.status, run.stderr).to.equal('success');
				expect(run.runData).not.to.have.property('Errors');
				const last = example.nodes.filter((node) => node.name !== 'Errors').at(-1)!.name;
				expect(nodeOutput(run, last, 0)[0].json.statusCode).to.equal(200);
			});
		}
	});
}
