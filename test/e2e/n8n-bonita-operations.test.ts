import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { Client } from '../simulators/bonita/client';
import { PROCESS_REGISTRATION, PROCESS_SHOWCASE } from '../simulators/bonita/processes';
import { createN8nHome, nodeOutput, type N8nHome, type N8nRun } from '../support/n8n-runner';
import { startN8nServer, type N8nServer, type N8nSession } from '../support/n8n-server';
import { signInToN8nEditor } from '../support/n8n-editor-browser';
import { ensureN8n, N8N_VERSION, N8N_VERSIONS } from '../support/runtimes';
import { saveScreenshot } from '../support/screenshots';
import { MARKER_PASSWORD, packageTgz, SIM_USER } from './package-under-test';

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	[key: string]: unknown;
}

const BONITA = '@bpm-connect/n8n-nodes-bpm.bonita';
const CREDENTIAL = { bonitaApi: { id: 'bonitaSim', name: 'Bonita simulator' } };
const credential = (simulator: BonitaSimulator) => ({ id: 'bonitaSim', name: 'Bonita simulator', type: 'bonitaApi', data: { url: simulator.url, username: SIM_USER, password: MARKER_PASSWORD } });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

function bonitaNode(name: string, parameters: Record<string, unknown>): WorkflowNode {
	return { id: name, name, type: BONITA, typeVersion: 1, position: [0, 0], parameters, credentials: CREDENTIAL, onError: 'continueErrorOutput' };
}

/** Start, then the nodes one after the other; every Bonita node's error output goes to "Errors". */
function chainWorkflow(id: string, nodes: WorkflowNode[]) {
	const all: WorkflowNode[] = [
		{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		...nodes,
		{ id: 'errors', name: 'Errors', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 200], parameters: {} },
	].map((node, index) => ({ ...node, position: [index * 220, node.name === 'Errors' ? 200 : 0] as [number, number] }));
	const link = (node: string) => [{ node, type: 'main', index: 0 }];
	const connections = Object.fromEntries(
		all.slice(0, -2).map((node, index) => {
			const next = link(all[index + 1].name);
			return [node.name, { main: node.type === BONITA ? [next, link('Errors')] : [next] }];
		}),
	);
	const last = all.at(-2)!;
	if (last.type === BONITA) connections[last.name] = { main: [[], link('Errors')] };
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes: all, connections };
}

/** Items on one output of a node. */
const items = (run: N8nRun, node: string, output: number) => nodeOutput(run, node, output) as Array<{ json: Record<string, any>; pairedItem: { item: number } }>;

/** The simulator's own view of each task, read through its API: ready (live), archived, or unknown. */
async function taskStates(simulator: BonitaSimulator, taskIds: string[]): Promise<string[]> {
	const client = new Client(simulator.url);
	await client.login(SIM_USER, MARKER_PASSWORD);
	const states = [];
	for (const taskId of taskIds) {
		if ((await client.req('GET', `/API/bpm/humanTask/${taskId}`)).status === 200) states.push('ready');
		else states.push(((await client.getJson(`/API/bpm/archivedHumanTask?p=0&c=1&f=sourceObjectId%3D${taskId}`)).data as unknown[]).length === 1 ? 'archived' : 'unknown');
	}
	return states;
}

/** Requests of the last run: method and path under the context path. */
const seen = (simulator: BonitaSimulator, method: string, path: RegExp) => simulator.requests.filter((request) => request.method === method && path.test(request.path));

/**
 * While a run lasts, arms one drop-after-processing fault for each fifth task execution the simulator accepts
 * (the first before any): about 20 % of the executions are processed and then cut off, spread over the run.
 */
function injectExecutionFaults(simulator: BonitaSimulator, total: number): { stop(): void; armed(): number } {
	let armed = 0;
	const arm = () => {
		while (armed * 5 <= simulator.operations.executions && armed * 5 < total) {
			simulator.dropAfterProcessing('execution');
			armed++;
		}
	};
	arm();
	const timer = setInterval(arm, 1);
	return { stop: () => clearInterval(timer), armed: () => armed };
}

