import { expect } from 'chai';
import {
	baw,
	bawCatalogue,
	bonita,
	bonitaCatalogue,
	claimEvents,
	createSchemeSession,
	pollEvents,
	sessionConnection,
	simplicite,
	simpliciteCatalogue,
	type Catalogue,
	type Connection,
	type EventCursor,
	type PollInput,
	type PollResult,
	type Session,
	type TriggerEvent,
} from '../../core';
import { startBawSimulator, type BawSimulator } from '../simulators/baw';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { setServerClockSkew } from '../simulators/bonita/bonita-date';
import { PROCESS_EXPENSE, PROCESS_REGISTRATION } from '../simulators/bonita/processes';
import { startSimpliciteSimulator, type SimpliciteSimulator } from '../simulators/simplicite';
import { operationCalls } from '../support/operation-calls';

const PASSWORD = 'trigger-secret';

function triggerOf(catalogue: Catalogue, name: string): TriggerEvent {
	const found = catalogue.triggers?.find((event) => event.list.operation === name);
	if (!found) throw new Error(`${catalogue.displayName} has no trigger ${name}`);
	return found;
}

/** A trigger as a runtime keeps it: the cursor carried from poll to poll, every emitted event id counted. */
function watcher(catalogue: Catalogue, event: string, connection: () => Connection, base: Partial<PollInput> = {}) {
	let cursor: EventCursor | undefined;
	const emitted: string[] = [];
	const poll = async (extra: Partial<PollInput> = {}): Promise<PollResult> => {
		const outcome = await pollEvents(connection(), catalogue, triggerOf(catalogue, event), { values: {}, cursor, ...base, ...extra });
		if (!outcome.ok) throw new Error(outcome.error.message);
		if (extra.mode !== 'sample') cursor = outcome.value.cursor;
		emitted.push(...outcome.value.events.map((item) => item.eventId));
		return outcome.value;
	};
	return { poll, emitted, cursor: () => cursor };
}

function duplicates(ids: string[]): string[] {
	return ids.filter((id, index) => ids.indexOf(id) !== index);
}

