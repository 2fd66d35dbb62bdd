import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBawSimulator, type BawSimulator } from '../simulators/baw';
import { eventCollector, type EventCollector } from '../support/event-collector';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureNodeRed4, progress } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, until } from './package-under-test';

/** The New Task list (GET /bpm/user-tasks?states=ready&sort=creation_time:desc): one request per poll that finds the cursor on its first page. */
const LIST = '/bpm/user-tasks';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** HH:MM:SS local time, as the watch node writes it in its status. */
const clockAt = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/** A request the watch node sent, as the proxy saw it. */
interface Seen {
	at: number;
	method: string;
	path: string;
	status?: number;
}

/** A list answer the proxy holds back: the client waits on an open socket until it is released. */
interface Held {
	/** The answer BAW gave, not yet passed on. */
	body: string;
	/** When the client closed the socket it was waiting on. */
	closed: Promise<number>;
	release(): void;
}

/**
 * Sits between Node-RED and the BAW simulator and records when each request arrives: the gaps between polls are read
 * here. It can answer the task list with a 500 (BAW's database down), and hold the next list answer back (a poll in
 * flight, for as long as the test likes) while it watches the client's socket.
 */
interface BawProxy {
	url: string;
	seen: Seen[];
	failLists: boolean;
	/** Arms the hold now; resolves once a list answer is held. */
	holdNextList(): Promise<Held>;
	close(): Promise<void>;
}

async function bawProxy(target: string): Promise<BawProxy> {
	let holder: ((held: Held) => void) | undefined;
	const seen: Seen[] = [];
	const server = http.createServer((req, res) => {
		const entry: Seen = { at: Date.now(), method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]! };
		seen.push(entry);
		const isList = entry.method === 'GET' && entry.path === LIST;
		if (isList && proxy.failLists) {
			entry.status = 500;
			res.writeHead(500, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ error_number: 'CWTBG0000E', error_message: 'CWTBG0000E: Internal error: the database is not available', error_message_parameters: [] }));
			return;
		}
		const hold = isList ? holder : undefined;
		if (hold) holder = undefined;
		// Watched from the start: a client that gives up closes this socket (a kept-alive socket is otherwise left open).
		const closed = hold ? new Promise<number>((resolve) => req.socket.once('close', () => resolve(Date.now()))) : undefined;
		const { connection: _c, 'keep-alive': _k, ...headers } = req.headers;
		const upstream = http.request(`${target}${req.url ?? '/'}`, { method: req.method, headers, agent: false }, (answer) => {
			const chunks: Buffer[] = [];
			answer.on('data', (chunk: Buffer) => chunks.push(chunk));
			answer.on('end', () => {
				entry.status = answer.statusCode;
				const body = Buffer.concat(chunks);
				const { connection: _ac, 'keep-alive': _ak, 'transfer-encoding': _te, ...out } = answer.headers;
				const reply = () => {
					if (!res.destroyed) res.writeHead(answer.statusCode ?? 502, { ...out, 'content-length': String(body.length) }).end(body);
				};
				if (hold && closed) hold({ body: body.toString('utf8'), closed, release: reply });
				else reply();
			});
		});
		upstream.on('error', () => res.destroy());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const proxy: BawProxy = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		failLists: false,
		holdNextList: () =>
			new Promise<Held>((resolve, reject) => {
				const timer = setTimeout(() => {
					holder = undefined;
					reject(new Error('no list request came to be held within 10 s'));
				}, 10_000);
				holder = (held) => {
					clearTimeout(timer);
					resolve(held);
				};
			}),
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
	return proxy;
}

interface NodeStatus {
	at: number;
	fill?: string;
	shape?: string;
	text?: string;
}

