import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_REGISTRATION } from '../simulators/bonita/processes';
import { eventCollector, type EventCollector } from '../support/event-collector';
import { startN8nServer, type N8nServer, type N8nServerOptions } from '../support/n8n-server';
import { ensureN8n, progress } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, SIM_USER, until } from './package-under-test';

const WORKFLOW = 'bonitaNewTasks';
const OWNER = { email: 'owner@bpm-connect.invalid', password: 'Owner-pw-4e1!' };

/** An active workflow: the Bonita Trigger (New Task, every minute) posting each event to the test's collector. */
function triggerWorkflow(collectorUrl: string) {
	return {
		id: WORKFLOW,
		name: 'Bonita new tasks',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'trigger',
				name: 'Bonita Trigger',
				type: '@bpm-connect/n8n-nodes-bpm.bonitaTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newTask' },
				credentials: { bonitaApi: { id: 'bonitaSim', name: 'Bonita simulator' } },
			},
			{
				id: 'post',
				name: 'Post Event',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [240, 0],
				parameters: { method: 'POST', url: `${collectorUrl}/events`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ eventId: $json.eventId, id: $json.id }) }}', options: {} },
			},
		],
		connections: { 'Bonita Trigger': { main: [[{ node: 'Post Event', type: 'main', index: 0 }]] } },
	};
}

describe('Bonita Trigger in real n8n (n8n start, an active workflow): each new task emitted exactly once', function () {
	this.timeout(15 * 60 * 1000);
	let bonita: BonitaSimulator;
	let collector: EventCollector;

	before(async () => {
		[bonita, collector] = await Promise.all([startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } }), eventCollector()]);
	});
	after(async () => {
		await Promise.all([bonita?.close(), collector?.close()]);
	});

	it('1,000 tasks in bursts, n8n restarted between them (each start re-activates and polls at once), sessions expired once: 0 missed, 0 duplicated', async () => {
		const options: N8nServerOptions = {
			runtime: await ensureN8n(),
			packageTgz: packageTgz(),
			owner: OWNER,
			credentials: [{ id: 'bonitaSim', name: 'Bonita simulator', type: 'bonitaApi', data: { url: bonita.url, username: SIM_USER, password: MARKER_PASSWORD } }],
			workflows: [triggerWorkflow(collector.url)],
			publish: [WORKFLOW],
		};
		const polls = () => bonita.requests.filter((request) => request.path.endsWith('/API/bpm/humanTask')).length;
		bonita.bulkCreateTasks(25, PROCESS_REGISTRATION); // there before the activation: never emitted
		progress('n8n trigger e2e: first start (activation polls once: the starting point)');
		let n8n: N8nServer = await startN8nServer(options);
		const home = n8n.home;
		const created: string[] = [];
		const restart = async (what: string, beforeStart?: () => void) => {
			progress(`n8n trigger e2e: restart (${what})`);
			const before = polls();
			await n8n.stop({ keepHome: true });
			beforeStart?.();
			n8n = await startN8nServer({ ...options, home });
			await until(() => polls() > before, 'the activation poll', 60_000);
		};
		const allCollected = (what: string) => until(() => collector.ids().length >= created.length, `${what}: ${created.length} events`, 120_000);
		try {
			await until(() => polls() > 0, 'the first activation poll', 60_000);
			expect(collector.ids(), 'the tasks there before').to.deep.equal([]);

			await restart('burst 1 of 300 waiting', () => created.push(...bonita.bulkCreateTasks(300, PROCESS_REGISTRATION)));
			await allCollected('burst 1');

			await restart('burst 2 of 300 waiting, every session expired', () => {
				created.push(...bonita.bulkCreateTasks(300, PROCESS_REGISTRATION));
				bonita.expireSessions();
			});
			await allCollected('burst 2');

			await restart('bursts 3 and 4 of 200 waiting', () => {
				created.push(...bonita.bulkCreateTasks(200, PROCESS_REGISTRATION));
				created.push(...bonita.bulkCreateTasks(200, PROCESS_REGISTRATION));
			});
			await allCollected('bursts 3 and 4');

			// One more activation finds nothing new: nothing is emitted twice.
			await restart('nothing new');
			await new Promise((resolve) => setTimeout(resolve, 3000));

			const ids = collector.ids();
			const duplicates = ids.length - new Set(ids).size;
			const missed = created.filter((id) => !ids.includes(id));
			progress(`n8n trigger e2e: ${created.length} tasks, ${ids.length} events, ${missed.length} missed, ${duplicates} duplicated, ${bonita.stats.logins} logins`);
			expect(created).to.have.length(1000);
			expect(missed, 'missed').to.deep.equal([]);
			expect(duplicates, 'duplicated').to.equal(0);
			expect(collector.eventIds().every((eventId) => /^bonita:newTask:\d+:/.test(eventId))).to.equal(true);
			// One session per n8n process: five starts; the expiry falls between two of them.
			expect(bonita.stats.logins).to.be.at.most(5);
		} finally {
			await n8n.stop();
		}
	});
});
