import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_REGISTRATION } from '../simulators/bonita/processes';
import { startSimpliciteSimulator, type SimpliciteSimulator } from '../simulators/simplicite';
import { eventCollector, type EventCollector } from '../support/event-collector';
import { startNodeRed, type NodeRedInstance, type NodeRedStartOptions } from '../support/node-red-runner';
import { ensureNodeRed4, ensureNodeRed5, progress } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, until } from './package-under-test';

/** A localfilesystem store that writes each change at once: the watch node's cursor survives a kill -9. */
const CONTEXT_STORAGE = { default: { module: 'memory' }, file: { module: 'localfilesystem', config: { cache: false } } };

/**
 * A Bonita watch node (New Task, polling every 5 s and on demand through POST /poll) whose every event is posted to the
 * test's collector with the instance's name: the collector counts them by event id.
 */
function watchFlow(prefix: string, bonitaUrl: string, user: string, collectorUrl: string, extra: Record<string, unknown> = {}): object[] {
	const z = `${prefix}-tab`;
	return [
		{ id: z, type: 'tab', label: `watch ${prefix}` },
		{ id: `${prefix}-server`, type: 'bpm-bonita', name: 'Bonita', url: bonitaUrl, credentials: { username: user, password: MARKER_PASSWORD } },
		{ id: `${prefix}-poll`, type: 'http in', z, url: '/poll', method: 'post', wires: [[`${prefix}-watch`, `${prefix}-ack`]] },
		{ id: `${prefix}-ack`, type: 'http response', z, statusCode: '204', wires: [] },
		{ id: `${prefix}-watch`, type: 'bpm-bonita-watch', z, server: `${prefix}-server`, resource: 'task', operation: 'newTask', interval: 5, inputs: 1, ...extra, wires: [[`${prefix}-event`]] },
		{ id: `${prefix}-event`, type: 'change', z, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: `{"eventId": eventId, "id": payload.id, "instance": "${prefix}"}`, tot: 'jsonata' }], wires: [[`${prefix}-post`]] },
		{ id: `${prefix}-post`, type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${collectorUrl}/events`, wires: [] },
	];
}

/**
 * Two Simplicité watch nodes on DemoClient (New Record, Updated Record), polling every 5 s and on demand through POST
 * /poll; each event posted to the collector with the record's row_id and the event's name as the instance.
 */
function recordWatchFlow(simpliciteUrl: string, collectorUrl: string): object[] {
	const z = 'rec-tab';
	const watch = (event: 'newRecord' | 'updatedRecord') => [
		{ id: `rec-${event}`, type: 'bpm-simplicite-watch', z, server: 'rec-server', resource: 'object', operation: event, parameters: { object: { v: 'DemoClient', vt: 'str' } }, interval: 5, inputs: 1, wires: [[`rec-${event}-event`]] },
		{ id: `rec-${event}-event`, type: 'change', z, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: `{"eventId": eventId, "id": payload.row_id, "instance": "${event}"}`, tot: 'jsonata' }], wires: [['rec-post']] },
	];
	return [
		{ id: z, type: 'tab', label: 'record watch' },
		{ id: 'rec-server', type: 'bpm-simplicite', name: 'Simplicité', url: simpliciteUrl, tokenTransport: 'header', v3Mode: false, credentials: { username: 'designer', password: MARKER_PASSWORD } },
		{ id: 'rec-poll', type: 'http in', z, url: '/poll', method: 'post', wires: [['rec-newRecord', 'rec-updatedRecord', 'rec-ack']] },
		{ id: 'rec-ack', type: 'http response', z, statusCode: '204', wires: [] },
		...watch('newRecord'),
		...watch('updatedRecord'),
		{ id: 'rec-post', type: 'http request', z, method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${collectorUrl}/events`, wires: [] },
	];
}