/** Where the flow posts every status the watch node shows (what a status node reports: fill, shape, text). */
async function statusSink(): Promise<{ url: string; all: NodeStatus[]; close(): Promise<void> }> {
	const all: NodeStatus[] = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			all.push({ at: Date.now(), ...(JSON.parse(body) as Omit<NodeStatus, 'at'>) });
			res.writeHead(204).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		all,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/**
 * An IBM BAW watch node (New Task, every 5 s, and on demand through POST /poll) logged in as alice through the proxy.
 * Its events go to the collector ({eventId, id: tkiid}); its statuses, through a status node, to the status sink. One
 * attempt per call: a failed poll is one list request, so the gaps between list requests are the gaps between polls.
 */
function watchFlow(bawUrl: string, collectorUrl: string, statusUrl: string, claim: boolean, name = 'new task', operation = 'newTask'): object[] {
	const z = 'wb-tab';
	return [
		{ id: z, type: 'tab', label: 'BAW watch behaviour' },
		{ id: 'wb-server', type: 'bpm-baw', name: 'BAW', url: bawUrl, requestedLifetime: 7200, refreshGroups: false, credentials: { username: 'alice', password: MARKER_PASSWORD } },
		{ id: 'wb-poll', type: 'http in', z, url: '/poll', method: 'post', wires: [['wb-watch', 'wb-ack']] },
		{ id: 'wb-ack', type: 'http response', z, statusCode: '204', wires: [] },
		{ id: 'wb-watch', type: 'bpm-baw-watch', z, name, server: 'wb-server', resource: 'task', operation, interval: 5, inputs: 1, claim, maxAttempts: 1, wires: [['wb-event']] },
		// /bpm user tasks name a task tkiid, the WLE task search (Task Assigned to Me) TASK.TKIID.
		{ id: 'wb-event', type: 'change', z, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"eventId": eventId, "id": payload.tkiid ? payload.tkiid : payload."TASK.TKIID"}', tot: 'jsonata' }], wires: [['wb-post']] },
		{ id: 'wb-post', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${collectorUrl}/events`, wires: [] },
		{ id: 'wb-status', type: 'status', z, scope: ['wb-watch'], wires: [['wb-status-body']] },
		{ id: 'wb-status-body', type: 'change', z, rules: [{ t: 'move', p: 'status', pt: 'msg', to: 'payload', tot: 'msg' }], wires: [['wb-status-post']] },
		{ id: 'wb-status-post', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${statusUrl}/status`, wires: [] },
	];
}

/** A user of the simulator acting directly (not through the proxy): another person in front of BAW. */
async function bawUser(baw: BawSimulator, user: string) {
	const authorization = `Basic ${Buffer.from(`${user}:${MARKER_PASSWORD}`).toString('base64')}`;
	const login = await fetch(`${baw.url}/bpm/system/login`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: '{}' });
	const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
	const call = async (method: string, path: string) => {
		const res = await fetch(`${baw.url}${path}`, { method, headers: { authorization, BPMCSRFToken: csrf } });
		return { status: res.status, body: (await res.json()) as any };
	};
	return {
		claim: (id: string) => call('POST', `/bpm/user-tasks/${id}/claim`),
		task: async (id: string) => (await call('GET', `/bpm/user-tasks/${id}`)).body as { state: string; owner: string | null },
		claimedBy: async (owner: string) => {
			const { body } = await call('GET', '/bpm/user-tasks?states=claimed&size=1000');
			return (body.user_task_instances as Array<{ tkiid: string; owner: string }>).filter((task) => task.owner === owner).map((task) => task.tkiid);
		},
	};
}

/** How often each id was collected. */
function counts(ids: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const id of ids) out[id] = (out[id] ?? 0) + 1;
	return out;
}

