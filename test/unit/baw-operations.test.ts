import { expect } from 'chai';
import { operationCalls, type CallInput } from '../support/operation-calls';
import {
	baw,
	createSchemeSession,
	findOperation,
	formFields,
	listOptions,
	runOperation,
	sessionConnection,
	type Connection,
	type OperationInput,
	type Session,
} from '../../core';
import { bawCatalogue } from '../../core/catalogues/baw';
import { parseProcessKey, processKey } from '../../core/catalogues/baw/startable-process';
import { bpdInputs, dataObjects } from '../../core/catalogues/baw/variables';
import { startBawSimulator, type BawSimulator } from '../simulators/baw';
import { BPD_HIRING } from '../simulators/baw/data';

const PASSWORD = 'baw-op-secret';
const VACATION = 'VR:Vacation request';
const HIRING = `HSS:${BPD_HIRING.name}`;

describe('IBM BAW operations on the simulator (runOperation)', function () {
	let simulator: BawSimulator;
	let session: Session;
	let connection: Connection;

	const { value, json, failure: fail } = operationCalls(bawCatalogue, () => connection);
	const failure = (resource: string, name: string, values: CallInput['values'], extra: Partial<OperationInput> = {}) => fail(resource, name, { values, ...extra });
	const sent = (method: string, pathEnd: string) => simulator.requests.filter((request) => request.method === method && request.path.endsWith(pathEnd));
	const login = (username: string) => {
		session.close();
		session = createSchemeSession(baw, { url: simulator.url, username, password: PASSWORD });
		connection = sessionConnection(session);
	};

	before(async () => {
		simulator = await startBawSimulator({
			users: { admin: PASSWORD, 'jane.doe': PASSWORD, viewer: PASSWORD },
			teamMembers: { Employees: ['admin', 'jane.doe'], 'Hiring Managers': ['jane.doe'] },
		});
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		simulator.requests.length = 0;
		session = createSchemeSession(baw, { url: simulator.url, username: 'admin', password: PASSWORD });
		connection = sessionConnection(session);
	});
	afterEach(() => session.close());
	after(() => simulator.close());

	it('lists the processes I can start, starts one by its stable key with typed input variables, and reads the instance with its task', async () => {
		const startable = await json('process', 'getMany', {});
		expect(startable.map((process) => `${String(process.processAppAcronym)}:${String(process.display)}`)).to.have.members([VACATION, HIRING]);
		const [started] = await json('process', 'start', { process: VACATION, inputs: { requester: 'ada', days: '3', startDate: '2026-05-01T08:00:00Z', reason: '' } });
		expect(started).to.include({ name: `Vacation request:${String(started.piid)}`, state: 'running', model: 'Vacation request', container: 'VR' });
		const [start] = sent('POST', '/bpm/processes');
		expect(new URL(start.url, simulator.origin).searchParams.get('model')).to.equal('Vacation request');
		expect(JSON.parse(start.body)).to.deep.equal({
			input: [
				{ name: 'requester', data: 'ada' },
				{ name: 'days', data: 3 },
				{ name: 'startDate', data: '2026-05-01T08:00:00.000Z' },
			],
		});
		expect(simulator.operations.instancesStarted).to.equal(1);
		const [instance] = await json('process', 'getInstance', { instanceId: String(started.piid) });
		expect(instance).to.deep.include({ piid: started.piid, executionState: 'Active', processAppAcronym: 'VR', variables: { requester: 'ada', days: 3, startDate: '2026-05-01T08:00:00.000Z' } });
		expect((instance.tasks as Array<Record<string, unknown>>).map((task) => task.displayName)).to.deep.equal(['Submit request']);
	});

	it('refuses an unknown process, an unknown input variable or a value of the wrong type by name, before starting anything', async () => {
		expect(await failure('process', 'start', { process: 'VR:Vacation requests' })).to.include({ kind: 'input', field: 'process', message: 'There is no process "Vacation requests" that you can start in process app VR (it offers "Vacation request")' });
		expect(await failure('process', 'start', { process: 'Vacation request' })).to.include({ kind: 'input', field: 'process' });
		expect(await failure('process', 'start', { process: VACATION, inputs: { nights: 2 } })).to.include({ kind: 'input', field: 'inputs.nights' });
		expect(await failure('process', 'start', { process: VACATION, inputs: { days: 'three' } })).to.include({ kind: 'input', field: 'inputs.days', message: 'inputs.days must be a number, not "three"' });
		expect(await failure('process', 'start', { process: VACATION, inputs: { days: 1.5 } })).to.include({ field: 'inputs.days' });
		expect(await failure('process', 'start', { process: HIRING, inputs: { skills: 'java' } })).to.include({ field: 'inputs.skills' });
		expect(await failure('process', 'start', { process: HIRING, inputs: { hiringManager: '[1]' } })).to.include({ field: 'inputs.hiringManager' });
		expect(sent('POST', '/bpm/processes')).to.have.length(0);
		expect(simulator.operations.instancesStarted).to.equal(0);
		const [hiring] = await json('process', 'start', { process: HIRING, inputs: { skills: '["java","sql"]', hiringManager: { name: 'Jane' }, salaryBudget: '1234.5', headcount: 2 } });
		expect(hiring.container).to.equal('HSS');
	});

	it('builds the start form from bpddata of the snapshot the key resolves to, learnt once per session, and the complete form from the task', async () => {
		const start = findOperation(bawCatalogue, 'process', 'start')!;
		const fields = await formFields(connection, bawCatalogue, start, 'inputs', HIRING);
		expect(fields.ok && fields.value).to.deep.equal([
			{ id: 'position', displayName: 'position', type: 'string', required: false, description: 'Job title' },
			{ id: 'headcount', displayName: 'headcount', type: 'number', required: false, description: 'Integer' },
			{ id: 'salaryBudget', displayName: 'salaryBudget', type: 'number', required: false, description: 'Decimal' },
			{ id: 'skills', displayName: 'skills', type: 'list', required: false, description: 'List of String' },
			{ id: 'hiringManager', displayName: 'hiringManager', type: 'object', required: false, description: 'Person' },
		]);
		const bpddata = sent('GET', `/bpddata/${BPD_HIRING.bpdId}`);
		expect(new URL(bpddata[0].url, simulator.origin).searchParams.get('snapshotId')).to.equal(BPD_HIRING.app.snapshots[0].id);
		await json('process', 'start', { process: HIRING, inputs: { position: 'Analyst' } });
		expect(sent('GET', '/exposed/process')).to.have.length(1);
		expect(sent('GET', '/bpddata/' + BPD_HIRING.bpdId)).to.have.length(1);
		const complete = findOperation(bawCatalogue, 'task', 'complete')!;
		const outputs = await formFields(connection, bawCatalogue, complete, 'outputs', '501');
		expect(outputs.ok && outputs.value.map((field) => [field.id, field.type])).to.deep.equal([
			['approved', 'boolean'],
			['comment', 'string'],
		]);
		const unknown = await formFields(connection, bawCatalogue, start, 'inputs', 'ZZ:Nothing');
		expect(!unknown.ok && unknown.error).to.include({ kind: 'input', field: 'process' });
	});

	it('never starts a process twice when the answer is lost: the error says the instance may exist and how to look for it', async () => {
		simulator.dropAfterProcessing('start');
		const error = await failure('process', 'start', { process: VACATION, inputs: { days: 2 } }, { options: { maxAttempts: 3, retryDelayMs: 1 } });
		expect(error).to.include({ mayHaveTakenEffect: true });
		expect(error.message).to.match(/An instance of Vacation request may have been started: look for it \(Process → Search Instances, process app VR, modified after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/);
		expect(sent('POST', '/bpm/processes')).to.have.length(1);
		expect(simulator.operations.instancesStarted).to.equal(1);
		const after = /modified after (\S+)\)/.exec(error.message)![1];
		const found = await json('process', 'searchInstances', { processApp: 'VR', modifiedAfter: after });
		expect(found).to.have.length(1);
	});

	it('releases, claims and completes a task with its output variables; a lost completion is read back as done, not sent again', async () => {
		const [started] = await json('process', 'start', { process: VACATION, inputs: { days: 1 } });
		const [task] = await json('task', 'getMany', { api: 'bpm', states: 'any', instanceId: String(started.piid) });
		const taskId = String(task.tkiid);
		expect(task).to.include({ state: 'claimed', owner: 'admin' });
		expect(await json('task', 'release', { taskId })).to.deep.equal([{ taskId, released: true }]);
		const [claimed] = await json('task', 'claim', { taskId });
		expect(claimed).to.include({ tkiid: taskId, state: 'claimed', owner: 'admin' });
		simulator.dropAfterProcessing('complete');
		const result = await value('task', 'complete', { values: { taskId, outputs: { approved: 'true', comment: 'enjoy' } } });
		expect(result.confirmedByReadBack).to.equal(true);
		expect(result.items[0].json).to.deep.equal({ taskId, completed: true, state: 'completed', confirmedByReadBack: true });
		expect(sent('POST', `/user-tasks/${taskId}/complete`)).to.have.length(1);
		expect(JSON.parse(sent('POST', `/user-tasks/${taskId}/complete`)[0].body)).to.deep.equal({
			output: [
				{ name: 'approved', data: true },
				{ name: 'comment', data: 'enjoy' },
			],
		});
		expect(simulator.operations.tasksCompleted).to.equal(1);
		const [instance] = await json('process', 'getInstance', { instanceId: String(started.piid) });
		expect(instance).to.deep.include({ executionState: 'Completed', variables: { days: 1, approved: true, comment: 'enjoy' } });
	});

	it('sends a completion once more when the read-back shows the first one never arrived, and never a third time', async () => {
		simulator.dropBeforeProcessing('complete');
		expect(await json('task', 'complete', { taskId: '501', outputs: { approved: false } })).to.deep.equal([{ taskId: '501', completed: true, state: 'completed' }]);
		expect(sent('POST', '/user-tasks/501/complete')).to.have.length(2);
		expect(simulator.operations.tasksCompleted).to.equal(1);
		const [started] = await json('process', 'start', { process: VACATION });
		const [task] = await json('task', 'getMany', { api: 'bpm', instanceId: String(started.piid) });
		simulator.dropBeforeProcessing('complete');
		simulator.dropBeforeProcessing('complete');
		const error = await failure('task', 'complete', { taskId: String(task.tkiid) });
		expect(error).to.include({ mayHaveTakenEffect: true });
		expect(error.message).to.match(/not sent a third time/);
		expect(sent('POST', `/user-tasks/${String(task.tkiid)}/complete`)).to.have.length(2);
	});

	it('says who got there first when a claim or a completion is refused (409), and when I may not take the task (403)', async () => {
		const claimedByJane = await failure('task', 'claim', { taskId: '502' });
		expect(claimedByJane).to.include({ kind: 'http', status: 409, field: 'taskId' });
		expect(claimedByJane.message).to.equal(
			"Task 502 cannot be claimed: someone else claimed it first, or it is already completed (409). IBM BAW says: CWTBG0017E: The task '502' is already claimed by user 'jane.doe'.",
		);
		const completedByJohn = await failure('task', 'complete', { taskId: '503' });
		expect(completedByJohn).to.include({ status: 409, field: 'taskId' });
		expect(completedByJohn.message).to.match(/^Task 503 cannot be completed: it is already completed.*by user 'john\.smith'/);
		const [ready] = simulator.bulkCreateTasks(1, BPD_HIRING.name);
		const notMine = await failure('task', 'claim', { taskId: ready });
		expect(notMine).to.include({ status: 403, field: 'taskId' });
		expect(notMine.message).to.match(/^You may not claim task \d+: you are not one of its potential owners \(403\)/);
		expect(await failure('task', 'get', { taskId: '9999' })).to.include({ status: 404, field: 'taskId', message: "Task 9999 does not exist (404). IBM BAW says: CWTBG0016E: The task '9999' was not found." });
		expect(await failure('task', 'release', { taskId: '503' })).to.include({ status: 409, field: 'taskId' });
		expect(simulator.operations).to.include({ tasksClaimed: 0, tasksCompleted: 0 });
	});

	it('claims again harmlessly when a claim answer is lost (an idempotent write follows the retry policy)', async () => {
		simulator.dropAfterProcessing('claim');
		const [claimed] = await json('task', 'claim', { taskId: '501' }, { options: { maxAttempts: 2, retryDelayMs: 1 } });
		expect(claimed).to.include({ state: 'claimed', owner: 'admin' });
		expect(simulator.operations.tasksClaimed).to.equal(2);
	});

	it('searches my tasks (WLE): offset in the query, size in the body, Return All past the 500 count limit, Limit in one page', async () => {
		simulator.bulkCreateTasks(520);
		const all = await value('task', 'getMany', { values: { scope: 'available' }, paging: { returnAll: true, pageSize: 100 } });
		expect(all.items).to.have.length(521);
		expect(all.pages).to.equal(6);
		const ids = all.items.map((item) => String(item.json['TASK.TKIID']));
		expect(new Set(ids).size).to.equal(521);
		expect(all.items[0].json).to.include({ 'TASK.TKIID': '501', STATE: 'State_ready', TAD_DISPLAY_NAME: 'Submit request' });
		const searches = sent('PUT', '/rest/bpm/wle/v1/tasks');
		expect(searches.map((request) => new URL(request.url, simulator.origin).searchParams.get('offset'))).to.deep.equal(['0', '100', '200', '300', '400', '500']);
		expect(searches.every((request) => !new URL(request.url, simulator.origin).searchParams.has('size'))).to.equal(true);
		expect(JSON.parse(searches[0].body)).to.include({ interaction: 'available', size: 100, organization: 'byTask' }).and.not.have.property('offset');
		const limited = await value('task', 'getMany', { values: { scope: 'both' }, paging: { limit: 7 } });
		expect(limited.items.map((item) => String(item.json['TASK.TKIID']))).to.deep.equal(ids.slice(0, 7));
		expect(limited.pages).to.equal(1);
		expect(JSON.parse(sent('PUT', '/rest/bpm/wle/v1/tasks').at(-1)!.body).size).to.equal(7);
		login('jane.doe');
		expect((await json('task', 'getMany', { scope: 'mine' })).map((task) => task['TASK.TKIID'])).to.deep.equal(['502']);
	});

	it('lists /bpm user tasks by state over next-URL pages, and names the process, app or instance filter that matched nothing', async () => {
		simulator.bulkCreateTasks(120);
		const all = await value('task', 'getMany', { values: { api: 'bpm', states: 'ready' }, paging: { returnAll: true, pageSize: 50 } });
		expect(all.items).to.have.length(121);
		expect(all.pages).to.equal(3);
		expect(all.items.every((item) => item.json.state === 'ready')).to.equal(true);
		expect((await value('task', 'getMany', { values: { api: 'bpm' }, paging: { limit: 60, pageSize: 50 } })).pages).to.equal(2);
		expect((await json('task', 'getMany', { api: 'bpm', states: 'any', process: HIRING })).map((task) => task.tkiid)).to.deep.equal(['502']);
		const typo = await failure('task', 'getMany', { api: 'bpm', process: 'VR:Vacation requests' });
		expect(typo).to.include({ kind: 'input', field: 'process', message: 'Nothing matched, and there is no process "Vacation requests" that you can start in process app VR (it offers "Vacation request")' });
		expect(await failure('task', 'getMany', { process: 'ZZ:Anything' })).to.include({ field: 'process', message: 'No process app has the acronym "ZZ" (there are HSS, VR): nothing can match it' });
		expect(await failure('task', 'getMany', { api: 'bpm', instanceId: '999' })).to.include({ field: 'instanceId', message: 'No process instance has the ID 999: nothing can match it' });
		expect(await json('task', 'getMany', { api: 'bpm', states: 'claimed', instanceId: '301' })).to.deep.equal([]);
	});

	it('searches process instances by app, status and time, over offset/limit pages, and names an unknown process app', async () => {
		for (let i = 0; i < 4; i++) await json('process', 'start', { process: VACATION, inputs: { days: i } });
		const active = await value('process', 'searchInstances', { values: { processApp: 'VR', status: 'Active' }, paging: { returnAll: true, pageSize: 2 } });
		expect(active.items.map((item) => item.json.executionState)).to.deep.equal(['Active', 'Active', 'Active', 'Active', 'Active']);
		expect(active.pages).to.equal(3);
		expect(sent('POST', '/processes/search').map((request) => new URL(request.url, simulator.origin).searchParams.get('offset'))).to.deep.equal(['0', '2', '4']);
		expect((await json('process', 'searchInstances', { status: 'Completed' })).map((item) => item.piid)).to.deep.equal(['303']);
		expect(await json('process', 'searchInstances', { processApp: 'VR', modifiedBefore: '2020-01-01T00:00:00Z' })).to.deep.equal([]);
		expect(await failure('process', 'searchInstances', { processApp: 'ZZ' })).to.include({ field: 'processApp', message: 'No process app has the acronym "ZZ" (there are HSS, VR): nothing can match it' });
		expect(await failure('process', 'searchInstances', { modifiedAfter: 'yesterday' })).to.include({ kind: 'input', field: 'modifiedAfter' });
	});

	it('fills dropdowns: startable processes by stable key (filtered), process apps, my tasks over pages, running instances filtered on the server', async () => {
		const processes = await listOptions(connection, bawCatalogue, 'processes', { filter: 'vaca' });
		expect(processes.ok && processes.value.options).to.deep.equal([{ name: 'Vacation request (VR · tip)', value: VACATION, description: 'Vacation Requests' }]);
		const apps = await listOptions(connection, bawCatalogue, 'processApps', {});
		expect(apps.ok && apps.value.options.map((option) => option.value)).to.deep.equal(['HSS', 'VR']);
		simulator.bulkCreateTasks(70);
		const first = await listOptions(connection, bawCatalogue, 'tasks', {});
		expect(first.ok && first.value.options).to.have.length(50);
		expect(first.ok && first.value.options[0]).to.deep.equal({ name: 'Submit request · Vacation request:301', value: '501', description: 'Received, Employees, due 2026-01-12T09:30:00.000Z' });
		expect(first.ok && first.value.next).to.equal('1');
		const second = await listOptions(connection, bawCatalogue, 'tasks', { page: '1' });
		expect(second.ok && second.value.options).to.have.length(21);
		expect(second.ok && second.value.next).to.equal(undefined);
		const instances = await listOptions(connection, bawCatalogue, 'instances', { filter: 'HR' });
		expect(instances.ok && instances.value.options.map((option) => option.value)).to.deep.equal(['302']);
	});

	it('keeps the password out of every error, and logs in once more when the csrf token is gone', async () => {
		await json('process', 'getMany', {});
		simulator.expireSessions();
		await json('task', 'get', { taskId: '501' });
		expect(simulator.stats.logins).to.equal(2);
		const wrong = createSchemeSession(baw, { url: simulator.url, username: 'admin', password: `${PASSWORD}-wrong` });
		const outcome = await runOperation(sessionConnection(wrong), bawCatalogue, findOperation(bawCatalogue, 'task', 'get')!, { values: { taskId: '501' } });
		wrong.close();
		expect(!outcome.ok && outcome.error.kind).to.equal('login');
		expect(JSON.stringify(outcome)).not.to.include(PASSWORD);
	});
});