describe('Triggers on the Bonita simulator (pollEvents: each event exactly once)', function () {
	let simulator: BonitaSimulator;
	let session: Session;
	let connection: Connection;
	const { json } = operationCalls(bonitaCatalogue, () => connection);
	const humanTaskCalls = () => simulator.requests.filter((request) => request.path.endsWith('/API/bpm/humanTask')).length;

	before(async () => {
		simulator = await startBonitaSimulator({ users: { 'walter.bates': PASSWORD, 'helen.kelly': PASSWORD } });
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		simulator.requests.length = 0;
		session = createSchemeSession(bonita, { url: simulator.url, username: 'walter.bates', password: PASSWORD });
		connection = sessionConnection(session);
	});
	afterEach(() => {
		setServerClockSkew(0);
		simulator.configure({ pageDelayMs: 0 });
		session.close();
	});
	after(() => simulator.close());

	it('starts from the newest task there (no backlog), then emits each new task once, oldest first; an empty poll is one request and no login', async () => {
		simulator.bulkCreateTasks(30, PROCESS_REGISTRATION);
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection);
		const first = await trigger.poll();
		expect(first.events).to.deep.equal([]);
		expect(first.pages).to.equal(1);
		const created = simulator.bulkCreateTasks(7, PROCESS_REGISTRATION);
		const second = await trigger.poll();
		expect(second.events.map((item) => item.id)).to.deep.equal(created);
		expect(second.events[0].eventId).to.match(/^bonita:newTask:\d+:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
		expect(second.events[0].object).to.include({ id: created[0], state: 'ready' });
		const calls = humanTaskCalls();
		const logins = simulator.stats.logins;
		const empty = await trigger.poll();
		expect(empty.events).to.deep.equal([]);
		expect(humanTaskCalls() - calls, 'requests for an empty poll').to.equal(1);
		expect(simulator.stats.logins).to.equal(logins);
		expect(logins).to.equal(1);
	});

	it('Include Existing emits the whole backlog over many pages, then nothing again', async () => {
		const backlog = simulator.bulkCreateTasks(120, PROCESS_REGISTRATION);
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection, { includeExisting: true, pageSize: 25 });
		const first = await trigger.poll();
		expect(first.pages).to.be.greaterThan(4);
		expect(first.events.map((item) => item.id)).to.include.members(backlog);
		expect(duplicates(trigger.emitted)).to.deep.equal([]);
		expect((await trigger.poll()).events).to.deep.equal([]);
	});

	it('tasks sharing the mark\'s stamp: the ones seen are not emitted again, one arriving later with the same stamp is', async () => {
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection);
		await trigger.poll();
		const ids = simulator.bulkCreateTasks(3, PROCESS_REGISTRATION);
		const shared = '2030-01-01 00:00:00.000';
		const setStamp = (id: string) => simulator.setTaskDate(id, 'reached_state_date', shared);
		ids.forEach(setStamp);
		expect((await trigger.poll()).events.map((item) => item.id)).to.deep.equal(ids);
		const [late] = simulator.bulkCreateTasks(1, PROCESS_REGISTRATION);
		setStamp(late);
		expect((await trigger.poll()).events.map((item) => item.id)).to.deep.equal([late]);
		expect(trigger.cursor()!.done[0].to).to.deep.equal({ stamp: Date.UTC(2030, 0, 1), ids: [...ids, late] });
	});

	it('the server clock an hour behind or ahead of the client changes nothing: only server dates are compared', async () => {
		for (const skew of [-3_600_000, 3_600_000]) {
			setServerClockSkew(skew);
			const trigger = watcher(bonitaCatalogue, 'newTask', () => connection, { now: () => Date.now() - skew * 24 });
			await trigger.poll();
			const created = simulator.bulkCreateTasks(5, PROCESS_REGISTRATION);
			await trigger.poll();
			expect(trigger.emitted.map((id) => id.split(':')[2]), `skew ${skew}`).to.deep.equal(created);
		}
	});

	it('tasks created while a poll pages through the list, and the session expiring between its pages: each task once, one new login', async () => {
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection, { pageSize: 10 });
		await trigger.poll();
		const created = simulator.bulkCreateTasks(45, PROCESS_REGISTRATION);
		simulator.configure({ pageDelayMs: 40 });
		const polling = trigger.poll();
		// Between the first and the second page: the list grows at the top and the session is dropped.
		await new Promise((resolve) => setTimeout(resolve, 60));
		created.push(...simulator.bulkCreateTasks(6, PROCESS_REGISTRATION));
		simulator.expireSessions();
		await polling;
		simulator.configure({ pageDelayMs: 0 });
		await trigger.poll();
		const ids = trigger.emitted.map((id) => id.split(':')[2]);
		expect(duplicates(ids)).to.deep.equal([]);
		expect([...ids].sort()).to.deep.equal([...created].sort());
		expect(simulator.stats.logins).to.equal(2);
	});

	it('a poll past its time budget stops after a page and carries on next time: nothing missed, nothing twice', async () => {
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection, { pageSize: 10, budgetMs: 0 });
		await trigger.poll();
		const created = simulator.bulkCreateTasks(35, PROCESS_REGISTRATION);
		const first = await trigger.poll();
		expect(first).to.include({ complete: false, pages: 1 });
		created.push(...simulator.bulkCreateTasks(4, PROCESS_REGISTRATION));
		let polls = 1;
		while (!(await trigger.poll()).complete) polls++;
		expect(polls).to.be.within(3, 6);
		const ids = trigger.emitted.map((id) => id.split(':')[2]);
		expect(duplicates(ids)).to.deep.equal([]);
		expect([...ids].sort()).to.deep.equal([...created].sort());
		expect(trigger.cursor()!.done).to.have.length(1);
	});

	it('a poll stopped by its signal mid-page fails at once and keeps nothing; the next poll emits each task once', async () => {
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection, { pageSize: 10 });
		await trigger.poll();
		const before = trigger.cursor();
		const created = simulator.bulkCreateTasks(25, PROCESS_REGISTRATION);
		simulator.configure({ pageDelayMs: 2000 });
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const started = Date.now();
		const stopped = await pollEvents(connection, bonitaCatalogue, triggerOf(bonitaCatalogue, 'newTask'), { values: {}, cursor: before, pageSize: 10, signal: controller.signal });
		expect(Date.now() - started).to.be.below(1000);
		expect(stopped.ok === false && stopped.error).to.include({ kind: 'network', code: 'ABORTED' });
		simulator.configure({ pageDelayMs: 0 });
		await trigger.poll();
		const ids = trigger.emitted.map((id) => id.split(':')[2]);
		expect(duplicates(ids)).to.deep.equal([]);
		expect([...ids].sort()).to.deep.equal([...created].sort());
	});

	it('Fetch Test Event: one recent task, the cursor left as it was', async () => {
		const trigger = watcher(bonitaCatalogue, 'newTask', () => connection);
		await trigger.poll();
		const before = JSON.stringify(trigger.cursor());
		const created = simulator.bulkCreateTasks(2, PROCESS_REGISTRATION);
		const sample = await trigger.poll({ mode: 'sample' });
		expect(sample.events).to.have.length(1);
		expect(created, 'the newest tasks (both may share a stamp)').to.include(sample.events[0].id);
		expect(JSON.stringify(trigger.cursor())).to.equal(before);
		expect((await trigger.poll()).events).to.have.length(2);
	});

	it('New Task of one process; Case Started and Case Completed name the case by its own id', async () => {
		const tasks = watcher(bonitaCatalogue, 'newTask', () => connection, { values: { processId: PROCESS_EXPENSE } });
		const started = watcher(bonitaCatalogue, 'caseStarted', () => connection, { values: { processId: PROCESS_REGISTRATION } });
		const completed = watcher(bonitaCatalogue, 'caseCompleted', () => connection);
		await Promise.all([tasks.poll(), started.poll(), completed.poll()]);
		const [registration] = await json('case', 'start', { processId: PROCESS_REGISTRATION, contractInputs: { name: 'Ada' } });
		simulator.bulkCreateTasks(2, PROCESS_EXPENSE);
		expect((await tasks.poll()).events.map((item) => item.object.processId)).to.deep.equal([PROCESS_EXPENSE, PROCESS_EXPENSE]);
		expect((await started.poll()).events.map((item) => item.id)).to.deep.equal([registration.caseId]);
		expect((await completed.poll()).events).to.deep.equal([]);
		const [task] = await json('task', 'getMany', { caseId: registration.caseId });
		await json('task', 'execute', { taskId: task.id, contractInputs: {} });
		const done = await completed.poll();
		expect(done.events.map((item) => item.id)).to.deep.equal([registration.caseId]);
		expect(done.events[0].eventId).to.match(new RegExp(`^bonita:caseCompleted:${registration.caseId}:`));
	});

	it('Task Assigned to Me fires on assignment, again on a new assignment', async () => {
		const trigger = watcher(bonitaCatalogue, 'taskAssignedToMe', () => connection);
		await trigger.poll();
		const [taskId] = simulator.bulkCreateTasks(1, PROCESS_REGISTRATION);
		expect((await trigger.poll()).events).to.deep.equal([]);
		await json('task', 'assign', { taskId, assignee: 'me' });
		expect((await trigger.poll()).events.map((item) => item.id)).to.deep.equal([taskId]);
		await json('task', 'unassign', { taskId });
		await new Promise((resolve) => setTimeout(resolve, 5));
		await json('task', 'assign', { taskId, assignee: 'me' });
		expect((await trigger.poll()).events.map((item) => item.id)).to.deep.equal([taskId]);
	});

	it('claim mode: two users polling one queue each take a task at most once, and every task is taken', async () => {
		const helen = sessionConnection(createSchemeSession(bonita, { url: simulator.url, username: 'helen.kelly', password: PASSWORD }));
		const event = triggerOf(bonitaCatalogue, 'newTask');
		const walterWatch = watcher(bonitaCatalogue, 'newTask', () => connection);
		const helenWatch = watcher(bonitaCatalogue, 'newTask', () => helen);
		await Promise.all([walterWatch.poll(), helenWatch.poll()]);
		const created = simulator.bulkCreateTasks(12, PROCESS_REGISTRATION);
		const [walterPoll, helenPoll] = await Promise.all([walterWatch.poll(), helenWatch.poll()]);
		const [walter, helenClaims] = await Promise.all([claimEvents(connection, bonitaCatalogue, event, walterPoll.events), claimEvents(helen, bonitaCatalogue, event, helenPoll.events)]);
		const taken = [...walter.claimed, ...helenClaims.claimed].map((item) => item.id);
		expect(walter.failed.concat(helenClaims.failed)).to.deep.equal([]);
		expect([...taken].sort()).to.deep.equal([...created].sort());
		expect(walter.takenByOthers.length + helenClaims.takenByOthers.length).to.equal(created.length);
	});

	it('bad input names the field, before any call', async () => {
		const outcome = await pollEvents(connection, bonitaCatalogue, triggerOf(bonitaCatalogue, 'newTask'), { values: { processId: '12/../3' }, cursor: undefined });
		expect(outcome.ok).to.equal(false);
		if (!outcome.ok) expect(outcome.error).to.include({ kind: 'input', field: 'processId' });
		expect(simulator.stats.logins).to.equal(0);
	});
});

