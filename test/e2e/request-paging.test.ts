import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { createN8nHome, nodeOutput, type N8nHome } from '../support/n8n-runner';
import { bpmRequestNode, n8nWorkflow } from '../support/n8n-workflow';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureN8n, ensureNodeRed4, ensureNodeRed5, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, SIM_USER } from './package-under-test';

/** Ready tasks of every user, highest priority first: the seed's and the bulk ones, over three pages of 100. */
const TASKS_URL = 'API/bpm/humanTask?f=state%3Dready&o=priority%20DESC';
const BULK = 250;

/** Every ready task's id as the simulator orders them, read in one call: what paging must give back. */
async function expectedIds(simulator: BonitaSimulator): Promise<string[]> {
	const login = await fetch(`${simulator.url}/loginservice`, { method: 'POST', body: new URLSearchParams({ username: SIM_USER, password: MARKER_PASSWORD, redirect: 'false' }), redirect: 'manual' });
	const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
	const answer = await fetch(`${simulator.url}/${TASKS_URL}&p=0&c=100000`, { headers: { cookie } });
	return ((await answer.json()) as Array<{ id: string }>).map((task) => task.id);
}

describe('request node paging (Bonita preset) in real runtimes', function () {
	this.timeout(10 * 60 * 1000);
	let simulator: BonitaSimulator;
	let expected: string[];

	before(async () => {
		simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD }, bulkTasks: BULK });
		expected = await expectedIds(simulator);
		expect(expected.length).to.be.greaterThan(BULK);
	});
	after(() => simulator?.close());
	beforeEach(() => simulator.resetStats());

	for (const [label, runtime] of [
		['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
		['Node-RED 5 (Node 24)', ensureNodeRed5],
	] as const) {
		describe(label, () => {
			let nodeRed: NodeRedInstance;
			before(async () => {
				const tab = 'paging-tab';
				const request = (id: string, paging: Record<string, unknown>) => ({ id, type: 'bpm-request', z: tab, auth: 'bonita', bonita: 'paging-bonita', method: 'GET', url: TASKS_URL, pagination: 'bonita', ...paging, wires: [['paging-reply'], ['paging-error']] });
				nodeRed = await startNodeRed({
					runtime: await runtime(),
					packageTgz: packageTgz(),
					flows: [
						{ id: tab, type: 'tab', label: 'paging' },
						{ id: 'paging-bonita', type: 'bpm-bonita', url: simulator.url, credentials: { username: SIM_USER, password: MARKER_PASSWORD } },
						{ id: 'paging-all-in', type: 'http in', z: tab, url: '/all', method: 'get', wires: [['paging-all']] },
						request('paging-all', { returnAll: true, pageSize: 100 }),
						{ id: 'paging-limit-in', type: 'http in', z: tab, url: '/limit', method: 'get', wires: [['paging-limit']] },
						request('paging-limit', { returnAll: false, limit: 30 }),
						{ id: 'paging-reply', type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"ids": payload.id, "pages": pages, "total": total}', tot: 'jsonata' }], wires: [['paging-out']] },
						{ id: 'paging-error', type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'error', tot: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '502', tot: 'num' }], wires: [['paging-out']] },
						{ id: 'paging-out', type: 'http response', z: tab, wires: [] },
					],
				});
			});
			after(() => nodeRed?.stop());

			it('reads every page in order into one message, with one login', async () => {
				const reply = await nodeRed.request('GET', '/all');
				expect(reply.status, reply.text).to.equal(200);
				expect(reply.body.ids).to.deep.equal(expected);
				expect(reply.body.pages).to.equal(Math.ceil(expected.length / 100));
				expect(reply.body.total).to.equal(expected.length);
				expect(simulator.stats.logins).to.equal(1);
			});

			it('stops at the limit, fetching only the page needed', async () => {
				const before = simulator.requests.length;
				const reply = await nodeRed.request('GET', '/limit');
				expect(reply.body.ids).to.deep.equal(expected.slice(0, 30));
				expect(reply.body.pages).to.equal(1);
				expect(simulator.requests.slice(before).filter((request) => request.path.endsWith('/humanTask'))).to.have.length(1);
			});
		});
	}

	for (const version of N8N_VERSIONS) {
		describe(`n8n ${version}`, () => {
			let home: N8nHome;
			before(async () => {
				home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
				await home.importCredentials([{ id: 'pagingBonita', name: 'Bonita simulator', type: 'bonitaApi', data: { url: simulator.url, username: SIM_USER, password: MARKER_PASSWORD } }]);
				const credentials = { bonitaApi: { id: 'pagingBonita', name: 'Bonita simulator' } };
				await home.importWorkflows([
					n8nWorkflow('bpmcPagingAll1', 'paging: all', [[bpmRequestNode('Tasks', { authentication: 'bonitaApi', method: 'GET', url: TASKS_URL, pagination: 'bonita', returnAll: true, options: {} }, { credentials })]]),
					n8nWorkflow('bpmcPagingLim1', 'paging: limit', [[bpmRequestNode('Tasks', { authentication: 'bonitaApi', method: 'GET', url: TASKS_URL, pagination: 'bonita', returnAll: false, limit: 30, options: {} }, { credentials })]]),
				]);
			});
			after(() => home?.remove());

			it('puts out one item per task of every page, in order, with one login', async () => {
				const run = await home.execute('bpmcPagingAll1');
				expect(run.status, run.stderr).to.equal('success');
				const items = nodeOutput(run, 'Tasks');
				expect(items.map((item: { json: { id: string } }) => item.json.id)).to.deep.equal(expected);
				expect(items.every((item: { pairedItem: { item: number } }) => item.pairedItem.item === 0)).to.equal(true);
				expect(simulator.stats.logins).to.equal(1);
			});

			it('stops at Limit', async () => {
				const run = await home.execute('bpmcPagingLim1');
				expect(nodeOutput(run, 'Tasks').map((item: { json: { id: string } }) => item.json.id)).to.deep.equal(expected.slice(0, 30));
			});
		});
	}
});
