import { expect } from 'chai';
import { startFaultServer, type FaultServer } from '../peers/fault-server';
import { createTestPki } from '../peers/pki';
import { startTinyproxy, type RunningProxy } from '../peers/proxies';
import { startTlsServer } from '../peers/tls-server';
import { createN8nHome, nodeOutput, type N8nHome } from '../support/n8n-runner';
import { bpmRequestNode, n8nWorkflow } from '../support/n8n-workflow';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureN8n, ensureNodeRed4, ensureNodeRed5, N8N_VERSIONS } from '../support/runtimes';
import { packageTgz } from './package-under-test';

/** One case per engine option, run the same way in both runtimes. */
interface Case {
	name: string;
	method: string;
	url: (fault: FaultServer, other: FaultServer) => string;
	options: Record<string, unknown>;
	headers?: Record<string, string>;
}

const CASES: Case[] = [
	{ name: 'retry', method: 'GET', url: (f) => `${f.url}/burst/2/503?key=RUN`, options: { maxAttempts: 3, retryDelayMs: 10 } },
	{ name: 'except', method: 'GET', url: (f) => `${f.url}/status/404`, options: { exceptCodes: '404' } },
	{ name: 'deadline', method: 'GET', url: (f) => `${f.url}/trickle?bytes=40&intervalMs=100`, options: { deadlineMs: 500 } },
	{ name: 'redirect', method: 'GET', url: (f, o) => `${f.url}/redirect?to=${encodeURIComponent(`${o.url}/echo`)}`, options: {}, headers: { Authorization: 'Bearer e2e-secret', 'X-API-Key': 'e2e-key', 'X-Bonita-API-Token': 'e2e-token', Cookie: 'JSESSIONID=e2e-session' } },
	{ name: 'badcodes', method: 'GET', url: (f) => `${f.url}/echo`, options: { retryCodes: '429, soon' } },
];