describe('Triggers on the IBM BAW simulator', function () {
	let simulator: BawSimulator;
	let session: Session;

	before(async () => {
		simulator = await startBawSimulator({ users: { tw_admin: PASSWORD, tw_user: PASSWORD } });
	});
	beforeEach(() => simulator.resetData());
	after(() => simulator.close());
	afterEach(() => session.close());

	it('New Task: each new ready task once, newest first over next links, then claimed with 409 for the second claimant', async () => {
		session = createSchemeSession(baw, { url: simulator.url, username: 'tw_admin', password: PASSWORD });
		const connection = sessionConnection(session);
		const trigger = watcher(bawCatalogue, 'newTask', () => connection, { pageSize: 3 });
		await trigger.poll();
		const created = simulator.bulkCreateTasks(7);
		const result = await trigger.poll();
		expect(result.events.map((item) => item.id)).to.deep.equal(created);
		expect(result.pages).to.be.greaterThan(1);
		expect((await trigger.poll()).events).to.deep.equal([]);
		const other = sessionConnection(createSchemeSession(baw, { url: simulator.url, username: 'tw_user', password: PASSWORD }));
		const event = triggerOf(bawCatalogue, 'newTask');
		const first = await claimEvents(connection, bawCatalogue, event, result.events.slice(0, 2));
		const second = await claimEvents(other, bawCatalogue, event, result.events.slice(0, 2));
		expect(first.claimed.map((item) => item.id)).to.deep.equal(created.slice(0, 2));
		expect(second.takenByOthers.map((item) => item.id)).to.deep.equal(created.slice(0, 2));
	});

	it('Task Assigned to Me (no claim date anywhere): each task claimed by me once, dated when first seen; again after a release; others\' claims never', async () => {
		session = createSchemeSession(baw, { url: simulator.url, username: 'tw_admin', password: PASSWORD });
		const connection = sessionConnection(session);
		const other = sessionConnection(createSchemeSession(baw, { url: simulator.url, username: 'tw_user', password: PASSWORD }));
		const { json } = operationCalls(bawCatalogue, () => connection);
		const claim = (ids: string[], on = connection) => Promise.all(ids.map((taskId) => json('task', 'claim', { taskId }, {}, on)));
		const created = simulator.bulkCreateTasks(12);
		await claim(created.slice(0, 2)); // mine before the trigger starts: never emitted
		const trigger = watcher(bawCatalogue, 'taskAssignedToMe', () => connection, { pageSize: 4 });
		expect((await trigger.poll()).events).to.deep.equal([]);
		await claim(created.slice(2, 9));
		await claim(created.slice(9, 11), other);
		const first = await trigger.poll();
		expect(first.events.map((item) => item.id).sort()).to.deep.equal(created.slice(2, 9).sort());
		expect(first.pages).to.be.greaterThan(2);
		expect(first.events.every((item) => /^baw:taskAssignedToMe:[\w.-]+:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/.test(item.eventId))).to.equal(true);
		expect((await trigger.poll()).events).to.deep.equal([]);
		// The cursor holds the tasks claimed by me now: nothing else.
		expect(trigger.cursor()!.present!.map((entry) => entry.id).sort()).to.deep.equal(created.slice(0, 9).sort());
		await json('task', 'release', { taskId: created[2] });
		expect((await trigger.poll()).events).to.deep.equal([]);
		await new Promise((resolve) => setTimeout(resolve, 1000)); // a new server second: the new assignment's own event id
		await claim([created[2]!]);
		const again = await trigger.poll();
		expect(again.events.map((item) => item.id)).to.deep.equal([created[2]]);
		expect(duplicates(trigger.emitted)).to.deep.equal([]);
		expect(trigger.emitted).to.have.length(8);
	});

	it('Task Assigned to Me past its time budget: what it has not read stays as it was; nothing missed, nothing twice', async () => {
		session = createSchemeSession(baw, { url: simulator.url, username: 'tw_admin', password: PASSWORD });
		const connection = sessionConnection(session);
		const { json } = operationCalls(bawCatalogue, () => connection);
		const trigger = watcher(bawCatalogue, 'taskAssignedToMe', () => connection, { pageSize: 3, budgetMs: 0 });
		await trigger.poll();
		const created = simulator.bulkCreateTasks(10);
		await Promise.all(created.map((taskId) => json('task', 'claim', { taskId })));
		let polls = 0;
		while (!(await trigger.poll()).complete) polls++;
		expect(polls).to.be.greaterThan(1);
		await trigger.poll();
		expect(duplicates(trigger.emitted)).to.deep.equal([]);
		expect(trigger.emitted.map((eventId) => eventId.split(':')[2]).sort()).to.deep.equal([...created].sort());
	});
});

