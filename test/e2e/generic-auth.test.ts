import { expect } from 'chai';
import { LIGHTTPD_AREAS, startLighttpd, type Lighttpd } from '../peers/digest-servers';
import { startFaultServer, type FaultServer } from '../peers/fault-server';
import { CLIENTS, REDIRECT_URI, startOidcPeer, type OidcPeer } from '../peers/oidc-provider';
import { createN8nHome, nodeOutput, type N8nHome } from '../support/n8n-runner';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureN8n, ensureNodeRed4, ensureNodeRed5, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz } from './package-under-test';

const USER = 'digest-user';
const CALLS = 5;
const DIGEST_TARGET = `${LIGHTTPD_AREAS.sha512_256.path}file.txt`;
/** A token from the item or message, which a careless server echoes in a response header. */
const ITEM_TOKEN = `tok-${MARKER_PASSWORD}`;
const echoingToken = (fault: FaultServer, token = ITEM_TOKEN) => `${fault.url}/status/200?h=${encodeURIComponent(`X-Echo:${token}`)}`;
/** n8n prints a workflow's parameters with its run, so a token typed into a parameter must not be a marker secret. */
const PARAMETER_TOKEN = 'item-token-echo-4711';

/** CALLS sequential calls on one credential: one bare exchange, then the nonce is reused. */
async function expectOneChallenge(lighttpd: Lighttpd, run: string) {
	const logged = await lighttpd.settledRequests(CALLS + 1, `${DIGEST_TARGET}?run=${run}`);
	expect(logged.map((r) => r.status)).to.deep.equal([401, ...Array(CALLS).fill(200)]);
}

