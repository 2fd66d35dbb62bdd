import { expect } from 'chai';
import { operationCalls } from '../support/operation-calls';
import {
	bonita,
	bonitaCatalogue,
	createSchemeSession,
	fileFromBuffer,
	findOperation,
	formFields,
	listOptions,
	runOperation,
	sessionConnection,
	type Connection,
	type Session,
} from '../../core';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_PURCHASE, PROCESS_REGISTRATION, PROCESS_SALARY, PROCESS_SHOWCASE } from '../simulators/bonita/processes';

const PASSWORD = 'bpm-op-secret';

describe('Bonita operations on the simulator (runOperation)', function () {
	let simulator: BonitaSimulator;
	let session: Session;
	let connection: Connection;

	const { run, value, json } = operationCalls(bonitaCatalogue, () => connection);

	before(async () => {
		simulator = await startBonitaSimulator({ users: { 'walter.bates': PASSWORD, 'helen.kelly': PASSWORD } });
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		session = createSchemeSession(bonita, { url: simulator.url, username: 'walter.bates', password: PASSWORD });
		connection = sessionConnection(session);
	});
	afterEach(() => {
		simulator.configure({ caseQuota: null });
		session.close();
	});
	after(() => simulator.close());

	it('starts a case, finds its task available to me, assigns and executes it, then reads the case as archived: one login, the user asked once', async () => {
		const [started] = await json('case', 'start', { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Ada' } });
		expect(started).to.have.property('caseId').that.is.a('string');
		const tasks = await json('task', 'getMany', { scope: 'availableToMe', caseId: started.caseId });
		expect(tasks).to.have.length(1);
		const taskId = String(tasks[0].id);
		expect(await json('task', 'assign', { taskId, assignee: 'me' })).to.deep.equal([{ taskId, assigned_id: '4', assigned: true }]);
		expect(await json('task', 'execute', { taskId, contractInputs: {} })).to.deep.equal([{ taskId, executed: true }]);
		const [archived] = await json('case', 'get', { caseId: started.caseId });
		expect(archived).to.include({ sourceObjectId: started.caseId, archived: true });
		expect(simulator.stats.logins).to.equal(1);
		expect(simulator.requests.filter((request) => request.path.endsWith('/API/system/session/unusedId'))).to.have.length(1);
	});

	it('answers 201 with a string case id too (the published API), as the same result', async () => {
		simulator.configure({ instantiationStyle: 'openapi' });
		const [started] = await json('case', 'start', { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Bo' } });
		expect(started.caseId).to.match(/^\d+$/);
	});

	it('fills a contract of every input type, the file uploaded first, and refuses a missing input by name before any call', async () => {
		const attachment = fileFromBuffer(Buffer.from('%PDF-1.7 showcase'), 'quote.pdf', 'application/pdf');
		const contractInputs = {
			title: 'Chairs',
			urgent: true,
			quantity: 12,
			unitPrice: '19.90',
			reference: '9007199254740993',
			dueDate: '2026-12-24T12:00:00Z',
			startDay: '2026-12-01',
			meetingAt: '2026-12-02T09:30:00',
			deadline: '2026-12-20T18:00:00+01:00',
			attachment: 'quote',
			tags: ['office', 'furniture'],
			address: { street: '1 rue X', city: 'Grenoble', zip: '38000' },
			lines: [{ product: 'chair', qty: 12 }],
		};
		const files = async (reference: unknown) => {
			expect(reference).to.equal('quote');
			return attachment;
		};
		const [started] = await json('case', 'start', { processId: PROCESS_SHOWCASE, contractInputs }, { files });
		expect(started.caseId).to.be.a('string');
		const fields = await formFields(connection, bonitaCatalogue, findOperation(bonitaCatalogue, 'case', 'start')!, 'contractInputs', PROCESS_SHOWCASE);
		expect(fields.ok && fields.value.filter((field) => field.required).map((field) => field.id)).to.deep.equal(['title', 'quantity', 'address']);
		simulator.resetStats();
		const refused = await run('case', 'start', { values: { processId: PROCESS_SHOWCASE, contractInputs: { title: 'x' } } });
		expect(!refused.ok && refused.error).to.include({ kind: 'input', field: 'contractInputs.quantity' });
		expect(simulator.operations.instantiations).to.equal(0);
	});

	it('refuses a value of the wrong type by name before any call, and shows Bonita\'s own explanations when the server refuses the inputs', async () => {
		const taskId = await readyTask(PROCESS_PURCHASE, 'Submit');
		const outcome = await run('task', 'execute', { values: { taskId, contractInputs: { amount: 'lots' } } });
		expect(!outcome.ok && outcome.error).to.include({ kind: 'input', field: 'contractInputs.amount' });
		const [started] = await json('case', 'start', { processId: PROCESS_SHOWCASE, contractInputs: { title: 'T', quantity: 1, address: { city: 'X' } } });
		const verify = (await json('task', 'getMany', { scope: 'availableToMe', caseId: started.caseId }))[0];
		// The contract says verified is required; the engine's answer is read when it is sent empty through a raw form.
		const refused = await runOperation(connection, bonitaCatalogue, { ...findOperation(bonitaCatalogue, 'task', 'execute')!, prepare: undefined }, { values: { taskId: String(verify.id), contractInputs: {} } });
		expect(!refused.ok && refused.error).to.include({ status: 400 });
		expect(!refused.ok && refused.error.message).to.match(/^Bonita refused the contract inputs \(400\): .*verified/);
	});

	it('executes exactly once when the answer is lost: the task is read back as executed, not sent again', async () => {
		const taskId = await readyTask(PROCESS_REGISTRATION);
		simulator.dropAfterProcessing('execution');
		const result = await value('task', 'execute', { values: { taskId } });
		expect(result.confirmedByReadBack).to.equal(true);
		expect(result.items[0].json).to.deep.equal({ taskId, executed: true, confirmedByReadBack: true });
		expect(simulator.operations.executions).to.equal(1);
	});

	it('never starts a case twice when the answer is lost: the error says the case may exist and how to check', async () => {
		simulator.dropAfterProcessing('instantiation');
		const outcome = await run('case', 'start', { values: { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Cy' } }, options: { maxAttempts: 3, retryDelayMs: 1 } });
		expect(outcome.ok).to.equal(false);
		expect(!outcome.ok && outcome.error).to.include({ mayHaveTakenEffect: true });
		expect(!outcome.ok && outcome.error.message).to.match(/may have been started: look for it \(Case → Get Many/);
		expect(simulator.operations.instantiations).to.equal(1);
	});

	it('fails at once on the Community case quota (429 with a Retry-After weeks away, in each format), having started nothing', async () => {
		for (const retryAfter of ['java-date', 'http-date', 'seconds'] as const) {
			simulator.configure({ caseQuota: { limit: 0, retryAfter } });
			simulator.resetStats();
			const sent = () => simulator.requests.filter((request) => request.path.endsWith('/instantiation')).length;
			const before = sent();
			const started = Date.now();
			const refused = await run('case', 'start', { values: { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Di' } }, options: { maxAttempts: 3, retryDelayMs: 1 } });
			expect(!refused.ok && refused.error, retryAfter).to.include({ status: 429 });
			expect(!refused.ok && refused.error.message, retryAfter).to.match(/^Bonita's case creation limit is reached \(429; Community edition: 150 cases in 30 days\): the next case can start after /);
			expect(sent() - before, retryAfter).to.equal(1);
			expect(Date.now() - started).to.be.lessThan(2000);
		}
		expect(simulator.operations.instantiations).to.equal(0);
	});

	it('refuses to take a task someone else holds unless told to take it over', async () => {
		const taskId = await readyTask(PROCESS_REGISTRATION);
		await value('task', 'assign', { values: { taskId, assignee: 'user', userId: '3' } });
		const refused = await run('task', 'assign', { values: { taskId, assignee: 'me' } });
		expect(!refused.ok && refused.error).to.include({ kind: 'input', field: 'takeOver' });
		expect(!refused.ok && refused.error.message).to.match(/assigned to user 3/);
		expect(await json('task', 'assign', { taskId, assignee: 'me', takeOver: true })).to.deep.equal([{ taskId, assigned_id: '4', assigned: true }]);
		expect(await json('task', 'unassign', { taskId })).to.deep.equal([{ taskId, assigned_id: '', unassigned: true }]);
	});

	it('lists only the processes I can start, and pages Return All in order while Limit stops early', async () => {
		const startable = (await json('process', 'getMany', { startableByMe: true }, { paging: { returnAll: true } })).map((process) => process.id);
		expect(startable).to.include(PROCESS_REGISTRATION).and.not.include(PROCESS_SALARY);
		simulator.bulkCreateTasks(230);
		const all = await value('task', 'getMany', { values: { scope: 'availableToMe' }, paging: { returnAll: true, pageSize: 100 } });
		expect(all.items.length).to.be.greaterThan(230);
		expect(all.pages).to.equal(Math.ceil(all.items.length / 100));
		const ids = all.items.map((item) => String(item.json.id));
		expect(new Set(ids).size).to.equal(ids.length);
		const limited = await value('task', 'getMany', { values: { scope: 'availableToMe' }, paging: { limit: 7 } });
		expect(limited.items.map((item) => String(item.json.id))).to.deep.equal(ids.slice(0, 7));
		expect(limited.pages).to.equal(1);
	});

	it('simplifies by default and returns the raw object when asked', async () => {
		const [simple] = await json('process', 'get', { processId: PROCESS_REGISTRATION });
		const [raw] = await json('process', 'get', { processId: PROCESS_REGISTRATION }, { simplify: false });
		expect(Object.keys(simple).length).to.be.lessThan(Object.keys(raw).length);
		expect(simple).to.include({ id: PROCESS_REGISTRATION, name: 'Registration' });
	});

	it('uploads a document to a case, lists it and downloads the same bytes', async () => {
		const [started] = await json('case', 'start', { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Ed' } });
		const bytes = Buffer.from('invoice 42\n');
		const files = async () => fileFromBuffer(bytes, 'invoice.txt', 'text/plain');
		const [document] = await json('document', 'upload', { caseId: started.caseId, documentName: 'invoice', file: 'data' }, { files });
		expect(document).to.include({ caseId: started.caseId, name: 'invoice', fileName: 'invoice.txt' });
		const listed = await json('document', 'getMany', { caseId: started.caseId });
		expect(listed.map((entry) => entry.id)).to.deep.equal([document.id]);
		const download = await value('document', 'download', { values: { documentId: String(document.id) } });
		expect(download.items[0].file?.data.equals(bytes)).to.equal(true);
		expect(download.items[0].json).to.include({ fileName: 'invoice.txt', size: bytes.length });
	});

	it('queries business data over several pages, reads one object, and sends a message', async () => {
		const invoices = await value('businessData', 'query', { values: { className: 'com.company.model.Invoice', queryName: 'find' }, paging: { returnAll: true, pageSize: 100 } });
		expect(invoices.items.length).to.be.greaterThan(200);
		expect(invoices.pages).to.be.greaterThan(2);
		const id = String(invoices.items[0].json.persistenceId_string);
		const [one] = await json('businessData', 'get', { className: 'com.company.model.Invoice', persistenceId: id });
		expect(one.persistenceId_string).to.equal(id);
		expect(await json('message', 'send', { messageName: 'orderPaid', targetProcess: 'Registration', correlations: '{"orderId":"42"}' })).to.deep.equal([{ sent: true, messageName: 'orderPaid', targetProcess: 'Registration' }]);
		expect(simulator.messages.at(-1)).to.deep.include({ messageName: 'orderPaid', correlations: { orderId: { value: '42' } } });
	});

	it('logs in exactly once more when the session expires midway, and keeps the password out of every error', async () => {
		await json('user', 'getCurrent', {});
		simulator.expireSessions();
		const [me] = await json('user', 'getCurrent', {});
		expect(me).to.include({ id: '4', userName: 'walter.bates' });
		expect(simulator.stats.logins).to.equal(2);
		const wrong = createSchemeSession(bonita, { url: simulator.url, username: 'walter.bates', password: `${PASSWORD}-wrong` });
		const outcome = await runOperation(sessionConnection(wrong), bonitaCatalogue, findOperation(bonitaCatalogue, 'user', 'getCurrent')!, { values: {} });
		wrong.close();
		expect(!outcome.ok && outcome.error.kind).to.equal('login');
		expect(JSON.stringify(outcome)).not.to.include(PASSWORD);
	});

	it('fills dropdowns from the server, filtered and paged', async () => {
		const processes = await listOptions(connection, bonitaCatalogue, 'processes', { filter: 'Regis' });
		expect(processes.ok && processes.value.options).to.deep.equal([{ name: 'Registration (1.0)', value: PROCESS_REGISTRATION }]);
		simulator.bulkCreateTasks(120);
		const first = await listOptions(connection, bonitaCatalogue, 'tasks', {});
		expect(first.ok && first.value.options).to.have.length(50);
		expect(first.ok && first.value.next).to.equal('1');
		const second = await listOptions(connection, bonitaCatalogue, 'tasks', { page: '1' });
		expect(second.ok && second.value.options[0].value).not.to.equal(first.ok && first.value.options[0].value);
		const users = await listOptions(connection, bonitaCatalogue, 'users', { filter: 'wal' });
		expect(users.ok && users.value.options.map((option) => option.value)).to.deep.equal(['4']);
	});

	async function readyTask(processId: string, namePrefix = ''): Promise<string> {
		const contractInputs = processId === PROCESS_PURCHASE ? { item: 'desk' } : { name: `case ${Date.now()}` };
		const [started] = await json('case', 'start', { processId, contractInputs });
		const tasks = await json('task', 'getMany', { scope: 'availableToMe', caseId: started.caseId });
		const task = tasks.find((entry) => String(entry.name).startsWith(namePrefix));
		return String(task!.id);
	}
});