// The its run in order against one Node-RED: each starts from the cursor the one before left.
describe('Watch node behaviour in real Node-RED 4.1 (IBM BAW): polls, status and back-off, close during a poll, claim mode, Task Assigned to Me', function () {
	this.timeout(60_000);
	let baw: BawSimulator;
	let proxy: BawProxy;
	let collector: EventCollector;
	let statuses: Awaited<ReturnType<typeof statusSink>>;
	let nodeRed: NodeRedInstance;
	/** Ready tasks there before the node started: never emitted. */
	let existing: string[];
	const flows = (claim: boolean, name?: string, operation?: string) => watchFlow(proxy.url, collector.url, statuses.url, claim, name, operation);
	/**
	 * A deployment of the modified nodes only: the server's config node (its session and sockets) lives on. Sent without
	 * the credentials (Node-RED keeps the ones it has): credentials in a deployment count as a change of their node.
	 */
	const deployModifiedNodes = async (changed: object[]) => {
		const from = nodeRed.logs().length;
		const body = changed.map(({ credentials: _credentials, ...node }: { credentials?: unknown }) => node);
		const res = await nodeRed.admin('POST', '/flows', body, { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'nodes' });
		expect(res.status, res.text).to.be.oneOf([200, 204]);
		await until(() => /Started modified nodes/.test(nodeRed.logs().slice(from)), 'the modified node started');
	};
	const poll = () => nodeRed.request('POST', '/poll', {});
	const lists = (from: number) => proxy.seen.slice(from).filter((request) => request.method === 'GET' && request.path === LIST);
	/** The first status shown since `mark` (an index into the statuses) whose text matches. */
	const statusSince = async (mark: number, text: RegExp, what: string): Promise<NodeStatus> => {
		const find = () => statuses.all.slice(mark).find((status) => text.test(status.text ?? ''));
		await until(() => find() !== undefined, what, 20_000);
		return find()!;
	};
	/** When the file's work began (its before hook), for the timings it prints. */
	let started = 0;

	before(async () => {
		started = Date.now();
		baw = await startBawSimulator({ users: { alice: MARKER_PASSWORD, bob: MARKER_PASSWORD } });
		[proxy, collector, statuses] = await Promise.all([bawProxy(baw.url), eventCollector(), statusSink()]);
		existing = baw.bulkCreateTasks(5);
		// Node-RED's default settings (no contextStorage), which delete a node's context when it stops: the cursor lives on
		// in the process, through the redeploys below.
		nodeRed = await startNodeRed({ runtime: ensureNodeRed4(), packageTgz: packageTgz(), flows: flows(false) });
		progress(`watch behaviour: Node-RED ${ensureNodeRed4().version} up in ${Date.now() - started} ms`);
	});
	after(async () => {
		await nodeRed?.stop();
		await Promise.all([proxy?.close(), collector?.close(), statuses?.close(), baw?.close()]);
		progress(`watch behaviour: ${Date.now() - started} ms in all`);
	});

	it('polls: each task created after the first poll comes out once, the ones there before never; the status shows the time and "N new"', async () => {
		const first = await statusSince(0, /^\d\d:\d\d:\d\d: 0 new$/, 'the first poll');
		expect(first.fill).to.equal('green');
		const created = baw.bulkCreateTasks(3);
		let mark = statuses.all.length;
		await poll();
		const three = await statusSince(mark, /: 3 new$/, 'the poll of 3 new tasks');
		expect(three.fill).to.equal('green');
		expect(three.text).to.match(/^\d\d:\d\d:\d\d: 3 new$/);
		// The time is the poll's, on Node-RED's clock (this machine's): the second it arrived, or the one before.
		expect([clockAt(three.at - 1000), clockAt(three.at)]).to.include(three.text!.slice(0, 8));
		created.push(...baw.bulkCreateTasks(2));
		mark = statuses.all.length;
		await poll();
		await statusSince(mark, /: 2 new$/, 'the poll of 2 more');
		// Polls that find nothing send nothing.
		mark = statuses.all.length;
		await poll();
		await statusSince(mark, /: 0 new$/, 'a poll that finds nothing');
		await until(() => collector.ids().length >= created.length, `${created.length} events`);
		await sleep(300);

		expect(counts(collector.ids())).to.deep.equal(counts(created));
		expect(collector.ids().filter((id) => existing.includes(id)), 'tasks there before').to.deep.equal([]);
		// Each event id names the event, the task and its creation_time.
		const eventIds = collector.eventIds();
		expect(collector.ids().filter((id, index) => !new RegExp(`^baw:newTask:${id}:\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`).test(eventIds[index]!)), 'event ids of another form').to.deep.equal([]);
	});

	it('a failed poll: red status with its HTTP status and error; after a second failure the next poll waits twice as long (5 s, then 10 s); then it recovers (green, the tasks out once)', async () => {
		const mark = statuses.all.length;
		const from = proxy.seen.length;
		const collected = collector.ids().length;
		proxy.failLists = true;
		const created = baw.bulkCreateTasks(2);
		let red: NodeStatus;
		try {
			await poll();
			red = await statusSince(mark, /answered 500/, 'the failed poll');
			// The second failure comes with the next tick; the server is back before the one after.
			await until(() => lists(from).length >= 2, 'the second failed poll', 10_000);
		} finally {
			proxy.failLists = false;
		}
		expect(red.fill).to.equal('red');
		// The status code first: a long URL in the message cannot push it out of the 120 characters.
		expect(red.text).to.match(/^\d\d:\d\d:\d\d HTTP 500: GET .*\/bpm\/user-tasks\?.* answered 500/);
		const green = await statusSince(mark, /: 2 new$/, 'the poll after the server came back');
		expect(green.fill).to.equal('green');
		await until(() => collector.ids().length >= collected + 2, 'the 2 tasks created during the outage');
		await sleep(300);

		const polls = lists(from);
		const gaps = polls.slice(1).map((request, index) => request.at - polls[index]!.at);
		progress(`watch behaviour: list answers ${polls.map((request) => request.status).join(', ')}, gaps between polls ${gaps.join(' ms, ')} ms`);
		expect(polls.map((request) => request.status)).to.deep.equal([500, 500, 200]);
		// After one failure the interval (5 s), after two twice that.
		expect(gaps[0]).to.be.within(4800, 6000);
		expect(gaps[1]).to.be.within(9800, 11000);
		expect(statuses.all.slice(mark).filter((status) => status.fill === 'red')).to.have.length(2);
		expect(counts(collector.ids().slice(collected))).to.deep.equal(counts(created));
	});

	it('close during a poll in flight: the held request is aborted, nothing of it is sent or written, the redeployed node (default settings: no context store) emits its tasks once', async () => {
		const created = baw.bulkCreateTasks(3);
		// Armed in the same turn as the tasks were created: whichever poll comes next (a tick or this one) reads them.
		const holding = proxy.holdNextList();
		await poll();
		const held = await holding;
		for (const id of created) expect(held.body).to.include(`"tkiid":"${id}"`);
		const collected = collector.ids().length;
		const logs = nodeRed.logs().length;
		const logins = baw.stats.logins;
		const closing = Date.now();
		// Only the watch node is closed and started again: a full deployment would also close the config node, whose
		// session close destroys its sockets whether the watch node aborts or not.
		await deployModifiedNodes(flows(false, 'new task (renamed)'));
		const closeMs = await Promise.race([held.closed.then((at) => at - closing), sleep(5000).then(() => Number.POSITIVE_INFINITY)]);
		// The new node's first poll (not held) emits the three: the held poll wrote no cursor.
		await until(() => collector.ids().length >= collected + 3, 'the 3 tasks after the redeploy');
		// The held answer, passed on now, changes nothing.
		held.release();
		await sleep(1500);
		progress(`watch behaviour: the held list request's socket closed ${closeMs} ms after the deployment was sent`);
		expect(counts(collector.ids().slice(collected))).to.deep.equal(counts(created));
		// The poll its close cut off is no failure to report.
		expect(nodeRed.logs().slice(logs)).not.to.match(/\[error\] \[bpm-baw-watch/);
		expect(baw.stats.logins, 'logins: the config node and its session lived on').to.equal(logins);
		expect(closeMs, 'ms from the deployment to the held socket closed').to.be.below(1000);
	});

	it('claim mode: each new task is claimed for the node\'s user before it is sent; a task someone else claimed first is skipped', async () => {
		let mark = statuses.all.length;
		await nodeRed.deploy(flows(true));
		await statusSince(mark, /: 0 new, 0 taken by others$/, 'the first poll in claim mode');
		const from = proxy.seen.length;
		const collected = collector.ids().length;
		const created = baw.bulkCreateTasks(3);
		const holding = proxy.holdNextList();
		await poll();
		const held = await holding;
		// Bob claims the second task between the node's read of the list and its claims.
		const bob = await bawUser(baw, 'bob');
		expect((await bob.claim(created[1]!)).status).to.equal(200);
		mark = statuses.all.length;
		held.release();
		const status = await statusSince(mark, /taken by others$/, 'the claim-mode poll');
		expect(status.fill).to.equal('green');
		expect(status.text).to.match(/^\d\d:\d\d:\d\d: 2 new, 1 taken by others$/);
		await until(() => collector.ids().length >= collected + 2, 'the 2 claimed tasks');
		await sleep(500);

		expect(counts(collector.ids().slice(collected))).to.deep.equal(counts([created[0]!, created[2]!]));
		expect((await bob.task(created[0]!)).owner).to.equal('alice');
		expect((await bob.task(created[1]!)).owner).to.equal('bob');
		expect((await bob.task(created[2]!)).owner).to.equal('alice');
		// Alice claimed those two and nothing else (the tasks there before and the ones emitted without claim mode stay ready).
		expect((await bob.claimedBy('alice')).sort()).to.deep.equal([created[0]!, created[2]!].sort());
		const claims = proxy.seen.slice(from).filter((request) => request.method === 'POST' && request.path.endsWith('/claim'));
		expect(claims.map((request) => `${request.path} ${request.status}`)).to.deep.equal(created.map((id, index) => `/bpm/user-tasks/${id}/claim ${index === 1 ? 409 : 200}`));
	});

	it('Task Assigned to Me (no claim date: the tasks claimed by me, compared with the last poll): each new claim once, none of another user, one made across a redeploy once', async () => {
		let mark = statuses.all.length;
		await nodeRed.deploy(flows(false, 'assigned to me', 'taskAssignedToMe'));
		// Another event starts afresh: the tasks alice claimed before are taken in, not sent.
		await statusSince(mark, /^\d\d:\d\d:\d\d: 0 new$/, 'the first Task Assigned to Me poll');
		const collected = collector.ids().length;
		const created = baw.bulkCreateTasks(5);
		const [alice, bob] = await Promise.all([bawUser(baw, 'alice'), bawUser(baw, 'bob')]);
		for (const id of created.slice(0, 3)) expect((await alice.claim(id)).status).to.equal(200);
		expect((await bob.claim(created[3]!)).status).to.equal(200);
		mark = statuses.all.length;
		await poll();
		await statusSince(mark, /: 3 new$/, 'the poll of 3 claims');
		await until(() => collector.ids().length >= collected + 3, 'the 3 claimed tasks');
		// A redeploy of the node keeps what it saw (in the process, under the default settings): a claim made meanwhile
		// comes out, the three do not come again (a lost cursor would take the new claim in silently, as a first poll).
		await deployModifiedNodes(flows(false, 'assigned to me (renamed)', 'taskAssignedToMe'));
		expect((await alice.claim(created[4]!)).status).to.equal(200);
		mark = statuses.all.length;
		await poll();
		await statusSince(mark, /: 1 new$/, 'the poll after the redeploy');
		await until(() => collector.ids().length >= collected + 4, 'the claim made across the redeploy');
		await sleep(300);

		expect(counts(collector.ids().slice(collected))).to.deep.equal(counts([...created.slice(0, 3), created[4]!]));
		const eventIds = collector.eventIds().slice(collected);
		expect(eventIds.filter((eventId) => !/^baw:taskAssignedToMe:\d+:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(eventId)), 'event ids of another form').to.deep.equal([]);
	});
});