describe('Triggers on the Simplicité simulator (records by their technical dates)', function () {
	let simulator: SimpliciteSimulator;
	let session: Session;
	let connection: Connection;
	const searches = () => simulator.requests.filter((request) => request.path.endsWith('/api/rest/DemoClient')).length;
	const update = (rowId: string, city: string) =>
		fetch(`${simulator.url}/api/rest/DemoClient/${rowId}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`designer:${PASSWORD}`).toString('base64')}` }, body: JSON.stringify({ demoCliCity: city }) });
	let made = 0;
	const created = (count: number) => simulator.bulkCreate('DemoClient', count, () => ({ demoCliCode: `W${++made}`, demoCliLastname: 'Watched' }));

	before(async () => {
		simulator = await startSimpliciteSimulator({ users: { designer: PASSWORD }, acceptBasicOnApi: true });
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		simulator.requests.length = 0;
		simulator.configure({ pageSize: 50 });
		session = createSchemeSession(simplicite, { url: simulator.url, username: 'designer', password: PASSWORD });
		connection = sessionConnection(session);
	});
	afterEach(() => {
		simulator.setClockSkew(0);
		session.close();
	});
	after(() => simulator.close());

	it('New Record: no backlog; 120 records made in one burst (dates to the second: many share one) over pages of the size the server sets, each once; an empty poll is one search', async () => {
		created(5);
		simulator.configure({ pageSize: 20 });
		const trigger = watcher(simpliciteCatalogue, 'newRecord', () => connection, { values: { object: 'DemoClient' } });
		expect((await trigger.poll()).events).to.deep.equal([]);
		const ids = created(120);
		const first = await trigger.poll();
		expect(first.events.map((item) => item.id)).to.deep.equal(ids);
		expect(first.pages).to.be.within(7, 8);
		// Later in the same second, and a second later: only the new ones.
		const more = created(3);
		simulator.setClockSkew(1000);
		more.push(...created(2));
		expect((await trigger.poll()).events.map((item) => item.id)).to.deep.equal(more);
		const before = searches();
		expect((await trigger.poll()).events).to.deep.equal([]);
		expect(searches() - before).to.equal(1);
		expect(trigger.emitted.every((eventId) => /^simplicite:newRecord:DemoClient\/\d+:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(eventId))).to.equal(true);
		expect(duplicates(trigger.emitted)).to.deep.equal([]);
		expect(simulator.stats.logins).to.equal(1);
	});

	it('Updated Record: each change once, a record changed again later is a new event, a new record counts; an expired session costs one login', async () => {
		const trigger = watcher(simpliciteCatalogue, 'updatedRecord', () => connection, { values: { object: 'DemoClient' } });
		await trigger.poll();
		expect((await update('2', 'Nantes')).status).to.equal(200);
		const [added] = created(1);
		const first = await trigger.poll();
		expect(first.events.map((item) => item.id).sort()).to.deep.equal(['2', added].sort());
		expect(first.events.find((item) => item.id === '2')!.object).to.include({ demoCliCity: 'Nantes' });
		simulator.expireSessions();
		simulator.setClockSkew(2000);
		expect((await update('2', 'Brest')).status).to.equal(200);
		const second = await trigger.poll();
		expect(second.events.map((item) => item.id)).to.deep.equal(['2']);
		expect(second.events[0]!.eventId).to.not.equal(first.events.find((item) => item.id === '2')!.eventId);
		expect((await trigger.poll()).events).to.deep.equal([]);
		expect(duplicates(trigger.emitted)).to.deep.equal([]);
		expect(simulator.stats.logins).to.equal(2);
	});

	it('the search asks for the newest first by the event\'s date and only records that have one', async () => {
		const trigger = watcher(simpliciteCatalogue, 'updatedRecord', () => connection, { values: { object: 'DemoClient' } });
		await trigger.poll();
		const search = simulator.requests.find((request) => request.path.endsWith('/api/rest/DemoClient'))!;
		const query = new URL(search.url, simulator.url).searchParams;
		expect(query.get('order__updated_dt')).to.equal('-1');
		expect(query.get('updated_dt')).to.equal('is not null');
		expect(query.get('_page')).to.equal('0');
	});

	it('a server that ignores the sort is refused with a clear error, never guessed at', async () => {
		simulator.configure({ ignoreSearchOrder: true });
		try {
			simulator.setClockSkew(5000);
			created(2); // later than the seed records, listed after them by row_id
			const outcome = await pollEvents(connection, simpliciteCatalogue, triggerOf(simpliciteCatalogue, 'newRecord'), { values: { object: 'DemoClient' }, cursor: undefined });
			expect(!outcome.ok && outcome.error.message).to.match(/^New Record: the server did not list the items newest first by created_dt \(\S+ \S+ came after 2026-01-05 09:00:00\)/);
		} finally {
			simulator.configure({ ignoreSearchOrder: false });
		}
	});

	it('bad input names the field, before any call', async () => {
		const outcome = await pollEvents(connection, simpliciteCatalogue, triggerOf(simpliciteCatalogue, 'newRecord'), { values: {}, cursor: undefined });
		expect(!outcome.ok && outcome.error).to.include({ kind: 'input', field: 'object' });
		expect(simulator.requests).to.have.length(0);
	});
});
