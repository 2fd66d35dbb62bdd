import { expect } from 'chai';
import { baw, bawCatalogue, createSchemeSession, sessionConnection, type Session } from '../../core';
import { startBawSimulator, type BawSimulator } from '../simulators/baw';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_REGISTRATION } from '../simulators/bonita/processes';
import { startSimpliciteSimulator, type SimpliciteSimulator } from '../simulators/simplicite';
import { eventCollector, type EventCollector } from '../support/event-collector';
import { startN8nServer, type N8nServer, type N8nServerOptions } from '../support/n8n-server';
import { operationCalls } from '../support/operation-calls';
import { ensureN8n, progress } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, SIM_USER, until } from './package-under-test';

const PACKAGE = '@bpm-connect/n8n-nodes-bpm';
const OWNER = { email: 'owner@bpm-connect.invalid', password: 'Owner-pw-4e1!' };

/** An active workflow: a vendor's trigger (every minute) posting each event to the test's collector, named by `instance`. */
function triggerWorkflow(id: string, trigger: { type: string; parameters: Record<string, unknown>; credentials: Record<string, unknown> }, idOf: string, collectorUrl: string) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'trigger', name: 'Trigger', typeVersion: 1, position: [0, 0], ...trigger, parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...trigger.parameters } },
			{
				id: 'post',
				name: 'Post Event',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: { method: 'POST', url: `${collectorUrl}/events`, sendBody: true, specifyBody: 'json', jsonBody: `={{ JSON.stringify({ eventId: $json.eventId, id: ${idOf}, instance: '${id}' }) }}`, options: {} },
			},
		],
		connections: { Trigger: { main: [[{ node: 'Post Event', type: 'main', index: 0 }]] } },
	};
}

/** Bonita New Task; Simplicité New Record of DemoClient; IBM BAW Task Assigned to Me (the undated event). */
function triggerWorkflows(collectorUrl: string) {
	return [
		triggerWorkflow('bonitaNewTasks', { type: `${PACKAGE}.bonitaTrigger`, parameters: { event: 'newTask' }, credentials: { bonitaApi: { id: 'bonitaSim', name: 'Bonita simulator' } } }, '$json.id', collectorUrl),
		triggerWorkflow(
			'simpliciteNewRecords',
			{ type: `${PACKAGE}.simpliciteTrigger`, parameters: { event: 'newRecord', object: { __rl: true, mode: 'id', value: 'DemoClient' } }, credentials: { simpliciteApi: { id: 'simpliciteSim', name: 'Simplicité simulator' } } },
			'$json.row_id',
			collectorUrl,
		),
		triggerWorkflow('bawAssignedToMe', { type: `${PACKAGE}.bawTrigger`, parameters: { event: 'taskAssignedToMe' }, credentials: { bawApi: { id: 'bawSim', name: 'IBM BAW simulator' } } }, "$json['TASK.TKIID']", collectorUrl),
	];
}