for (const version of N8N_VERSIONS) {
	describe(`Bonita operation nodes under faults in real n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		const BULK = 100;
		let simulator: BonitaSimulator;
		let home: N8nHome;
		let singleTask: string;
		let bulkTasks: string[];

		before(async () => {
			simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
			[singleTask, ...bulkTasks] = simulator.bulkCreateTasks(1 + BULK);
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			await home.importCredentials([credential(simulator)]);
			await home.importWorkflows([
				chainWorkflow('bpmcOpsExecute1', [bonitaNode('Execute task', { resource: 'task', operation: 'execute', taskId: byId(singleTask) })]),
				chainWorkflow('bpmcOpsStart1', [
					bonitaNode('Start case', {
						resource: 'case',
						operation: 'start',
						processId: byId(PROCESS_REGISTRATION),
						contractInputs: { mappingMode: 'defineBelow', value: { name: 'Walter' }, matchingColumns: [], schema: [{ id: 'name', displayName: 'name', required: true, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: false }], attemptToConvertTypes: false, convertFieldsToString: true },
					}),
				]),
				chainWorkflow('bpmcOpsBulk1', [
					{ id: 'tasks', name: 'Tasks', type: 'n8n-nodes-base.code', typeVersion: 2, position: [0, 0], parameters: { jsCode: `return ${JSON.stringify(bulkTasks)}.map((taskId) => ({ json: { taskId } }));` } },
					bonitaNode('Execute task', { resource: 'task', operation: 'execute', taskId: byId('={{ $json.taskId }}') }),
				]),
			]);
		});
		after(async () => {
			await home?.remove();
			await simulator?.close();
		});
		beforeEach(() => {
			simulator.resetStats();
			simulator.requests.splice(0);
		});

		it('an execution processed and then cut off: read back, confirmed on Success, executed once', async () => {
			simulator.dropAfterProcessing('execution');
			const run = await home.execute('bpmcOpsExecute1');
			expect(run.status, run.stderr).to.equal('success');
			expect(items(run, 'Execute task', 0).map((item) => item.json)).to.deep.equal([{ taskId: singleTask, executed: true, confirmedByReadBack: true }]);
			expect(items(run, 'Execute task', 1)).to.deep.equal([]);
			expect(seen(simulator, 'POST', new RegExp(`/API/bpm/userTask/${singleTask}/execution$`)), 'sent once').to.have.length(1);
			expect(seen(simulator, 'GET', new RegExp(`/API/bpm/humanTask/${singleTask}$`)), 'read back after the cut').to.have.length(1);
			expect(simulator.operations.executions).to.equal(1);
			expect(await taskStates(simulator, [singleTask])).to.deep.equal(['archived']);
		});

		it('a reset during Case Start: on the Error output, flagged as may have taken effect, one case started', async () => {
			simulator.dropAfterProcessing('instantiation');
			const run = await home.execute('bpmcOpsStart1');
			expect(run.status, run.stderr).to.equal('success');
			expect(items(run, 'Start case', 0)).to.deep.equal([]);
			const [failed, ...more] = items(run, 'Start case', 1);
			expect(more).to.deep.equal([]);
			expect(failed.pairedItem).to.deep.equal({ item: 0 });
			expect(failed.json.error).to.include({ kind: 'network', mayHaveTakenEffect: true });
			expect(failed.json.error.message).to.contain('may have taken effect').and.contain('look for it');
			expect(seen(simulator, 'POST', new RegExp(`/API/bpm/process/${PROCESS_REGISTRATION}/instantiation$`)), 'never sent again').to.have.length(1);
			expect(simulator.operations.instantiations).to.equal(1);
			expect(JSON.stringify(run.raw) + run.stderr).not.to.contain(MARKER_PASSWORD);
		});

		it(`${BULK} task executions under about 20 % cut-off answers: none lost, none duplicated, each item on exactly one output`, async () => {
			const started = Date.now();
			const faults = injectExecutionFaults(simulator, BULK);
			const run = await home.execute('bpmcOpsBulk1').finally(faults.stop);
			const armed = faults.armed();
			expect(run.status, run.stderr).to.equal('success');
			const success = items(run, 'Execute task', 0);
			const failed = items(run, 'Execute task', 1);
			const paired = [...success, ...failed].map((item) => item.pairedItem.item).sort((a, b) => a - b);
			expect(paired, 'each input item on exactly one output').to.deep.equal(bulkTasks.map((_, index) => index));
			expect(failed.map((item) => item.json.error), 'nothing failed: every cut-off answer was read back').to.deep.equal([]);
			expect(success.map((item) => item.json.taskId)).to.deep.equal(bulkTasks);
			const posted = seen(simulator, 'POST', /\/API\/bpm\/userTask\/\d+\/execution$/).map((request) => request.path.split('/').at(-2));
			expect([...posted].sort(), 'each task sent exactly once').to.deep.equal([...bulkTasks].sort());
			expect(simulator.operations.executions, 'executed exactly once each').to.equal(BULK);
			expect(armed).to.be.within(BULK * 0.15, BULK * 0.25);
			expect(seen(simulator, 'GET', /\/API\/bpm\/humanTask\/\d+$/), 'one read-back per cut-off answer').to.have.length(armed);
			expect(new Set(await taskStates(simulator, bulkTasks)), 'every task archived').to.deep.equal(new Set(['archived']));
			console.log(`      ${BULK} executions, ${armed} cut off, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		});
	});
}