for (const [label, runtime] of [
	['Node-RED 4.1 (Node 20)', async () => ensureNodeRed4()],
	['Node-RED 5 (Node 24)', ensureNodeRed5],
] as const) {
	describe(`generic authentication in real ${label}`, function () {
		this.timeout(5 * 60 * 1000);
		let lighttpd: Lighttpd;
		let fault: FaultServer;
		let oidc: OidcPeer;
		let nodeRed: NodeRedInstance;
		const run = `nr${label.replace(/\W/g, '')}`;

		before(async () => {
			[lighttpd, fault, oidc] = await Promise.all([startLighttpd({ users: { [USER]: MARKER_PASSWORD } }), startFaultServer(), startOidcPeer()]);
			const tab = 'gen-tab';
			const reply = (id: string, to: string) => ({ id, type: 'change', z: tab, rules: [{ t: 'set', p: 'payload', pt: 'msg', to, tot: 'jsonata' }, { t: 'delete', p: 'headers', pt: 'msg' }, { t: 'set', p: 'statusCode', pt: 'msg', to: '200', tot: 'num' }], wires: [['gen-out']] });
			nodeRed = await startNodeRed({
				runtime: await runtime(),
				packageTgz: packageTgz(),
				flows: [
					{ id: tab, type: 'tab', label: 'generic auth' },
					{ id: 'gen-digest', type: 'bpm-auth', scheme: 'digest', baseUrl: lighttpd.url, credentials: { user: USER, password: MARKER_PASSWORD } },
					{ id: 'gen-cc', type: 'bpm-auth', scheme: 'oauth2ClientCredentials', tokenUrl: oidc.tokenUrl, clientId: CLIENTS.basic.clientId, clientAuthentication: 'basic', scope: 'api:read', credentials: { clientSecret: CLIENTS.basic.clientSecret } },
					{ id: 'gen-cc-post', type: 'bpm-auth', scheme: 'oauth2ClientCredentials', tokenUrl: oidc.tokenUrl, clientId: CLIENTS.post.clientId, clientAuthentication: 'body', credentials: { clientSecret: CLIENTS.post.clientSecret } },
					{ id: 'gen-cc-bad', type: 'bpm-auth', scheme: 'oauth2ClientCredentials', tokenUrl: oidc.tokenUrl, clientId: CLIENTS.post.clientId, clientAuthentication: 'body', credentials: { clientSecret: `wrong-${MARKER_PASSWORD}` } },
					{ id: 'gen-code', type: 'bpm-auth', scheme: 'oauth2AuthorizationCode', authorizationUrl: oidc.authorizationUrl, tokenUrl: oidc.tokenUrl, clientId: CLIENTS.public.clientId, redirectUri: REDIRECT_URI, scope: 'openid offline_access api:read' },
					{ id: 'gen-out', type: 'http response', z: tab, wires: [] },
					...(['authorizationUrl', 'authorizationCode', 'refreshToken'] as const).flatMap((operation) => [
						{ id: `in-${operation}`, type: 'http in', z: tab, url: `/${operation}`, method: 'get', wires: [[`query-${operation}`]] },
						{ id: `query-${operation}`, type: 'change', z: tab, rules: [{ t: 'set', p: 'code', pt: 'msg', to: 'req.query.code', tot: 'msg' }, { t: 'set', p: 'codeVerifier', pt: 'msg', to: 'req.query.verifier', tot: 'msg' }, { t: 'set', p: 'refreshToken', pt: 'msg', to: 'req.query.refresh', tot: 'msg' }], wires: [[`op-${operation}`]] },
						{ id: `op-${operation}`, type: 'bpm-oauth2-token', z: tab, auth: 'gen-code', operation, wires: [['code-reply'], ['gen-error']] },
					]),
					reply('code-reply', '{"ok": true, "payload": payload, "codeVerifier": codeVerifier, "accessToken": accessToken, "refreshToken": refreshToken}'),
					{ id: 'in-oauth', type: 'http in', z: tab, url: '/oauth', method: 'get', wires: [['req-oauth']] },
					{ id: 'req-oauth', type: 'bpm-request', z: tab, auth: 'generic', generic: 'gen-cc', method: 'GET', url: `${oidc.api.url}/resource`, wires: [['gen-ok'], ['gen-error']] },
					{ id: 'in-token-node', type: 'http in', z: tab, url: '/token-node', method: 'get', wires: [['token-node']] },
					{ id: 'token-node', type: 'bpm-oauth2-token', z: tab, auth: 'gen-cc-post', operation: 'clientCredentials', wires: [['keep-payload'], ['gen-error']] },
					{ id: 'keep-payload', type: 'change', z: tab, rules: [{ t: 'move', p: 'payload', pt: 'msg', to: 'tokenPayload', tot: 'msg' }], wires: [['req-with-token']] },
					{ id: 'req-with-token', type: 'bpm-request', z: tab, auth: 'msg', method: 'GET', url: `${oidc.api.url}/resource`, wires: [['token-reply'], ['gen-error']] },
					reply('token-reply', '{"ok": true, "status": statusCode, "body": payload, "tokenPayload": tokenPayload}'),
					{ id: 'in-token-bad', type: 'http in', z: tab, url: '/token-bad', method: 'get', wires: [['token-bad']] },
					{ id: 'token-bad', type: 'bpm-oauth2-token', z: tab, auth: 'gen-cc-bad', operation: 'clientCredentials', wires: [['gen-ok'], ['gen-error']] },
					reply('gen-ok', '{"ok": true, "status": statusCode, "body": payload}'),
					reply('gen-error', '{"ok": false, "error": error}'),
					{ id: 'in-digest', type: 'http in', z: tab, url: '/digest', method: 'get', wires: [['req-digest']] },
					{ id: 'req-digest', type: 'bpm-request', z: tab, auth: 'generic', generic: 'gen-digest', method: 'GET', url: `${DIGEST_TARGET}?run=${run}`, wires: [['gen-ok'], ['gen-error']] },
					{ id: 'in-token', type: 'http in', z: tab, url: '/token', method: 'get', wires: [['set-token']] },
					{ id: 'set-token', type: 'change', z: tab, rules: [{ t: 'set', p: 'accessToken', pt: 'msg', to: 'req.query.token', tot: 'msg' }], wires: [['req-token']] },
					{ id: 'req-token', type: 'bpm-request', z: tab, auth: 'msg', method: 'GET', url: `${fault.url}/status/401?body=denied`, wires: [['gen-ok'], ['gen-error']] },
					{ id: 'in-token-echo', type: 'http in', z: tab, url: '/token-echo', method: 'get', wires: [['set-token-echo']] },
					{ id: 'set-token-echo', type: 'change', z: tab, rules: [{ t: 'set', p: 'accessToken', pt: 'msg', to: ITEM_TOKEN, tot: 'str' }], wires: [['req-token-echo']] },
					{ id: 'req-token-echo', type: 'bpm-request', z: tab, auth: 'msg', method: 'GET', url: echoingToken(fault), wires: [['echo-headers'], ['gen-error']] },
					reply('echo-headers', '{"ok": true, "headers": headers}'),
					{ id: 'gen-key', type: 'bpm-auth', scheme: 'header', headerName: 'X-API-Key', credentials: { value: MARKER_PASSWORD } },
					{ id: 'gen-basic', type: 'bpm-auth', scheme: 'basic', credentials: { user: 'ana', password: MARKER_PASSWORD } },
					...['key', 'basic'].flatMap((scheme) => [
						{ id: `in-${scheme}`, type: 'http in', z: tab, url: `/${scheme}`, method: 'get', wires: [[`req-${scheme}`]] },
						// Not /echo: an echoed secret in a body is the server's data, which no node masks.
						{ id: `req-${scheme}`, type: 'bpm-request', z: tab, auth: 'generic', generic: `gen-${scheme}`, method: 'GET', url: `${fault.url}/status/200?as=${scheme}`, wires: [['gen-ok'], ['gen-error']] },
					]),
				],
			});
		});
		after(async () => {
			await nodeRed?.stop();
			await Promise.all([lighttpd?.close(), fault?.close(), oidc?.close()]);
		});

		it('answers lighttpd SHA-512-256 Digest, reusing the nonce across messages', async () => {
			for (let i = 0; i < CALLS; i++) {
				const reply = await nodeRed.request('GET', '/digest');
				expect(reply.body, reply.text).to.deep.include({ ok: true, status: 200, body: `ok ${LIGHTTPD_AREAS.sha512_256.path}\n` });
			}
			await expectOneChallenge(lighttpd, run);
			expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
		});

		it('fetches one client-credentials token for many calls, and one new token when the API refuses it', async () => {
			for (let i = 0; i < 3; i++) {
				const reply = await nodeRed.request('GET', '/oauth');
				expect(reply.body, reply.text).to.deep.include({ ok: true, status: 200 });
			}
			const grants = () => oidc.tokenRequests.filter((r) => r.clientId === CLIENTS.basic.clientId);
			expect(grants().map((r) => [r.clientAuth, r.scope, r.status])).to.deep.equal([['basic', 'api:read', 200]]);
			await oidc.api.revoke(grants()[0].issuedAccessToken!);
			const afterRevoke = await nodeRed.request('GET', '/oauth');
			expect(afterRevoke.body, afterRevoke.text).to.deep.include({ ok: true, status: 200 });
			expect(grants()).to.have.length(2);
			expect(oidc.api.requests.slice(-2).map((r) => r.status)).to.deep.equal([401, 200]);
		});

		it('hands a token from bpm-oauth2-token to bpm-request in msg.accessToken, never in msg.payload', async () => {
			const reply = await nodeRed.request('GET', '/token-node');
			expect(reply.body, reply.text).to.deep.include({ ok: true, status: 200 });
			expect(reply.body.tokenPayload).to.include({ tokenType: 'bearer' }).and.not.to.have.property('accessToken');
			expect(oidc.tokenRequests.filter((r) => r.clientId === CLIENTS.post.clientId).map((r) => r.clientAuth)).to.deep.equal(['body']);
		});

		it('runs the authorization code flow with PKCE through bpm-oauth2-token: link, code exchange, refresh', async () => {
			const link = (await nodeRed.request('GET', '/authorizationUrl')).body;
			expect(link.payload.authorizationUrl).to.match(new RegExp(`^${oidc.authorizationUrl}\\?`)).and.to.contain('code_challenge_method=S256');
			expect(link.codeVerifier).to.match(/^[\w-]{43,128}$/);
			const { code, state } = await oidc.authorize(`${link.payload.authorizationUrl}&prompt=consent`);
			expect(state).to.equal(link.payload.state);
			const exchanged = await nodeRed.request('GET', `/authorizationCode?code=${encodeURIComponent(code)}&verifier=${link.codeVerifier}`);
			expect(exchanged.body, exchanged.text).to.deep.include({ ok: true });
			expect(exchanged.body.payload).to.include({ tokenType: 'bearer', scope: 'openid offline_access api:read' });
			expect(exchanged.body.accessToken).to.be.a('string');
			const refreshed = await nodeRed.request('GET', `/refreshToken?refresh=${encodeURIComponent(exchanged.body.refreshToken)}`);
			expect(refreshed.body, refreshed.text).to.deep.include({ ok: true });
			expect(refreshed.body.accessToken).to.be.a('string').and.not.to.equal(exchanged.body.accessToken);
			expect(oidc.tokenRequests.filter((r) => r.clientId === CLIENTS.public.clientId).map((r) => [r.grantType, r.clientAuth, r.status])).to.deep.equal([
				['authorization_code', 'none', 200],
				['refresh_token', 'none', 200],
			]);
		});

		it('sends an API key header and Basic from bpm-auth, and masks an echoed msg.accessToken in msg.headers', async () => {
			const key = (await nodeRed.request('GET', '/key')).body;
			expect(key, JSON.stringify(key)).to.deep.include({ ok: true, status: 200 });
			expect(fault.requests.at(-1)!.headers['x-api-key']).to.equal(MARKER_PASSWORD);
			expect((await nodeRed.request('GET', '/basic')).body).to.deep.include({ ok: true, status: 200 });
			expect(fault.requests.at(-1)!.headers.authorization).to.equal(`Basic ${Buffer.from(`ana:${MARKER_PASSWORD}`).toString('base64')}`);
			const echoed = await nodeRed.request('GET', '/token-echo');
			expect(fault.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${ITEM_TOKEN}`);
			expect(echoed.body.headers['x-echo']).to.be.a('string').and.not.to.contain(MARKER_PASSWORD);
		});

		it("reports a bad client secret with the server's error, not the secret", async () => {
			const reply = await nodeRed.request('GET', '/token-bad');
			expect(reply.body.ok, reply.text).to.equal(false);
			expect(reply.body.error).to.include({ kind: 'login', status: 401 });
			expect(reply.body.error.message).to.contain('invalid_client');
			expect(reply.text + nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
		});

		it('sends msg.accessToken as Bearer and keeps it out of the error', async () => {
			const token = `tok-${MARKER_PASSWORD}`;
			const reply = await nodeRed.request('GET', `/token?token=${encodeURIComponent(token)}`);
			expect(reply.body.ok, reply.text).to.equal(false);
			expect(reply.body.error).to.include({ kind: 'http', status: 401 });
			expect(fault.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${token}`);
			expect(reply.text).not.to.contain(token);
		});
	});
}

