import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { createN8nHome, nodeOutput, type N8nHome, type N8nRun } from '../support/n8n-runner';
import { ensureN8n, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, readJson, SIM_USER } from './package-under-test';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	[key: string]: unknown;
}

const EXAMPLE = 'workflows/bonita-start-case-and-complete-task.json';
const NODE_TYPE = '@bpm-connect/n8n-nodes-bpm.bpmRequest';

/** The example workflow with a call between "Start case" and "Ready tasks" that expires every Bonita session. */
function exampleWithExpiry(simulator: BonitaSimulator): Workflow {
	const [workflow] = readJson<Workflow[]>(EXAMPLE);
	const expire: WorkflowNode = {
		id: 'expire',
		name: 'Expire sessions',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [550, 200],
		parameters: { authentication: 'none', method: 'POST', url: `${simulator.origin}/_sim/expire`, options: {} },
	};
	const startCase = workflow.connections['Start case'].main;
	return {
		...workflow,
		id: 'bpmcExpiry1',
		name: 'example with a forced expiry',
		nodes: [...workflow.nodes, expire],
		connections: {
			...workflow.connections,
			'Start case': { main: [[{ node: expire.name, type: 'main', index: 0 }], startCase[1]] },
			[expire.name]: { main: [startCase[0]] },
		},
	};
}

function badCredentialWorkflow(): Workflow {
	return {
		id: 'bpmcBadCred1',
		name: 'bad credentials',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'r',
				name: 'List processes',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters: { authentication: 'bonitaApi', method: 'GET', url: 'API/bpm/process', options: {} },
				credentials: { bonitaApi: { id: 'bonitaBad', name: 'Bonita wrong password' } },
				onError: 'continueErrorOutput',
			},
		],
		connections: { Start: { main: [[{ node: 'List processes', type: 'main', index: 0 }]] } },
	};
}

/** Three items through one node: one succeeds, one meets a 404, one has a malformed URL. */
function mixedItemsWorkflow(onError?: string): Workflow {
	return {
		id: onError ? 'bpmcMixed1' : 'bpmcMixedStop1',
		name: `mixed items (${onError ?? 'stop workflow'})`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'c',
				name: 'Paths',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: "return ['API/bpm/process', 'API/bpm/humanTask/99999', 'http://exa mple/x'].map(path => ({ json: { path } }));" },
			},
			{
				id: 'r',
				name: 'Call',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { authentication: 'bonitaApi', method: 'GET', url: '={{ $json.path }}', options: {} },
				credentials: { bonitaApi: { id: 'bonitaSim', name: 'Bonita simulator' } },
				...(onError ? { onError } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Paths', type: 'main', index: 0 }]] },
			Paths: { main: [[{ node: 'Call', type: 'main', index: 0 }]] },
		},
	};
}

function json(run: N8nRun, node: string, output = 0): Array<Record<string, any>> {
	return nodeOutput(run, node, output).map((item: { json: Record<string, any> }) => item.json);
}

for (const version of N8N_VERSIONS) {
	describe(`end to end in real n8n ${version} (Node 24)`, function () {
		this.timeout(15 * 60 * 1000);
		let simulator: BonitaSimulator;
		let home: N8nHome;

		before(async () => {
			simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			const [example] = readJson<Workflow[]>(EXAMPLE);
			await home.importCredentials([
				{ id: 'bonitaSim', name: 'Bonita simulator', type: 'bonitaApi', data: { url: simulator.url, username: SIM_USER, password: MARKER_PASSWORD } },
				{ id: 'bonitaBad', name: 'Bonita wrong password', type: 'bonitaApi', data: { url: simulator.url, username: SIM_USER, password: 'not-the-password' } },
			]);
			await home.importWorkflows([example, exampleWithExpiry(simulator), badCredentialWorkflow(), mixedItemsWorkflow('continueErrorOutput'), mixedItemsWorkflow()]);
		});
		after(async () => {
			await home?.remove();
			await simulator?.close();
		});
		beforeEach(() => simulator.resetStats());

		it('runs the example workflow: find the process, start a case, list its ready task, execute it', async () => {
			const run = await home.execute('bpmcBonitaCase1');
			expect(run.status, run.stderr).to.equal('success');
			expect(json(run, 'Start case')[0].body.caseId).to.be.a('number');
			expect(json(run, 'Execute task')[0].statusCode).to.equal(204);
			expect(run.runData).not.to.have.property('Errors');
			expect(simulator.stats.logins).to.equal(1);
		});

		it('survives a session expiry midway with exactly one new login', async () => {
			const run = await home.execute('bpmcExpiry1');
			expect(run.status, run.stderr).to.equal('success');
			const task = json(run, 'Ready tasks')[0].body[0];
			expect(task.state).to.equal('ready');
			expect(task.caseId).to.equal(String(json(run, 'Start case')[0].body.caseId));
			expect(json(run, 'Execute task')[0].statusCode).to.equal(204);
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.be.greaterThan(0);
			expect(run.stdout + run.stderr).not.to.contain(MARKER_PASSWORD);
		});

		it('puts a refused login on the Error output, nothing on Success, and no password anywhere', async () => {
			const run = await home.execute('bpmcBadCred1');
			expect(run.status, run.stderr).to.equal('success');
			expect(nodeOutput(run, 'List processes', 0)).to.have.length(0);
			const [failed] = json(run, 'List processes', 1);
			expect(failed.error.kind).to.equal('login');
			expect(failed.error.message).to.equal('Bonita rejected the username or password (401)');
			expect(simulator.stats.loginFailures).to.equal(1);
			expect(JSON.stringify(run.raw) + run.stderr).not.to.contain('not-the-password');
		});

		it('sends every item out exactly once, paired with its input: successes on Success, failures on Error', async () => {
			const run = await home.execute('bpmcMixed1');
			expect(run.status, run.stderr).to.equal('success');
			const success = nodeOutput(run, 'Call', 0);
			const failed = nodeOutput(run, 'Call', 1);
			expect(success.map((item: any) => item.pairedItem.item)).to.deep.equal([0]);
			expect(failed.map((item: any) => item.pairedItem.item)).to.deep.equal([1, 2]);
			expect(failed[0].json.error).to.include({ kind: 'http', status: 404 });
			expect(failed[1].json.error).to.include({ kind: 'input', field: 'url' });
			expect(failed[1].json.error.message).to.contain('not a valid URL');
		});

		it('with Stop Workflow, fails the run naming the first failed item', async () => {
			const run = await home.execute('bpmcMixedStop1');
			expect(run.status).to.equal('error');
			const error = run.runData.Call?.[0]?.error ?? run.error;
			expect(JSON.stringify(error)).to.contain('answered 404');
			expect(error.context?.itemIndex ?? error.itemIndex).to.equal(1);
		});
	});
}