describe(`Bonita node dropdowns through a running n8n ${N8N_VERSION} server and its editor in headless Chromium`, function () {
	this.timeout(10 * 60 * 1000);
	const owner = { email: 'owner@example.com', password: `Owner-${randomBytes(12).toString('base64url')}` };
	const answers: string[] = [];
	let simulator: BonitaSimulator;
	let server: N8nServer;
	let session: N8nSession;
	let bulkTasks: string[];

	before(async () => {
		simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
		bulkTasks = simulator.bulkCreateTasks(120);
		server = await startN8nServer({
			runtime: await ensureN8n(),
			packageTgz: packageTgz(),
			owner,
			credentials: [credential(simulator)],
			workflows: [chainWorkflow('bpmcOpsPanel1', [bonitaNode('Start a case', { resource: 'case', operation: 'start' })])],
		});
		session = await server.login();
	});
	after(async () => {
		await server?.stop();
		await simulator?.close();
	});

	/** n8n's editor asks the node for one page of a resource locator's list. */
	const listSearch = async (parameter: string, methodName: string, currentNodeParameters: Record<string, unknown>, filter?: string, paginationToken?: string) => {
		const answer = await session.rest<{ results: Array<{ name: string; value: string }>; paginationToken?: string }>('POST', 'dynamic-node-parameters/resource-locator-results', {
			nodeTypeAndVersion: { name: BONITA, version: 1 },
			path: `parameters.${parameter}`,
			methodName,
			currentNodeParameters,
			credentials: CREDENTIAL,
			...(filter !== undefined ? { filter } : {}),
			...(paginationToken !== undefined ? { paginationToken } : {}),
		});
		answers.push(JSON.stringify(answer));
		return answer;
	};

	it('lists processes filtered on the server: "Regis" gives Registration only', async () => {
		const answer = await listSearch('processId', 'searchProcesses', { resource: 'case', operation: 'start' }, 'Regis');
		expect(answer.results).to.deep.equal([{ name: 'Registration (1.0)', value: PROCESS_REGISTRATION }]);
		expect(answer).not.to.have.property('paginationToken');
	});

	it('lists the tasks available to me page by page: 120 more tasks come in pages of 50 with a pagination token', async () => {
		const parameters = { resource: 'task', operation: 'execute' };
		const pages = [];
		let token: string | undefined;
		do {
			const answer = await listSearch('taskId', 'searchTasks', parameters, '', token);
			pages.push(answer.results);
			token = answer.paginationToken;
		} while (token !== undefined && pages.length < 10);
		expect(pages.map((page) => page.length).slice(0, 2)).to.deep.equal([50, 50]);
		expect(pages).to.have.length(3);
		const ids = pages.flat().map((option) => option.value);
		expect(new Set(ids).size, 'no task twice').to.equal(ids.length);
		expect(ids).to.include.members(bulkTasks);
	});

	it('lists enabled users with their names', async () => {
		const answer = await listSearch('userId', 'searchUsers', { resource: 'task', operation: 'assign', assignee: 'user' });
		expect(answer.results).to.deep.include({ name: 'Walter Bates (walter.bates)', value: '4' });
		expect(answer.results.map((option) => option.value)).not.to.include('6');
	});

	it('gives the resource mapper the fields of the Contract Showcase contract, with their types and required flags', async () => {
		const answer = await session.rest<{ fields: Array<{ id: string; displayName: string; type: string; required: boolean }> }>('POST', 'dynamic-node-parameters/resource-mapper-fields', {
			nodeTypeAndVersion: { name: BONITA, version: 1 },
			path: 'parameters.contractInputs',
			methodName: 'getProcessContractFields',
			currentNodeParameters: { resource: 'case', operation: 'start', processId: { __rl: true, mode: 'list', value: PROCESS_SHOWCASE } },
			credentials: CREDENTIAL,
		});
		answers.push(JSON.stringify(answer));
		expect(answer.fields.map(({ id, type, required }) => [id, type, required])).to.deep.equal([
			['title', 'string', true],
			['urgent', 'boolean', false],
			['quantity', 'number', true],
			['unitPrice', 'number', false],
			['reference', 'number', false],
			['dueDate', 'dateTime', false],
			['startDay', 'dateTime', false],
			['meetingAt', 'dateTime', false],
			['deadline', 'dateTime', false],
			['attachment', 'string', false],
			['tags', 'array', false],
			['address', 'object', true],
			['lines', 'array', false],
		]);
		expect(answer.fields.find((field) => field.id === 'attachment')?.displayName).to.equal('attachment (Input Binary Field)');
	});

	it('in the editor, Case Start lists the processes from the server and shows the contract fields once one is picked', async () => {
		let browser: Browser | undefined;
		try {
			const signedIn = await signInToN8nEditor(server.url, owner);
			browser = signedIn.browser;
			const { page } = signedIn;
			await page.goto(`${server.url}/workflow/bpmcOpsPanel1`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"][data-node-name="Start a case"]').dblclick();
			await page.locator('[data-test-id="ndv"]').waitFor();
			const locator = page.locator('[data-test-id="resource-locator-processId"]');
			await locator.locator('[data-test-id="rlc-input"]').click();
			const options = page.locator('[data-test-id="rlc-item"]');
			await options.first().waitFor();
			const listed = await options.allInnerTexts();
			expect(listed.map((text) => text.trim())).to.include.members(['Contract Showcase (1.0)', 'Registration (1.0)', 'Expense Report (2.1)']);
			expect(listed.map((text) => text.trim())).not.to.include('Legacy Onboarding (0.9)');
			await options.filter({ hasText: 'Contract Showcase (1.0)' }).click();
			const fields = page.locator('[data-test-id="mapping-fields-container"]');
			await fields.waitFor();
			for (const field of ['title', 'quantity', 'address']) await fields.getByText(field, { exact: true }).first().waitFor();
			await saveScreenshot(page, 'n8n-bonita-case-start');
			expect(await page.content()).not.to.contain(MARKER_PASSWORD);
		} finally {
			await browser?.close();
		}
	});

	it('no answer carries the password', () => {
		expect(answers.join('\n')).not.to.contain(MARKER_PASSWORD);
		expect(answers.length).to.be.greaterThan(3);
	});
});