describe('IBM BAW catalogue readers', () => {
	it('names each operation once under a known resource, points references at lists and forms at readers, and classes every write', () => {
		const keys = bawCatalogue.operations.map((operation) => `${operation.resource}.${operation.operation}`);
		expect(new Set(keys).size).to.equal(keys.length);
		for (const operation of bawCatalogue.operations) {
			expect(bawCatalogue.resources.map((resource) => resource.value), operation.resource).to.include(operation.resource);
			expect(operation.description.length, operation.operation).to.be.greaterThan(30);
			for (const parameter of operation.parameters) {
				if (parameter.list) expect(bawCatalogue.lists, `${operation.operation}.${parameter.name}`).to.have.property(parameter.list);
				if (parameter.form) expect(bawCatalogue.forms, parameter.name).to.have.property(parameter.form.kind);
			}
		}
		const writes = bawCatalogue.operations.filter((operation) => operation.replay !== 'read').map((operation) => `${operation.resource}.${operation.operation}:${operation.replay}`);
		expect(writes).to.have.members(['process.start:nonIdempotent', 'task.claim:idempotent', 'task.release:idempotent', 'task.complete:nonIdempotent']);
		expect(findOperation(bawCatalogue, 'process', 'start')!.ambiguousHint).to.be.a('function');
		expect(findOperation(bawCatalogue, 'task', 'complete')!.readBack).to.be.a('function');
	});

	it('keys a process by acronym and name, percent-encoding what an id may not hold', () => {
		const key = processKey('HR', 'Hire / Fire? #1 100%');
		expect(key).to.equal('HR:Hire %2F Fire%3F %231 100%25');
		expect(key).not.to.match(/[/\\?#]/);
		expect(parseProcessKey(key, 'process')).to.deep.equal({ acronym: 'HR', name: 'Hire / Fire? #1 100%' });
	});

	it('reads bpddata inputs in each plausible form', () => {
		expect(bpdInputs({ inputs: { a: { type: 'Integer', isList: false }, b: { type: 'Person', isList: true } } })).to.deep.equal([
			{ name: 'a', type: 'Integer', isList: false },
			{ name: 'b', type: 'Person', isList: true },
		]);
		expect(bpdInputs({ InputParameters: [{ name: 'a', typeName: 'String' }, 'b'] })).to.deep.equal([
			{ name: 'a', type: 'String', isList: false },
			{ name: 'b', isList: false },
		]);
		expect(bpdInputs({ input: { item: [{ value: 'a', occurrences: 1 }] } })).to.deep.equal([{ name: 'a', isList: false }]);
		expect(bpdInputs({ outputs: {} })).to.deep.equal([]);
	});

	it('sends a variable of unknown type as given, and leaves empty values out', () => {
		expect(dataObjects([{ name: 'x', isList: false }, { name: 'y', type: 'String', isList: false }], { x: { deep: 1 }, y: '' }, 'inputs', 'Process P')).to.deep.equal([{ name: 'x', data: { deep: 1 } }]);
	});
});