describe('Watch nodes in real Node-RED: each new task emitted exactly once', function () {
	this.timeout(10 * 60 * 1000);
	let bonita: BonitaSimulator;
	let collector: EventCollector;

	before(async () => {
		[bonita, collector] = await Promise.all([startBonitaSimulator({ users: { 'walter.bates': MARKER_PASSWORD, 'helen.kelly': MARKER_PASSWORD } }), eventCollector()]);
	});
	beforeEach(() => {
		bonita.resetData();
		bonita.resetStats();
		collector.clear();
	});
	after(async () => {
		await Promise.all([bonita?.close(), collector?.close()]);
	});

	/** The first poll has read the list (the watch starts from the newest task there). */
	const firstPollDone = async (logins: number) => {
		await until(() => bonita.stats.logins >= logins && bonita.requests.some((request) => request.path.endsWith('/API/bpm/humanTask')), 'the first poll');
		await new Promise((resolve) => setTimeout(resolve, 500));
	};

	for (const [label, runtime] of [
		['Node-RED 4.1 (Node 20)', ensureNodeRed4],
		['Node-RED 5 (Node 24)', ensureNodeRed5],
	] as const) {
		it(`${label}: 1,000 tasks in bursts, two restarts, a redeploy, a kill -9 between polls and an expired session: 0 missed, 0 duplicated`, async () => {
			const options: NodeRedStartOptions = { runtime: await runtime(), packageTgz: packageTgz(), settings: { contextStorage: CONTEXT_STORAGE }, keepUserDir: true };
			const flows = watchFlow('a', bonita.url, 'walter.bates', collector.url);
			let nodeRed: NodeRedInstance = await startNodeRed({ ...options, flows });
			const userDir = nodeRed.userDir;
			const restart = async (how: 'stop' | 'kill', whileDown?: () => void) => {
				await (how === 'stop' ? nodeRed.stop() : nodeRed.kill());
				whileDown?.();
				nodeRed = await startNodeRed({ ...options, userDir });
			};
			try {
				bonita.bulkCreateTasks(25, PROCESS_REGISTRATION); // there before the node: never emitted
				await firstPollDone(1);
				const created: string[] = [];
				const burst = (count = 100) => created.push(...bonita.bulkCreateTasks(count, PROCESS_REGISTRATION));
				const poll = () => nodeRed.request('POST', '/poll', {});
				const allCollected = (what: string) => until(() => collector.ids().length >= created.length, `${what}: ${created.length} events`, 60_000);

				progress('watch e2e: bursts 1-2 while the node polls');
				burst(50);
				await poll();
				burst(50);
				burst();
				await allCollected('bursts 1-2');

				progress('watch e2e: burst 3, then a restart with tasks not yet polled');
				burst();
				await restart('stop');
				await allCollected('burst 3 after a restart');

				progress('watch e2e: burst 4 with every session expired');
				bonita.expireSessions();
				burst();
				await poll();
				await allCollected('burst 4 after the session expired');

				progress('watch e2e: burst 5 created while a poll runs');
				bonita.configure({ pageDelayMs: 30 });
				burst(60);
				const polling = poll();
				burst(40);
				await polling;
				await poll();
				await allCollected('burst 5');
				bonita.configure({ pageDelayMs: 0 });

				progress('watch e2e: a redeploy that keeps the node, then burst 6');
				await nodeRed.deploy(flows);
				burst();
				await poll();
				await allCollected('burst 6 after a redeploy');

				progress('watch e2e: a second restart, then burst 7');
				await restart('stop');
				burst();
				await poll();
				await allCollected('burst 7 after the second restart');

				progress('watch e2e: burst 8, a kill -9 between two polls, burst 9 while down');
				burst();
				await poll();
				await allCollected('burst 8');
				await restart('kill', () => burst());
				await allCollected('burst 9 after a kill -9');

				burst();
				await poll();
				await allCollected('burst 10');
				// Two more polls find nothing new.
				await poll();
				await new Promise((resolve) => setTimeout(resolve, 1500));

				const ids = collector.ids();
				const duplicates = ids.length - new Set(ids).size;
				const missed = created.filter((id) => !ids.includes(id));
				progress(`watch e2e ${label}: ${created.length} tasks, ${ids.length} events, ${missed.length} missed, ${duplicates} duplicated, ${bonita.stats.logins} logins`);
				expect(created).to.have.length(1000);
				expect(missed, 'missed').to.deep.equal([]);
				expect(duplicates, 'duplicated').to.equal(0);
				expect(new Set(ids).size).to.equal(1000);
				expect(collector.eventIds().every((eventId) => /^bonita:newTask:\d+:/.test(eventId))).to.equal(true);
				// A session per runtime start (4), per redeploy (1) and per expired session (1): 6 seen in most runs, 7 once
				// (Node-RED 5); never one per poll (over 30 polls here).
				expect(bonita.stats.logins).to.be.within(6, 8);
			} finally {
				await nodeRed.stop();
			}
		});
	}

	it('Simplicité New Record and Updated Record: 300 records and 100 changes in bursts, a restart and an expired session: each event once', async () => {
		const simplicite: SimpliciteSimulator = await startSimpliciteSimulator({ users: { designer: MARKER_PASSWORD }, acceptBasicOnApi: true });
		const options: NodeRedStartOptions = { runtime: await ensureNodeRed4(), packageTgz: packageTgz(), settings: { contextStorage: CONTEXT_STORAGE }, keepUserDir: true };
		const flows = recordWatchFlow(simplicite.url, collector.url);
		let nodeRed = await startNodeRed({ ...options, flows });
		let made = 0;
		const created: string[] = [];
		const changed: string[] = [];
		const burst = (count: number) => created.push(...simplicite.bulkCreate('DemoClient', count, () => ({ demoCliCode: `E2E${++made}`, demoCliLastname: 'Watched' })));
		const basic = `Basic ${Buffer.from(`designer:${MARKER_PASSWORD}`).toString('base64')}`;
		const change = async (ids: string[]) => {
			for (const id of ids) {
				const answer = await fetch(`${simplicite.url}/api/rest/DemoClient/${id}`, { method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: basic }, body: JSON.stringify({ demoCliCity: 'Nantes' }) });
				expect(answer.status, `update of ${id}`).to.equal(200);
				changed.push(id);
			}
		};
		const byEvent = () => collector.byInstance();
		const collected = (what: string) =>
			until(() => (byEvent().newRecord?.length ?? 0) >= created.length && (byEvent().updatedRecord?.length ?? 0) >= created.length + changed.length, `${what}: ${created.length} new, ${created.length + changed.length} updated`, 60_000);
		// Each step a few seconds of server time later: a change in the second of its record's creation would be the same event.
		let skew = 0;
		const later = () => simplicite.setClockSkew((skew += 3000));
		try {
			await until(() => simplicite.stats.logins >= 1 && simplicite.requests.filter((request) => request.path.endsWith('/api/rest/DemoClient')).length >= 2, 'the first polls');
			burst(100);
			await nodeRed.request('POST', '/poll', {});
			await collected('burst 1');
			later();
			burst(100);
			await nodeRed.stop();
			nodeRed = await startNodeRed({ ...options, userDir: nodeRed.userDir });
			await collected('burst 2 after a restart');
			later();
			simplicite.expireSessions();
			await change(created.slice(0, 100));
			burst(100);
			await nodeRed.request('POST', '/poll', {});
			await collected('changes and burst 3 after the session expired');
			await nodeRed.request('POST', '/poll', {});
			await new Promise((resolve) => setTimeout(resolve, 1500));

			const events = byEvent();
			const eventIds = collector.eventIds();
			const duplicates = eventIds.length - new Set(eventIds).size;
			progress(`record watch: ${created.length} records, ${changed.length} changes; ${events.newRecord?.length} New Record, ${events.updatedRecord?.length} Updated Record events, ${duplicates} duplicated, ${simplicite.stats.logins} logins`);
			expect([...(events.newRecord ?? [])].sort()).to.deep.equal([...created].sort());
			expect([...(events.updatedRecord ?? [])].sort()).to.deep.equal([...created, ...changed].sort());
			expect(duplicates, 'duplicated').to.equal(0);
			expect(eventIds.every((eventId) => /^simplicite:(newRecord|updatedRecord):DemoClient\/\d+:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(eventId))).to.equal(true);
			// One session per start and one after the expiry; the two nodes share the server's.
			expect(simplicite.stats.logins).to.be.within(3, 4);
		} finally {
			await nodeRed.stop();
			await simplicite.close();
		}
	});

	it('claim mode: two Node-RED instances (two users) watch one queue; every task is handled by exactly one', async () => {
		const runtime = await ensureNodeRed4();
		const start = (prefix: string, user: string) =>
			startNodeRed({ runtime, packageTgz: packageTgz(), settings: { contextStorage: CONTEXT_STORAGE }, flows: watchFlow(prefix, bonita.url, user, collector.url, { claim: true }) });
		const [walter, helen] = await Promise.all([start('walter', 'walter.bates'), start('helen', 'helen.kelly')]);
		try {
			await firstPollDone(2);
			const created: string[] = [];
			for (let round = 0; round < 5; round++) {
				created.push(...bonita.bulkCreateTasks(40, PROCESS_REGISTRATION));
				await Promise.all([walter.request('POST', '/poll', {}), helen.request('POST', '/poll', {})]);
			}
			await until(() => new Set(collector.ids()).size >= created.length, `${created.length} claimed tasks`, 60_000);
			await new Promise((resolve) => setTimeout(resolve, 1500));
			const byInstance = collector.byInstance();
			const both = (byInstance.walter ?? []).filter((id) => (byInstance.helen ?? []).includes(id));
			const ids = collector.ids();
			progress(`claim mode: ${created.length} tasks, walter ${byInstance.walter?.length ?? 0}, helen ${byInstance.helen?.length ?? 0}, both ${both.length}`);
			expect(both, 'handled by both').to.deep.equal([]);
			expect(ids.length - new Set(ids).size, 'duplicated').to.equal(0);
			expect([...ids].sort()).to.deep.equal([...created].sort());
			expect(byInstance.walter?.length ?? 0, 'walter took some').to.be.greaterThan(0);
			expect(byInstance.helen?.length ?? 0, 'helen took some').to.be.greaterThan(0);
		} finally {
			await Promise.all([walter.stop(), helen.stop()]);
		}
	});
});