for (const version of N8N_VERSIONS) {
	describe(`generic authentication in real n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		let lighttpd: Lighttpd;
		let oidc: OidcPeer;
		let fault: FaultServer;
		let home: N8nHome;

		before(async () => {
			[lighttpd, oidc, fault] = await Promise.all([startLighttpd({ users: { [USER]: MARKER_PASSWORD } }), startOidcPeer(), startFaultServer()]);
			home = await createN8nHome({ runtime: await ensureN8n(version), packageTgz: packageTgz() });
			const client = (clientId: string, clientSecret: string, clientAuthentication: string) => ({ tokenUrl: oidc.tokenUrl, clientId, clientSecret, clientAuthentication, scope: 'api:read' });
			await home.importCredentials([
				{ id: 'bpmcDigest1', name: 'Digest', type: 'httpDigestAuth', data: { user: USER, password: MARKER_PASSWORD } },
				{ id: 'bpmcHeader1', name: 'Header', type: 'httpHeaderAuth', data: { name: 'X-API-Key', value: MARKER_PASSWORD } },
				{ id: 'bpmcBasic1', name: 'Basic', type: 'httpBasicAuth', data: { user: 'ana', password: MARKER_PASSWORD } },
				{ id: 'bpmcCc1', name: 'CC basic', type: 'bpmClientCredentialsOAuth2Api', data: client(CLIENTS.basic.clientId, CLIENTS.basic.clientSecret, 'basic') },
				{ id: 'bpmcCc2', name: 'CC post', type: 'bpmClientCredentialsOAuth2Api', data: client(CLIENTS.post.clientId, CLIENTS.post.clientSecret, 'body') },
				{ id: 'bpmcCc3', name: 'CC bad', type: 'bpmClientCredentialsOAuth2Api', data: client(CLIENTS.post.clientId, `wrong-${MARKER_PASSWORD}`, 'body') },
				{
					id: 'bpmcCode1',
					name: 'Code',
					type: 'bpmAuthorizationCodeOAuth2Api',
					data: { authorizationUrl: oidc.authorizationUrl, tokenUrl: oidc.tokenUrl, clientId: CLIENTS.public.clientId, redirectUri: REDIRECT_URI, scope: 'openid offline_access api:read' },
				},
			]);
			await home.importWorkflows([
				{
					id: 'bpmcDigestRun',
					name: 'digest',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes: [
						{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
						{ id: 'c', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return Array.from({ length: ${CALLS} }, (_, i) => ({ json: { i } }));` } },
						{
							id: 'd',
							name: 'Digest',
							type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
							typeVersion: 1,
							position: [400, 0],
							parameters: { authentication: 'httpDigestAuth', method: 'GET', url: `${lighttpd.url}${DIGEST_TARGET}?run=n8n`, options: { concurrency: 1 } },
							credentials: { httpDigestAuth: { id: 'bpmcDigest1', name: 'Digest' } },
						},
					],
					connections: { Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] }, Items: { main: [[{ node: 'Digest', type: 'main', index: 0 }]] } },
				},
				{
					id: 'bpmcOAuthRun',
					name: 'oauth2',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes: [
						{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
						{ id: 'c', name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return Array.from({ length: ${CALLS} }, (_, i) => ({ json: { i } }));` } },
						{
							id: 'o',
							name: 'Client credentials',
							type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
							typeVersion: 1,
							position: [400, 0],
							parameters: { authentication: 'bpmClientCredentialsOAuth2Api', method: 'GET', url: `${oidc.api.url}/resource` },
							credentials: { bpmClientCredentialsOAuth2Api: { id: 'bpmcCc1', name: 'CC basic' } },
						},
						{
							id: 't',
							name: 'Token',
							type: '@bpm-connect/n8n-nodes-bpm.bpmOAuth2Token',
							typeVersion: 1,
							position: [200, 200],
							parameters: { operation: 'clientCredentials' },
							credentials: { bpmClientCredentialsOAuth2Api: { id: 'bpmcCc2', name: 'CC post' } },
						},
						{
							id: 'u',
							name: 'With token',
							type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
							typeVersion: 1,
							position: [400, 200],
							parameters: { authentication: 'accessToken', method: 'GET', url: `${oidc.api.url}/resource` },
						},
						{
							id: 'b',
							name: 'Bad secret',
							type: '@bpm-connect/n8n-nodes-bpm.bpmOAuth2Token',
							typeVersion: 1,
							position: [200, 400],
							onError: 'continueErrorOutput',
							parameters: { operation: 'clientCredentials' },
							credentials: { bpmClientCredentialsOAuth2Api: { id: 'bpmcCc3', name: 'CC bad' } },
						},
					],
					connections: {
						Start: { main: [[{ node: 'Items', type: 'main', index: 0 }, { node: 'Token', type: 'main', index: 0 }, { node: 'Bad secret', type: 'main', index: 0 }]] },
						Items: { main: [[{ node: 'Client credentials', type: 'main', index: 0 }]] },
						Token: { main: [[{ node: 'With token', type: 'main', index: 0 }]] },
					},
				},
			]);
		});
		after(async () => {
			await home?.remove();
			await Promise.all([lighttpd?.close(), oidc?.close(), fault?.close()]);
		});

		it("sends n8n's own Header Auth and Basic Auth credentials, and masks an echoed access token in the output", async () => {
			const request = (name: string, y: number, parameters: object, credentials?: object) => ({
				id: name,
				name,
				type: '@bpm-connect/n8n-nodes-bpm.bpmRequest',
				typeVersion: 1,
				position: [300, y],
				parameters: { method: 'GET', ...parameters },
				...(credentials ? { credentials } : {}),
			});
			const nodes = [
				// Not /echo: an echoed secret in a body is the server's data, which no node masks.
				request('Header', 0, { authentication: 'httpHeaderAuth', url: `${fault.url}/status/200?as=header` }, { httpHeaderAuth: { id: 'bpmcHeader1', name: 'Header' } }),
				request('Basic', 150, { authentication: 'httpBasicAuth', url: `${fault.url}/status/200?as=basic` }, { httpBasicAuth: { id: 'bpmcBasic1', name: 'Basic' } }),
				request('Echo', 300, { authentication: 'accessToken', accessToken: PARAMETER_TOKEN, url: echoingToken(fault, PARAMETER_TOKEN) }),
			];
			await home.importWorkflows([
				{
					id: 'bpmcStatic',
					name: 'static schemes',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes: [{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, ...nodes],
					connections: { Start: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
				},
			]);
			const run = await home.execute('bpmcStatic');
			expect(run.status, run.stderr).to.equal('success');
			const sent = (as: string) => fault.requests.find((r) => r.url.endsWith(`as=${as}`))!.headers;
			expect(sent('header')['x-api-key']).to.equal(MARKER_PASSWORD);
			expect(sent('basic').authorization).to.equal(`Basic ${Buffer.from(`ana:${MARKER_PASSWORD}`).toString('base64')}`);
			expect(fault.requests.find((r) => r.url.includes('X-Echo'))!.headers.authorization).to.equal(`Bearer ${PARAMETER_TOKEN}`);
			expect(nodeOutput(run, 'Echo', 0)[0].json.headers['x-echo']).to.be.a('string').and.not.to.contain(PARAMETER_TOKEN);
			expect(JSON.stringify(run.raw)).not.to.contain(MARKER_PASSWORD);
		});

		it('gets one client-credentials token for all items, hands a Token node\'s token to BPM Request, reports a bad secret', async () => {
			const run = await home.execute('bpmcOAuthRun');
			expect(run.status, run.stderr).to.equal('success');
			expect(nodeOutput(run, 'Client credentials', 0).map((item: { json: { statusCode: number } }) => item.json.statusCode)).to.deep.equal(Array(CALLS).fill(200));
			expect(oidc.tokenRequests.filter((r) => r.clientId === CLIENTS.basic.clientId).map((r) => r.clientAuth)).to.deep.equal(['basic']);
			const [token] = nodeOutput(run, 'Token', 0);
			expect(token.json).to.include({ tokenType: 'bearer' }).and.to.have.property('accessToken');
			expect(nodeOutput(run, 'With token', 0)[0].json.statusCode).to.equal(200);
			const [failed] = nodeOutput(run, 'Bad secret', 1);
			expect(failed.json.error).to.include({ kind: 'login', status: 401 });
			expect(failed.json.error.message).to.contain('invalid_client');
			expect(JSON.stringify(run.raw) + run.stderr + run.stdout).not.to.contain(MARKER_PASSWORD);
		});

		it("answers lighttpd SHA-512-256 Digest with n8n's own Digest Auth credential, reusing the nonce across items", async () => {
			const run = await home.execute('bpmcDigestRun');
			expect(run.status, run.stderr).to.equal('success');
			const out = nodeOutput(run, 'Digest', 0);
			expect(out.map((item: { json: { statusCode: number } }) => item.json.statusCode)).to.deep.equal(Array(CALLS).fill(200));
			await expectOneChallenge(lighttpd, 'n8n');
			expect(JSON.stringify(run.raw) + run.stderr + run.stdout).not.to.contain(MARKER_PASSWORD);
		});

		it('runs the authorization code flow with PKCE through the Token node: link in one run, code exchange in the next', async () => {
			const start = { id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
			const tokenNode = (parameters: object) => ({ id: 't', name: 'Token', type: '@bpm-connect/n8n-nodes-bpm.bpmOAuth2Token', typeVersion: 1, position: [400, 0], parameters, credentials: { bpmAuthorizationCodeOAuth2Api: { id: 'bpmcCode1', name: 'Code' } } });
			await home.importWorkflows([
				{ id: 'bpmcLink', name: 'link', active: false, settings: { executionOrder: 'v1' }, nodes: [start, tokenNode({ operation: 'authorizationUrl' })], connections: { Start: { main: [[{ node: 'Token', type: 'main', index: 0 }]] } } },
			]);
			const linkRun = await home.execute('bpmcLink');
			expect(linkRun.status, linkRun.stderr).to.equal('success');
			const [link] = nodeOutput(linkRun, 'Token', 0);
			const { code } = await oidc.authorize(`${link.json.authorizationUrl}&prompt=consent`);
			await home.importWorkflows([
				{
					id: 'bpmcExchange',
					name: 'exchange',
					active: false,
					settings: { executionOrder: 'v1' },
					nodes: [
						start,
						{ id: 'c', name: 'Redirect', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return [{ json: { query: { code: ${JSON.stringify(code)} }, codeVerifier: ${JSON.stringify(link.json.codeVerifier)} } }];` } },
						tokenNode({ operation: 'authorizationCode', codeVerifier: '={{ $json.codeVerifier }}' }),
						{ id: 'u', name: 'With token', type: '@bpm-connect/n8n-nodes-bpm.bpmRequest', typeVersion: 1, position: [600, 0], parameters: { authentication: 'accessToken', method: 'GET', url: `${oidc.api.url}/resource` } },
					],
					connections: { Start: { main: [[{ node: 'Redirect', type: 'main', index: 0 }]] }, Redirect: { main: [[{ node: 'Token', type: 'main', index: 0 }]] }, Token: { main: [[{ node: 'With token', type: 'main', index: 0 }]] } },
				},
			]);
			const run = await home.execute('bpmcExchange');
			expect(run.status, run.stderr).to.equal('success');
			expect(nodeOutput(run, 'Token', 0)[0].json).to.include({ tokenType: 'bearer', scope: 'openid offline_access api:read' }).and.to.have.property('refreshToken');
			expect(nodeOutput(run, 'With token', 0)[0].json.body).to.deep.equal({ client: CLIENTS.public.clientId, scope: 'openid offline_access api:read' });
		});
	});
}