function checkResults(results: Record<string, { ok: boolean; status?: number; error?: any }>, fault: FaultServer, other: FaultServer, run: string) {
	expect(results.retry, 'retry').to.include({ ok: true, status: 200 });
	expect(fault.requests.filter((r) => r.url.includes(`key=${run}`))).to.have.length(3);
	expect(results.except, 'except').to.include({ ok: true, status: 404 });
	expect(results.deadline.ok, 'deadline').to.equal(false);
	expect(results.deadline.error.kind).to.equal('timeout');
	expect(results.redirect, 'redirect').to.include({ ok: true, status: 200 });
	expect(other.requests.at(-1)!.headers).not.to.have.any.keys('authorization', 'x-api-key', 'x-bonita-api-token', 'cookie');
	expect(fault.requests.find((r) => r.path === '/redirect')!.headers).to.include({ 'x-bonita-api-token': 'e2e-token', cookie: 'JSESSIONID=e2e-session' });
	expect(results.badcodes.ok).to.equal(false);
	expect(results.badcodes.error).to.include({ kind: 'input', field: 'retryCodes' });
}

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`engine options in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		let fault: FaultServer;
		let other: FaultServer;
		let proxy: RunningProxy;
		let nodeRed: NodeRedInstance;
		let tlsServer: Awaited<ReturnType<typeof startTlsServer>>;
		const run = `nr${label.replace(/\W/g, '')}`;

		before(async () => {
			[fault, other, proxy] = await Promise.all([startFaultServer(), startFaultServer(), startTinyproxy({ user: 'pu', password: 'pp' })]);
			const pki = await createTestPki();
			tlsServer = await startTlsServer(pki, { requireClientCert: true });
			const tab = 'opt-tab';
			const flows: object[] = [
				{ id: tab, type: 'tab', label: 'options' },
				{ id: 'opt-proxy', type: 'http proxy', url: proxy.url, noproxy: [], credentials: { username: 'pu', password: 'pp' } },
				{ id: 'opt-reply-ok', type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"ok": true, "status": statusCode}', tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [['opt-out']] },
				{ id: 'opt-reply-error', type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: '{"ok": false, "error": error}', tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [['opt-out']] },
				{ id: 'opt-out', type: 'http response', z: tab, wires: [] },
				...[...CASES, { name: 'proxy', method: 'GET', url: (f: FaultServer) => `${f.url}/echo`, options: { proxy: 'opt-proxy' } }].flatMap((c) => [
					{ id: `in-${c.name}`, type: 'http in', z: tab, url: `/${c.name}`, method: 'get', wires: [[`hdr-${c.name}`]] },
					{ id: `hdr-${c.name}`, type: 'change', z: tab, rules: [{ t: 'set', p: 'headers', pt: 'msg', to: JSON.stringify(c.headers ?? {}), tot: 'json' }], wires: [[`req-${c.name}`]] },
					{ id: `req-${c.name}`, type: 'bpm-request', z: tab, method: c.method, url: c.url(fault, other).replace('RUN', run), ...c.options, wires: [['opt-reply-ok'], ['opt-reply-error']] },
				]),
			];
			flows.push(
				{ id: 'opt-tls', type: 'tls-config', cert: pki.client.certPath, key: pki.client.keyPath, ca: pki.ca.certPath, verifyservercert: true },
				{ id: 'in-mtls', type: 'http in', z: tab, url: '/mtls', method: 'get', wires: [['req-mtls']] },
				{ id: 'req-mtls', type: 'bpm-request', z: tab, auth: 'none', method: 'GET', url: `${tlsServer.url}/hello`, tls: 'opt-tls', wires: [['opt-reply-ok'], ['opt-reply-error']] },
				{ id: 'in-upload', type: 'http in', z: tab, url: '/upload', method: 'get', wires: [['prep-upload']] },
				{ id: 'prep-upload', type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'hello upload', tot: 'str' }, { t: 'set', p: 'headers', pt: 'msg', to: '{"content-type":"text/plain"}', tot: 'json' }, { t: 'set', p: 'cookies', pt: 'msg', to: '{"flavour":"oat"}', tot: 'json' }], wires: [['req-upload']] },
				{ id: 'req-upload', type: 'bpm-request', z: tab, auth: 'none', method: 'POST', url: `${fault.url}/echo`, bodyType: 'multipart', multipartField: 'document', contextHeaders: true, wires: [['opt-reply-echo'], ['opt-reply-error']] },
				{ id: 'opt-reply-echo', type: 'change', z: tab, rules: [{ t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [['opt-out']] },
			);
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows });
		});
		after(async () => {
			await nodeRed?.stop();
			await Promise.all([fault?.close(), other?.close(), proxy?.close(), tlsServer?.close()]);
		});

		it('presents a client certificate from a core tls-config node', async () => {
			const reply = await nodeRed.request('GET', '/mtls');
			expect(reply.body, reply.text).to.include({ ok: true, status: 200 });
			expect(tlsServer.lastClient().authorized).to.equal(true);
		});

		it('applies retry, exception codes, the deadline, safe redirects and code-list validation', async () => {
			const results: Record<string, any> = {};
			for (const c of CASES) results[c.name] = (await nodeRed.request('GET', `/${c.name}`)).body;
			checkResults(results, fault, other, run);
		});

		it('uploads a multipart file with cookies and context headers', async () => {
			const echoed = (await nodeRed.request('GET', '/upload')).body;
			expect(echoed.headers['content-type']).to.match(/^multipart\/form-data; boundary=/);
			expect(echoed.body).to.contain('name="document"; filename="file"').and.contain('hello upload');
			expect(echoed.headers.cookie).to.equal('flavour=oat');
			expect(echoed.headers['x-node-red-node-id']).to.equal('req-upload');
			expect(echoed.headers['x-node-red-flow-id']).to.equal('opt-tab');
		});

		it('goes through a core http proxy config node with its credentials', async () => {
			const reply = await nodeRed.request('GET', '/proxy');
			expect(reply.body, reply.text).to.include({ ok: true, status: 200 });
			expect(fault.requests.at(-1)!.headers.via).to.contain('tinyproxy');
		});
	});
}

for (const version of N8N_VERSIONS) {
	describe(`engine options in real n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		let fault: FaultServer;
		let other: FaultServer;
		let home: N8nHome;

		before(async () => {
			[fault, other] = await Promise.all([startFaultServer(), startFaultServer()]);
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			const call = (c: (typeof CASES)[number]) =>
				bpmRequestNode(
					c.name,
					{
						authentication: 'none',
						method: c.method,
						url: c.url(fault, other).replace('RUN', 'n8n'),
						sendHeaders: Boolean(c.headers),
						headerParameters: { parameters: Object.entries(c.headers ?? {}).map(([name, value]) => ({ name, value })) },
						options: c.options,
					},
					{ onError: 'continueErrorOutput' },
				);
			await home.importWorkflows([n8nWorkflow('bpmcOptions1', 'engine options', CASES.map((c) => [call(c)]))]);
		});
		after(async () => {
			await home?.remove();
			await Promise.all([fault?.close(), other?.close()]);
		});

		it('presents a client certificate through an authenticated proxy, from the TLS and Proxy credential', async () => {
			const pki = await createTestPki();
			const [tlsServer, proxy] = await Promise.all([startTlsServer(pki, { requireClientCert: true }), startTinyproxy({ user: 'pu', password: 'pp' })]);
			try {
				await home.importCredentials([{ id: 'bpmcConn1', name: 'TLS and proxy', type: 'bpmConnectionApi', data: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, proxyUsername: 'pu', proxyPassword: 'pp' } }]);
				const call = bpmRequestNode('Call', { authentication: 'none', useConnectionCredential: true, method: 'GET', url: `${tlsServer.url}/hello`, options: { proxyUrl: proxy.url } }, { credentials: { bpmConnectionApi: { id: 'bpmcConn1', name: 'TLS and proxy' } } });
				await home.importWorkflows([n8nWorkflow('bpmcMtls1', 'mtls through proxy', [[call]])]);
				const run = await home.execute('bpmcMtls1');
				expect(run.status, run.stderr).to.equal('success');
				expect(nodeOutput(run, 'Call', 0)[0].json.statusCode).to.equal(200);
				expect(tlsServer.lastClient().authorized).to.equal(true);
				expect(proxy.logs()).to.contain('CONNECT');
				expect(JSON.stringify(run.raw)).not.to.contain(pki.client.key.slice(40, 80));
			} finally {
				await Promise.all([tlsServer.close(), proxy.close()]);
			}
		});

		it('uploads binary data as a multipart part with cookies and context headers', async () => {
			const makeFile = { name: 'Make file', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: "return [{ json: {}, binary: { data: { data: Buffer.from('hello upload').toString('base64'), mimeType: 'text/plain', fileName: 'hello.txt' } } }];" } };
			const upload = bpmRequestNode('Upload', {
				authentication: 'none',
				method: 'POST',
				url: `${fault.url}/echo`,
				sendBody: true,
				bodyType: 'multipart',
				multipartField: 'document',
				sendCookies: true,
				cookieParameters: { parameters: [{ name: 'flavour', value: 'oat' }] },
				options: { contextHeaders: true },
			});
			await home.importWorkflows([n8nWorkflow('bpmcUpload1', 'upload', [[makeFile, upload]])]);
			const run = await home.execute('bpmcUpload1');
			expect(run.status, run.stderr).to.equal('success');
			const echoed = nodeOutput(run, 'Upload', 0)[0].json.body;
			expect(echoed.body).to.contain('name="document"; filename="hello.txt"').and.contain('hello upload');
			expect(echoed.headers.cookie).to.equal('flavour=oat');
			expect(echoed.headers['x-n8n-workflow-id']).to.equal('bpmcUpload1');
			expect(echoed.headers['x-n8n-node-name']).to.equal('Upload');
		});

		it("resolves expressions per item, also inside a collection, and never carries one item's values into the next", async () => {
			const items = { name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: "return ['ann', 'bob', 'cyd'].map((who, i) => ({ json: { i, who } }));" } };
			const call = bpmRequestNode('Call', {
				authentication: 'none',
				method: 'POST',
				url: `${fault.url}/echo`,
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'fixed', value: 'yes' }] },
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'X-Fixed', value: 'same' }] },
				sendCookies: true,
				cookieParameters: { parameters: [{ name: 'item', value: '={{ $json.i }}' }] },
				sendBody: true,
				bodyType: 'json',
				jsonBody: '={{ JSON.stringify({ who: $json.who }) }}',
				// The shared header rows get the context headers added for each item, never kept from the one before.
				options: { contextHeaders: true },
			});
			await home.importWorkflows([n8nWorkflow('bpmcPerItem1', 'per item', [[items, call]])]);
			const run = await home.execute('bpmcPerItem1');
			expect(run.status, run.stderr).to.equal('success');
			const echoed = nodeOutput(run, 'Call', 0).map((item: { json: { body: Record<string, any> } }) => item.json.body);
			expect(echoed.map((e: Record<string, any>) => JSON.parse(e.body).who)).to.deep.equal(['ann', 'bob', 'cyd']);
			expect(echoed.map((e: Record<string, any>) => e.headers.cookie)).to.deep.equal(['item=0', 'item=1', 'item=2']);
			for (const e of echoed) {
				expect(e.query).to.deep.equal({ fixed: 'yes' });
				expect(e.headers['x-fixed']).to.equal('same');
				expect(e.rawHeaders.filter((name: string) => name.toLowerCase() === 'x-n8n-node-name')).to.have.length(1);
			}
		});

		it('applies retry, exception codes, the deadline, safe redirects and code-list validation', async () => {
			const run = await home.execute('bpmcOptions1');
			expect(run.status, run.stderr).to.equal('success');
			const results: Record<string, any> = {};
			for (const c of CASES) {
				const [success] = nodeOutput(run, c.name, 0);
				const [failure] = nodeOutput(run, c.name, 1) ?? [];
				results[c.name] = success ? { ok: true, status: success.json.statusCode } : { ok: false, error: failure.json.error };
			}
			checkResults(results, fault, other, 'n8n');
		});
	});
}