describe('Triggers in real n8n (n8n start, active workflows): each event emitted exactly once', function () {
	this.timeout(15 * 60 * 1000);
	let bonita: BonitaSimulator;
	let simplicite: SimpliciteSimulator;
	let bawServer: BawSimulator;
	let collector: EventCollector;
	let bawSession: Session;
	/** The test's own IBM BAW logins (it claims the tasks as the trigger's user), left out of n8n's. */
	let testLogins = 0;

	before(async () => {
		[bonita, simplicite, bawServer, collector] = await Promise.all([
			startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } }),
			startSimpliciteSimulator({ users: { designer: MARKER_PASSWORD } }),
			startBawSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } }),
			eventCollector(),
		]);
		bawSession = createSchemeSession(baw, { url: bawServer.url, username: SIM_USER, password: MARKER_PASSWORD });
		bawSession.onStateChange((state) => state === 'logged-in' && testLogins++);
	});
	after(async () => {
		bawSession?.close();
		await Promise.all([bonita?.close(), simplicite?.close(), bawServer?.close(), collector?.close()]);
	});

	it('Bonita: 1,000 tasks; Simplicité: 300 records; IBM BAW: 30 tasks claimed; n8n restarted between bursts (each start re-activates and polls at once), sessions expired once: 0 missed, 0 duplicated', async () => {
		const options: N8nServerOptions = {
			runtime: await ensureN8n(),
			packageTgz: packageTgz(),
			owner: OWNER,
			credentials: [
				{ id: 'bonitaSim', name: 'Bonita simulator', type: 'bonitaApi', data: { url: bonita.url, username: SIM_USER, password: MARKER_PASSWORD } },
				{ id: 'simpliciteSim', name: 'Simplicité simulator', type: 'simpliciteApi', data: { url: simplicite.url, username: 'designer', password: MARKER_PASSWORD, tokenTransport: 'header', v3Mode: false } },
				{ id: 'bawSim', name: 'IBM BAW simulator', type: 'bawApi', data: { url: bawServer.url, username: SIM_USER, password: MARKER_PASSWORD, requestedLifetime: 7200, refreshGroups: false } },
			],
			workflows: triggerWorkflows(collector.url),
			publish: ['bonitaNewTasks', 'simpliciteNewRecords', 'bawAssignedToMe'],
		};
		const polls = () =>
			bonita.requests.filter((request) => request.path.endsWith('/API/bpm/humanTask')).length +
			simplicite.requests.filter((request) => request.path.endsWith('/api/rest/DemoClient')).length +
			bawServer.requests.filter((request) => request.path.endsWith('/rest/bpm/wle/v1/tasks')).length;
		const { json } = operationCalls(bawCatalogue, () => sessionConnection(bawSession));
		const bawTasks = bawServer.bulkCreateTasks(35);
		const claim = (ids: string[]) => Promise.all(ids.map((taskId) => json('task', 'claim', { taskId })));
		// There before the activation: never emitted.
		bonita.bulkCreateTasks(25, PROCESS_REGISTRATION);
		let made = 0;
		const records = (count: number) => simplicite.bulkCreate('DemoClient', count, () => ({ demoCliCode: `N8N${++made}`, demoCliLastname: 'Watched' }));
		records(10);
		await claim(bawTasks.slice(0, 5));
		progress('n8n trigger e2e: first start (each activation polls once: the starting points)');
		let n8n: N8nServer = await startN8nServer(options);
		const home = n8n.home;
		const created = { bonitaNewTasks: [] as string[], simpliciteNewRecords: [] as string[], bawAssignedToMe: [] as string[] };
		const restart = async (what: string, beforeStart: () => Promise<void> | void = () => undefined) => {
			progress(`n8n trigger e2e: restart (${what})`);
			const before = polls();
			await n8n.stop({ keepHome: true });
			await beforeStart();
			n8n = await startN8nServer({ ...options, home });
			await until(() => polls() >= before + 3, 'the activation polls', 60_000);
		};
		const collected = () => collector.byInstance();
		const allCollected = (what: string) =>
			until(() => Object.entries(created).every(([instance, ids]) => (collected()[instance]?.length ?? 0) >= ids.length), `${what}: every event`, 120_000);
		const burst = async (tasks: number, clients: number, claims: string[]) => {
			created.bonitaNewTasks.push(...bonita.bulkCreateTasks(tasks, PROCESS_REGISTRATION));
			created.simpliciteNewRecords.push(...records(clients));
			await claim(claims);
			created.bawAssignedToMe.push(...claims);
		};
		try {
			await until(() => polls() >= 3, 'the first activation polls', 60_000);
			expect(collector.ids(), 'what was there before').to.deep.equal([]);

			await restart('burst 1 waiting', () => burst(300, 100, bawTasks.slice(5, 15)));
			await allCollected('burst 1');

			await restart('burst 2 waiting, every session expired', async () => {
				await burst(300, 100, bawTasks.slice(15, 25));
				bonita.expireSessions();
				simplicite.expireSessions();
				bawServer.expireSessions();
			});
			await allCollected('burst 2');

			await restart('bursts 3 and 4 waiting', async () => {
				await burst(200, 50, bawTasks.slice(25, 30));
				await burst(200, 50, bawTasks.slice(30, 35));
			});
			await allCollected('bursts 3 and 4');

			// One more activation finds nothing new: nothing is emitted twice.
			await restart('nothing new');
			await new Promise((resolve) => setTimeout(resolve, 3000));

			const byInstance = collected();
			const eventIds = collector.eventIds();
			const duplicates = eventIds.length - new Set(eventIds).size;
			const logins = { bonita: bonita.stats.logins, simplicite: simplicite.stats.logins, baw: bawServer.stats.logins - testLogins };
			for (const [instance, ids] of Object.entries(created)) {
				const seen = byInstance[instance] ?? [];
				progress(`n8n trigger e2e ${instance}: ${ids.length} created, ${seen.length} events, ${ids.filter((id) => !seen.includes(id)).length} missed, ${seen.length - new Set(seen).size} duplicated`);
				expect([...seen].sort(), instance).to.deep.equal([...ids].sort());
			}
			progress(`n8n trigger e2e: logins ${JSON.stringify(logins)}`);
			expect(created.bonitaNewTasks).to.have.length(1000);
			expect(duplicates, 'duplicated').to.equal(0);
			expect(eventIds.filter((eventId) => !/^(bonita:newTask:\d+|simplicite:newRecord:DemoClient\/\d+|baw:taskAssignedToMe:[\w.-]+):/.test(eventId))).to.deep.equal([]);
			// One session per n8n process and vendor: five starts; the expiry falls between two of them.
			for (const [vendor, count] of Object.entries(logins)) expect(count, `${vendor} logins`).to.be.at.most(5);
		} finally {
			await n8n.stop();
		}
	});
});
