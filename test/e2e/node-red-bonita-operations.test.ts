import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_REGISTRATION, PROCESS_SHOWCASE } from '../simulators/bonita/processes';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureNodeRed4, ensureNodeRed5 } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, readJson, SIM_USER } from './package-under-test';

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

const EXAMPLE = 'examples/bonita-start-case-and-complete-task.json';
const SERVER = 'bpmc-bonita-server';
const EXAMPLE_TAB = 'bpmc-example-tab';
const TAB = 'ops-tab';
const typed = (v: string, vt = 'str') => ({ v, vt });

/**
 * The shipped example, pointed at the simulator and driven by `POST /example` instead of its inject node. The test
 * adds only wires and nodes beside it: after the document is attached every session is expired (the simulator's
 * /_sim/expire), Document Get Many's list is kept in flow context, the case read last is the reply, and every error
 * output also replies (502 with msg.error).
 */
function exampleFlow(simulator: BonitaSimulator): FlowNode[] {
	const nodes = readJson<FlowNode[]>(EXAMPLE);
	const inject = nodes.find((node) => node.type === 'inject')!;
	const added: Record<string, string[]> = { 'bpmc-case': ['ex-reply'], 'bpmc-documents': ['ex-keep-documents'] };
	const example = nodes
		.filter((node) => node !== inject)
		.map((node): FlowNode => {
			if (node.type === 'bpm-bonita') return { ...node, url: simulator.url, credentials: { username: SIM_USER, password: MARKER_PASSWORD } };
			if (node.type !== 'bpm-bonita-operation') return node;
			const [success, error] = node.wires!;
			if (node.id === 'bpmc-upload') return { ...node, wires: [['ex-expire'], [...error, 'ex-reply-error']] };
			return { ...node, wires: [[...success, ...(added[node.id] ?? [])], [...error, 'ex-reply-error']] };
		});
	const afterUpload = nodes.find((node) => node.id === 'bpmc-upload')!.wires![0];
	const z = EXAMPLE_TAB;
	return [
		...example,
		{ id: 'ex-in', type: 'http in', z, url: '/example', method: 'post', wires: inject.wires },
		{ id: 'ex-expire', type: 'http request', z, name: 'expire every session', method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${simulator.origin}/_sim/expire`, wires: [afterUpload] },
		{ id: 'ex-keep-documents', type: 'change', z, rules: [{ t: 'set', p: 'documents', pt: 'flow', to: 'payload', tot: 'msg' }], wires: [[]] },
		{ id: 'ex-reply', type: 'change', z, rules: [set('payload', '{"case": payload, "caseId": caseId, "taskId": taskId, "documents": $flowContext("documents")}'), del('headers'), set('statusCode', '200')], wires: [['ex-out']] },
		{ id: 'ex-reply-error', type: 'change', z, rules: [set('payload', 'error'), del('headers'), set('statusCode', '502')], wires: [['ex-out']] },
		{ id: 'ex-out', type: 'http response', z, wires: [] },
	];
}

function set(path: string, to: string, tot = 'jsonata') {
	return { t: 'set', p: path, pt: 'msg', to, tot };
}
function del(path: string) {
	return { t: 'delete', p: path, pt: 'msg' };
}

/** An operation node of the test's own, as the editor saves one. */
function operation(id: string, resource: string, name: string, parameters: Record<string, unknown>): FlowNode {
	return { id, type: 'bpm-bonita-operation', z: TAB, name: `${resource} ${name} (${id})`, server: SERVER, resource, operation: name, parameters, returnAll: false, limit: 50, simplify: true, maxAttempts: 1, retryDelayMs: 500, timeoutMs: '', tls: '', proxy: '', wires: [['ops-ok'], ['ops-fail']] };
}

/**
 * `POST /op/<id>` runs operation node <id> on the request body (msg.payload). Both outputs reply through a function
 * that also tallies, by msg.payload.taskId of the request, which output each message left by (`GET /tally`).
 */
function operationsFlow(): FlowNode[] {
	const ops = [
		operation('bulk-execute', 'task', 'execute', { taskId: typed('payload.taskId', 'msg') }),
		operation('process-dropdown', 'process', 'get', { processId: typed(PROCESS_SHOWCASE) }),
		operation('process-msg', 'process', 'get', { processId: typed('payload.processId', 'msg') }),
		operation('start-dropdown', 'case', 'start', { processId: typed(PROCESS_REGISTRATION), contractInputs: { vt: 'form', v: { name: typed('Ada Lovelace') } } }),
		operation('start-msg', 'case', 'start', { processId: typed('payload.processId', 'msg'), contractInputs: typed('payload.contract', 'msg') }),
		operation('start-dropdown-incomplete', 'case', 'start', { processId: typed(PROCESS_REGISTRATION), contractInputs: { vt: 'form', v: {} } }),
		operation('tasks-dropdown', 'task', 'getMany', { scope: typed('availableToMe'), caseId: typed('payload.caseId', 'msg') }),
		operation('tasks-msg', 'task', 'getMany', { scope: typed('payload.scope', 'msg'), caseId: typed('payload.caseId', 'msg') }),
	];
	const reply = (output: 'success' | 'error', status: number) =>
		[
			`const taskId = msg.req.body && msg.req.body.taskId;`,
			`if (taskId) { const tally = global.get('tally') || { success: {}, error: {} }; tally.${output}[taskId] = (tally.${output}[taskId] || 0) + 1; global.set('tally', tally); }`,
			`msg.payload = ${output === 'success' ? '{ output: "success", payload: msg.payload }' : '{ output: "error", error: msg.error }'};`,
			`msg.statusCode = ${status};`,
			`delete msg.headers;`,
			`return msg;`,
		].join('\n');
	return [
		{ id: TAB, type: 'tab', label: 'operations' },
		...ops.flatMap((node) => [{ id: `in-${node.id}`, type: 'http in', z: TAB, url: `/op/${node.id}`, method: 'post', wires: [[node.id]] }, node]),
		{ id: 'ops-ok', type: 'function', z: TAB, func: reply('success', 200), outputs: 1, wires: [['ops-out']] },
		{ id: 'ops-fail', type: 'function', z: TAB, func: reply('error', 502), outputs: 1, wires: [['ops-out']] },
		{ id: 'in-tally', type: 'http in', z: TAB, url: '/tally', method: 'get', wires: [['ops-tally']] },
		{ id: 'ops-tally', type: 'change', z: TAB, rules: [set('payload', '$globalContext("tally")'), set('statusCode', '200')], wires: [['ops-out']] },
		{ id: 'ops-out', type: 'http response', z: TAB, wires: [] },
	];
}

/** The calls the simulator saw since `from`, as "METHOD path". */
function callsSince(simulator: BonitaSimulator, from: number): string[] {
	return simulator.requests.slice(from).map((request) => `${request.method} ${request.path}`);
}

/** Picks `count` distinct indexes below `size`. */
function sample(size: number, count: number): Set<number> {
	const picked = new Set<number>();
	while (picked.size < count) picked.add(Math.floor(Math.random() * size));
	return picked;
}

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`bonita operation nodes in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		let simulator: BonitaSimulator;
		let nodeRed: NodeRedInstance;

		before(async () => {
			simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows: [...exampleFlow(simulator), ...operationsFlow()] });
		});
		after(async () => {
			await nodeRed?.stop();
			await simulator?.close();
		});

		/** Runs the example once; the reply and what the simulator saw meanwhile. */
		async function runExample() {
			simulator.resetStats();
			const from = simulator.requests.length;
			const reply = await nodeRed.request('POST', '/example', {});
			return { reply, calls: callsSince(simulator, from) };
		}

		it('runs the example flow: case started, document attached and listed, task assigned and executed, case archived; the sessions expire midway and it logs in exactly twice', async () => {
			const { reply, calls } = await runExample();
			expect(reply.status, reply.text).to.equal(200);
			const { case: finished, caseId, taskId, documents } = reply.body;
			expect(finished).to.include({ archived: true, sourceObjectId: caseId, processDefinitionId: PROCESS_SHOWCASE });
			expect(documents).to.have.length(1);
			expect(documents[0]).to.include({ caseId, name: 'request', fileName: 'request.txt' });
			expect(taskId).to.be.a('string').and.not.equal('');
			expect(simulator.operations).to.deep.equal({ instantiations: 1, executions: 1, documentsAttached: 1, messagesReceived: 0 });
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.be.greaterThan(0);
			expect(calls).to.include(`PUT /bonita/API/bpm/humanTask/${taskId}`);
			expect(calls).to.include(`POST /bonita/API/bpm/userTask/${taskId}/execution`);
			expect(nodeRed.logs()).not.to.match(/\[debug:errors\]/);
		});

		it('answers a task execution processed and then cut off with a success confirmed by a read-back: executed exactly once', async () => {
			simulator.dropAfterProcessing('execution');
			const { reply, calls } = await runExample();
			expect(reply.status, reply.text).to.equal(200);
			expect(reply.body.case.archived).to.equal(true);
			expect(simulator.operations.executions).to.equal(1);
			const execution = `POST /bonita/API/bpm/userTask/${reply.body.taskId}/execution`;
			expect(calls.filter((call) => call === execution)).to.have.length(1);
			expect(calls.slice(calls.indexOf(execution) + 1), 'the read-back').to.include('GET /bonita/API/bpm/archivedHumanTask');
		});

		it('sends a Case Start processed and then cut off to the error output with mayHaveTakenEffect: started exactly once', async () => {
			simulator.dropAfterProcessing('instantiation');
			const { reply, calls } = await runExample();
			expect(reply.status, reply.text).to.equal(502);
			expect(reply.body).to.include({ mayHaveTakenEffect: true, kind: 'network' });
			expect(reply.body.source).to.include({ id: 'bpmc-start', type: 'bpm-bonita-operation' });
			expect(reply.body.message).to.contain('may have taken effect').and.contain('Case → Get Many');
			expect(simulator.operations.instantiations).to.equal(1);
			expect(calls.filter((call) => call === `POST /bonita/API/bpm/process/${PROCESS_SHOWCASE}/instantiation`)).to.have.length(1);
		});

		it('executes 100 tasks while a random fifth of the answers are lost: none duplicated, none lost, each message on exactly one output', async () => {
			const taskIds = simulator.bulkCreateTasks(100);
			const faulty = sample(taskIds.length, 20);
			simulator.resetStats();
			const from = simulator.requests.length;
			const started = Date.now();
			for (const [index, taskId] of taskIds.entries()) {
				if (faulty.has(index)) simulator.dropAfterProcessing('execution');
				const reply = await nodeRed.request('POST', '/op/bulk-execute', { taskId });
				expect(reply.status, reply.text).to.equal(200);
			}
			const elapsed = Date.now() - started;
			const tally = (await nodeRed.request('GET', '/tally')).body as { success: Record<string, number>; error: Record<string, number> };
			const calls = callsSince(simulator, from);
			expect(tally.error).to.deep.equal({});
			expect(Object.keys(tally.success)).to.have.members(taskIds);
			expect(Object.values(tally.success).every((count) => count === 1), 'one message per task').to.equal(true);
			expect(simulator.operations.executions, 'executions').to.equal(100);
			for (const taskId of taskIds) expect(calls.filter((call) => call === `POST /bonita/API/bpm/userTask/${taskId}/execution`), taskId).to.have.length(1);
			expect(calls.filter((call) => call === 'GET /bonita/API/bpm/archivedHumanTask'), 'read-backs').to.have.length(20);
			console.log(`      100 executions, 20 answers lost: ${elapsed} ms`);
		});

		it('a node configured from the dropdowns (parameters as str) behaves as one fed by msg', async () => {
			const processDropdown = await nodeRed.request('POST', '/op/process-dropdown', {});
			const processMsg = await nodeRed.request('POST', '/op/process-msg', { processId: PROCESS_SHOWCASE });
			expect(processDropdown.status, processDropdown.text).to.equal(200);
			expect(processMsg.body).to.deep.equal(processDropdown.body);
			expect(processDropdown.body.payload).to.include({ id: PROCESS_SHOWCASE, name: 'Contract Showcase' });

			const startDropdown = await nodeRed.request('POST', '/op/start-dropdown', {});
			const startMsg = await nodeRed.request('POST', '/op/start-msg', { processId: PROCESS_REGISTRATION, contract: { name: 'Ada Lovelace' } });
			expect(startDropdown.status, startDropdown.text).to.equal(200);
			expect(startMsg.status, startMsg.text).to.equal(200);
			expect(startMsg.body.payload.processId).to.equal(startDropdown.body.payload.processId);
			expect(startMsg.body.payload.caseId).not.to.equal(startDropdown.body.payload.caseId);

			// Each case's task, listed once by a dropdown-configured node and once by a msg-fed one: the same task, named from the same contract.
			const tasks = async (caseId: string) => {
				const fromDropdown = await nodeRed.request('POST', '/op/tasks-dropdown', { caseId });
				const fromMsg = await nodeRed.request('POST', '/op/tasks-msg', { caseId, scope: 'availableToMe' });
				expect(fromMsg.body).to.deep.equal(fromDropdown.body);
				return fromDropdown.body.payload as Array<{ displayName: string }>;
			};
			const [dropdownTasks, msgTasks] = [await tasks(startDropdown.body.payload.caseId), await tasks(startMsg.body.payload.caseId)];
			expect(dropdownTasks.map((task) => task.displayName)).to.deep.equal(['Review Ada Lovelace']);
			expect(msgTasks.map((task) => task.displayName)).to.deep.equal(['Review Ada Lovelace']);

			const incompleteDropdown = await nodeRed.request('POST', '/op/start-dropdown-incomplete', {});
			const incompleteMsg = await nodeRed.request('POST', '/op/start-msg', { processId: PROCESS_REGISTRATION, contract: {} });
			expect(incompleteDropdown.status).to.equal(502);
			expect(incompleteDropdown.body.error).to.include({ kind: 'input', field: 'contractInputs.name' });
			const { source: _dropdownSource, elapsedMs: _dropdownMs, ...dropdownError } = incompleteDropdown.body.error;
			const { source: _msgSource, elapsedMs: _msgMs, ...msgError } = incompleteMsg.body.error;
			expect(msgError).to.deep.equal(dropdownError);
		});

		it('never writes the password to the Node-RED log', () => {
			expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
		});
	});
}
