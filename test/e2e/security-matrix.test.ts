import { expect } from 'chai';
import { startFaultServer, type FaultServer } from '../peers/fault-server';
import { createTestPki } from '../peers/pki';
import { startTlsServer, type TlsServer } from '../peers/tls-server';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { createN8nHome, nodeOutput, type N8nHome } from '../support/n8n-runner';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureN8n, ensureNodeRed4, ensureNodeRed5, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz } from './package-under-test';

/** A hostile server's tricks, then an ordinary call: each is reported on its own and the node carries on. */
interface Case {
	name: string;
	url: (fault: FaultServer, tls: TlsServer) => string;
	options?: Record<string, unknown>;
	expect: { ok: true } | { ok: false; kind: string; message: RegExp };
}

const LIMIT = { maxResponseBytes: 1_000_000 };
const CASES: Case[] = [
	{ name: 'huge', url: (f) => `${f.url}/huge/5000000`, options: LIMIT, expect: { ok: false, kind: 'network', message: /larger than the 1000000-byte limit/ } },
	{ name: 'gzipBomb', url: (f) => `${f.url}/huge/500000000?gzip=1`, options: LIMIT, expect: { ok: false, kind: 'network', message: /larger than the 1000000-byte limit/ } },
	{ name: 'forever', url: (f) => `${f.url}/forever?intervalMs=50`, options: { deadlineMs: 1000 }, expect: { ok: false, kind: 'timeout', message: /1000 ms deadline/ } },
	{ name: 'bareLf', url: (f) => `${f.url}/crlf-header?mode=lf`, expect: { ok: false, kind: 'network', message: /malformed HTTP response/ } },
	{ name: 'nul', url: (f) => `${f.url}/crlf-header?mode=nul`, expect: { ok: false, kind: 'network', message: /malformed HTTP response/ } },
	{ name: 'selfSigned', url: (_f, t) => `${t.url}/hello`, expect: { ok: false, kind: 'tls', message: /certificate was refused/ } },
	{ name: 'proto', url: (f) => `${f.url}/json/proto`, expect: { ok: true } },
	{ name: 'after', url: (f) => `${f.url}/echo`, expect: { ok: true } },
];

type Result = { ok: true; status: number; text: string } | { ok: false; error: { kind: string; message: string } };

function checkResults(results: Record<string, Result>) {
	for (const c of CASES) {
		const result = results[c.name];
		expect(result?.ok, `${c.name}: ${JSON.stringify(result)?.slice(0, 300)}`).to.equal(c.expect.ok);
		if (!c.expect.ok && !result.ok) {
			expect(result.error.kind, c.name).to.equal(c.expect.kind);
			expect(result.error.message, c.name).to.match(c.expect.message);
		}
	}
	const proto = results.proto as Extract<Result, { ok: true }>;
	expect(proto.text).to.contain('"ok":true').and.not.to.contain('polluted');
}

/** Two credentials for one host: two logins, two cookie jars, each call made as its own user. */
function checkSeparateSessions(simulator: BonitaSimulator, users: string[]) {
	expect(simulator.stats.logins).to.equal(2);
	const cookies = simulator.requests.filter((r) => r.path.endsWith('/API/system/session/unusedId')).map((r) => String(r.headers.cookie));
	expect(cookies).to.have.length(2);
	const sessionIds = cookies.map((cookie) => /JSESSIONID=([^;]+)/.exec(cookie)?.[1]);
	expect(new Set(sessionIds).size, cookies.join(' | ')).to.equal(2);
	expect(users).to.deep.equal(['walter.bates', 'helen.kelly']);
}

