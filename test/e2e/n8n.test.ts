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

/** The example workflow with a call between "Attach note" and "List documents" that expires every Bonita session. */
function exampleWithExpiry(simulator: BonitaSimulator): Workflow {
	const [workflow] = readJson<Workflow[]>(EXAMPLE);
	const expire: WorkflowNode = {
		id: 'expire',
		name: 'Expire sessions',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [770, 200],
		parameters: { authentication: 'none', method: 'POST', url: `${simulator.origin}/_sim/expire`, options: {} },
	};
	const attach = workflow.connections['Attach note'].main;
	return {
		...workflow,
		id: 'bpmcExpiry1',
		name: 'example with a forced expiry',
		nodes: [...workflow.nodes, expire],
		connections: {
			...workflow.connections,
			'Attach note': { main: [[{ node: expire.name, type: 'main', index: 0 }], attach[1]] },
			[expire.name]: { main: [attach[0]] },
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

		/** What the example's run must show: one case started, its note attached, its task executed, the case archived. */
		const expectCaseCompleted = (run: N8nRun) => {
			expect(run.status, run.stderr).to.equal('success');
			expect(run.runData).not.to.have.property('Errors');
			const { caseId } = json(run, 'Start case')[0];
			expect(caseId).to.be.a('string');
			expect(json(run, 'List documents').map((doc) => [doc.caseId, doc.name, doc.fileName])).to.deep.equal([[caseId, 'orderNote', 'order-note.txt']]);
			const [task] = json(run, 'My tasks');
			expect(task).to.include({ caseId, state: 'ready' });
			expect(json(run, 'Assign task')[0]).to.include({ taskId: task.id, assigned: true });
			expect(json(run, 'Execute task')).to.deep.equal([{ taskId: task.id, executed: true }]);
			expect(json(run, 'Get case')[0]).to.include({ sourceObjectId: caseId, state: 'completed', archived: true });
			expect(simulator.operations).to.include({ instantiations: 1, documentsAttached: 1, executions: 1 });
		};

		it('runs the example workflow: start a case, attach a note, list documents and tasks, assign and execute the task, read the archived case', async () => {
			const run = await home.execute('bpmcBonitaCase1');
			expectCaseCompleted(run);
			expect(simulator.stats.logins).to.equal(1);
		});

		it('survives a session expiry midway with exactly one new login', async () => {
			const run = await home.execute('bpmcExpiry1');
			expectCaseCompleted(run);
			expect(json(run, 'Expire sessions')[0].statusCode).to.equal(204);
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
