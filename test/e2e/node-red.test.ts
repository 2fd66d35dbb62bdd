import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureNodeRed4, ensureNodeRed5 } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, SIM_USER, until } from './package-under-test';

type FlowNode = Record<string, unknown> & { id: string; type: string };

const TAB = 'e2e-tab';
const set = (path: string, to: string, tot = 'jsonata') => ({ t: 'set', p: path, pt: 'msg', to, tot });
const del = (path: string) => ({ t: 'delete', p: path, pt: 'msg' });

/**
 * http in → list processes → start case → expire every session → list the case's ready tasks → execute the task → http response.
 * Every error output leads to one reply carrying msg.error.
 */
function caseFlow(simulator: BonitaSimulator): FlowNode[] {
	const server = 'e2e-bonita';
	const request = (id: string, method: string, url: string, next: string, serverId: string | '' = server): FlowNode => ({
		id,
		type: 'bpm-request',
		z: TAB,
		auth: serverId ? 'bonita' : 'none',
		bonita: serverId,
		method,
		url,
		wires: [[next], ['e2e-error']],
	});
	const change = (id: string, rules: object[], next: string): FlowNode => ({ id, type: 'change', z: TAB, rules, wires: [[next]] });
	return [
		{ id: TAB, type: 'tab', label: 'e2e' },
		{ id: server, type: 'bpm-bonita', url: simulator.url, credentials: { username: SIM_USER, password: MARKER_PASSWORD } },
		{ id: 'e2e-bad', type: 'bpm-bonita', url: simulator.url, credentials: { username: SIM_USER, password: 'not-the-password' } },
		{ id: 'e2e-in', type: 'http in', z: TAB, url: '/case', method: 'post', wires: [['e2e-list']] },
		request('e2e-list', 'GET', 'API/bpm/process?p=0&c=10&f=name%3DRegistration', 'e2e-to-start'),
		change('e2e-to-start', [set('url', '"API/bpm/process/" & payload[0].id & "/instantiation"'), set('payload', '{"name":"Walter"}', 'json')], 'e2e-start'),
		request('e2e-start', 'POST', '', 'e2e-to-expire'),
		change('e2e-to-expire', [set('caseId', 'payload.caseId'), set('url', `"${simulator.origin}/_sim/expire"`), set('payload', '{}', 'json')], 'e2e-expire'),
		request('e2e-expire', 'POST', '', 'e2e-to-tasks', ''),
		change('e2e-to-tasks', [set('url', '"API/bpm/humanTask?p=0&c=10&f=state%3Dready&f=caseId%3D" & caseId')], 'e2e-tasks'),
		request('e2e-tasks', 'GET', '', 'e2e-to-execute'),
		change('e2e-to-execute', [set('task', 'payload[0]'), set('url', '"API/bpm/userTask/" & payload[0].id & "/execution?assign=true"'), set('payload', '{}', 'json')], 'e2e-execute'),
		request('e2e-execute', 'POST', '', 'e2e-to-reply'),
		change('e2e-to-reply', [set('payload', '{"caseId": caseId, "task": task, "executed": statusCode}'), del('headers'), set('statusCode', '200')], 'e2e-out'),
		{ id: 'e2e-in-bad', type: 'http in', z: TAB, url: '/bad', method: 'get', wires: [['e2e-bad-list']] },
		request('e2e-bad-list', 'GET', 'API/bpm/process', 'e2e-to-reply', 'e2e-bad'),
		{ id: 'e2e-in-malformed', type: 'http in', z: TAB, url: '/malformed', method: 'get', wires: [['e2e-malformed']] },
		request('e2e-malformed', 'GET', 'http://exa mple/x', 'e2e-to-reply'),
		{ id: 'e2e-status', type: 'status', z: TAB, scope: ['e2e-list'], wires: [['e2e-status-log']] },
		{ id: 'e2e-status-log', type: 'debug', z: TAB, name: 'session status', active: true, tosidebar: false, console: true, complete: 'status.text', targetType: 'msg', wires: [] },
		change('e2e-error', [set('payload', 'error'), del('headers'), set('statusCode', '502')], 'e2e-out'),
		{ id: 'e2e-out', type: 'http response', z: TAB, wires: [] },
	];
}

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`end to end in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		let simulator: BonitaSimulator;
		let nodeRed: NodeRedInstance;

		before(async () => {
			simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows: caseFlow(simulator) });
		});
		after(async () => {
			await nodeRed?.stop();
			await simulator?.close();
		});

		it('starts a case and completes its task across a forced session expiry, with exactly two logins', async () => {
			const reply = await nodeRed.request('POST', '/case', {});
			expect(reply.status, reply.text).to.equal(200);
			expect(reply.body.caseId).to.be.a('number');
			expect(reply.body.task.caseId).to.equal(String(reply.body.caseId));
			expect(reply.body.executed).to.equal(204);
			expect(simulator.stats.logins).to.equal(2);
			expect(simulator.stats.unauthorized).to.be.greaterThan(0);
			await until(() => /session status[\s\S]*logged-in/.test(nodeRed.logs()), 'the logged-in status');
			expect(nodeRed.logs()).to.match(/session status[\s\S]*logging-in/);
		});

		it('sends bad input to the error output, naming the field, and keeps serving', async () => {
			const reply = await nodeRed.request('GET', '/malformed');
			expect(reply.status).to.equal(502);
			expect(reply.body).to.include({ kind: 'input', field: 'url' });
			expect(reply.body.message).to.contain('not a valid URL');
			expect((await nodeRed.request('GET', '/malformed')).status).to.equal(502);
		});

		it('sends a refused login to the error output with a clear message and no password', async () => {
			const reply = await nodeRed.request('GET', '/bad');
			expect(reply.status).to.equal(502);
			expect(reply.body.kind).to.equal('login');
			expect(reply.body.message).to.equal('Bonita rejected the username or password (401)');
			expect(reply.body.source.type).to.equal('bpm-request');
			expect(reply.text).not.to.contain('not-the-password');
		});

		it('never writes a password or token to the Node-RED log', () => {
			expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
			expect(nodeRed.logs()).not.to.contain('not-the-password');
		});
	});
}