const SIM_USERS = { 'walter.bates': MARKER_PASSWORD, 'helen.kelly': `${MARKER_PASSWORD}-2` };

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`a hostile server and shared hosts in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		let fault: FaultServer;
		let tls: TlsServer;
		let simulator: BonitaSimulator;
		let nodeRed: NodeRedInstance;

		before(async () => {
			[fault, tls, simulator] = await Promise.all([startFaultServer(), createTestPki().then((pki) => startTlsServer(pki, { cert: 'self-signed' })), startBonitaSimulator({ users: SIM_USERS })]);
			const tab = 'sec-tab';
			const reply = (id: string, to: string) => ({ id, type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to, tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [['sec-out']] });
			nodeRed = await startNodeRed({
				runtime: await runtime(),
				packageTgz: packageTgz(),
				flows: [
					{ id: tab, type: 'tab', label: 'security' },
					{ id: 'sec-out', type: 'http response', z: tab, wires: [] },
					{ id: 'sec-json', type: 'function', z: tab, func: 'msg.payload = { ok: true, status: msg.statusCode, text: JSON.stringify(msg.payload) }; delete msg.headers; msg.statusCode = 200; return msg;', outputs: 1, wires: [['sec-out']] },
					reply('sec-error', '{"ok": false, "error": error}'),
					...CASES.flatMap((c) => [
						{ id: `in-${c.name}`, type: 'http in', z: tab, url: `/${c.name}`, method: 'get', wires: [[`req-${c.name}`]] },
						{ id: `req-${c.name}`, type: 'bpm-request', z: tab, auth: 'none', method: 'GET', url: c.url(fault, tls), ...c.options, wires: [['sec-json'], ['sec-error']] },
					]),
					{ id: 'sec-walter', type: 'bpm-bonita', url: simulator.url, credentials: { username: 'walter.bates', password: SIM_USERS['walter.bates'] } },
					{ id: 'sec-helen', type: 'bpm-bonita', url: simulator.url, credentials: { username: 'helen.kelly', password: SIM_USERS['helen.kelly'] } },
					...['walter', 'helen'].flatMap((who) => [
						{ id: `in-${who}`, type: 'http in', z: tab, url: `/${who}`, method: 'get', wires: [[`req-${who}`]] },
						{ id: `req-${who}`, type: 'bpm-request', z: tab, auth: 'bonita', bonita: `sec-${who}`, method: 'GET', url: 'API/system/session/unusedId', wires: [['sec-user'], ['sec-error']] },
					]),
					reply('sec-user', 'payload.user_name'),
				],
			});
		});
		after(async () => {
			await nodeRed?.stop();
			await Promise.all([fault?.close(), tls?.close(), simulator?.close()]);
		});

		it('reports each trick of a hostile server on the error output and carries on', async () => {
			const results: Record<string, Result> = {};
			for (const c of CASES) results[c.name] = (await nodeRed.request('GET', `/${c.name}`)).body as Result;
			checkResults(results);
		});

		it('keeps two credentials for the same host in two sessions with two cookie jars', async () => {
			const users = [(await nodeRed.request('GET', '/walter')).body, (await nodeRed.request('GET', '/helen')).body];
			checkSeparateSessions(simulator, users);
		});
	});
}

for (const version of N8N_VERSIONS) {
	describe(`a hostile server and shared hosts in real n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		let fault: FaultServer;
		let tls: TlsServer;
		let simulator: BonitaSimulator;
		let home: N8nHome;

		before(async () => {
			[fault, tls, simulator] = await Promise.all([startFaultServer(), createTestPki().then((pki) => startTlsServer(pki, { cert: 'self-signed' })), startBonitaSimulator({ users: SIM_USERS })]);
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			await home.importCredentials(
				Object.entries(SIM_USERS).map(([username, password], i) => ({ id: `bpmcSec${i}`, name: username, type: 'bonitaApi', data: { url: simulator.url, username, password } })),
			);
			const request = (name: string, y: number, parameters: object, credentials?: object) => ({
				id: name,
				name,
				type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
				typeVersion: 1,
				position: [400, y],
				onError: 'continueErrorOutput',
				parameters: { method: 'GET', ...parameters },
				...(credentials ? { credentials } : {}),
			});
			const nodes = [
				{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				...CASES.map((c, i) => request(c.name, i * 150, { authentication: 'none', url: c.url(fault, tls), options: c.options ?? {} })),
				...Object.keys(SIM_USERS).map((username, i) =>
					request(username, 1500 + i * 150, { authentication: 'bonitaApi', url: 'API/system/session/unusedId' }, { bonitaApi: { id: `bpmcSec${i}`, name: username } }),
				),
			];
			const chain = [...CASES.map((c) => c.name), ...Object.keys(SIM_USERS)];
			await home.importWorkflows([
				{
					id: 'bpmcSecurity',
					name: 'security',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes,
					// One after the other (success and error alike), so the cases do not race and the sessions log in in order.
					connections: Object.fromEntries(
						['Start', ...chain.slice(0, -1)].map((from, i) => [from, { main: from === 'Start' ? [[{ node: chain[i], type: 'main', index: 0 }]] : [[{ node: chain[i], type: 'main', index: 0 }], [{ node: chain[i], type: 'main', index: 0 }]] }]),
					),
				},
			]);
		});
		after(async () => {
			await home?.remove();
			await Promise.all([fault?.close(), tls?.close(), simulator?.close()]);
		});

		it('reports each trick of a hostile server on the error output, carries on, and keeps two credentials for one host apart', async () => {
			const run = await home.execute('bpmcSecurity');
			expect(run.status, run.stderr).to.equal('success');
			const results: Record<string, Result> = {};
			for (const c of CASES) {
				const [success] = nodeOutput(run, c.name, 0);
				const [failure] = nodeOutput(run, c.name, 1) ?? [];
				results[c.name] = success ? { ok: true, status: success.json.statusCode, text: JSON.stringify(success.json.body) } : { ok: false, error: failure.json.error };
			}
			checkResults(results);
			checkSeparateSessions(
				simulator,
				Object.keys(SIM_USERS).map((username) => nodeOutput(run, username, 0)[0].json.body.user_name),
			);
			expect(JSON.stringify(run.raw) + run.stdout + run.stderr).not.to.contain(MARKER_PASSWORD);
		});
	});
}
