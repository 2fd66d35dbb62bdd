import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { CLIENTS, REDIRECT_URI, startOidcPeer, type OidcPeer } from '../peers/oidc-provider';
import { createTestPki, type Pki } from '../peers/pki';
import { captureOutput } from '../support/captured-output';
import { createN8nHome, n8nServesRest, type N8nHome } from '../support/n8n-runner';
import { ensureN8n, N8N_VERSIONS } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, SIM_USER } from './package-under-test';

/** A running n8n server with an owner account: the credential test only exists behind its REST API. */
async function startN8nServer(home: N8nHome, runtime: { node: string; bin: string }) {
	const child: ChildProcess = spawn(runtime.node, [runtime.bin, 'start'], { env: home.env, cwd: home.userFolder });
	let log = '';
	child.stdout?.on('data', (chunk) => (log += chunk));
	child.stderr?.on('data', (chunk) => (log += chunk));
	const base = `http://127.0.0.1:${home.env.N8N_PORT}`;
	const deadline = Date.now() + 120_000;
	while (!(await n8nServesRest(base))) {
		if (Date.now() > deadline) throw new Error(`n8n did not become ready:\n${log.slice(-2000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	const owner = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Owner-passw0rd' }),
	});
	const cookie = owner.headers.get('set-cookie')?.split(';')[0] ?? '';
	const rest = async (path: string, body: unknown) => {
		const response = await fetch(`${base}/rest${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
		return (await response.json()) as { data: any };
	};
	return {
		rest,
		log: () => log,
		stop: () => {
			child.kill();
			captureOutput('n8n-server-log', log);
		},
	};
}

for (const version of N8N_VERSIONS) {
	describe(`credential tests in a running n8n ${version} (Node 24)`, function () {
		this.timeout(10 * 60 * 1000);
		let simulator: BonitaSimulator;
		let oidc: OidcPeer;
		let pki: Pki;
		let home: N8nHome;
		let server: Awaited<ReturnType<typeof startN8nServer>>;

		before(async () => {
			[simulator, oidc, pki] = await Promise.all([startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } }), startOidcPeer(), createTestPki()]);
			const runtime = await ensureN8n(version);
			home = await createN8nHome({ runtime, packageTgz: packageTgz() });
			server = await startN8nServer(home, runtime);
		});
		after(async () => {
			server?.stop();
			await home?.remove();
			await Promise.all([simulator?.close(), oidc?.close()]);
		});

		/** Saves a credential and presses its Test button, as the editor does. */
		const testCredential = async (type: string, name: string, data: Record<string, unknown>) => {
			const created = await server.rest('/credentials', { name, type, data });
			return (await server.rest('/credentials/test', { credentials: { id: created.data.id, name: created.data.name, type, data } })).data;
		};
		const test = (password: string) => testCredential('bonitaApi', `Bonita ${password}`, { url: simulator.url, username: SIM_USER, password });

		it('Bonita: logs in for real and reports success', async () => {
			expect(await test(MARKER_PASSWORD)).to.deep.equal({ status: 'OK', message: 'Connection successful!' });
			expect(simulator.stats.logins).to.equal(1);
		});

		it('Bonita: reports a refused password as an error', async () => {
			const result = await test('not-the-password');
			expect(result.status).to.equal('Error');
			// n8n itself sends a failing test request twice; what matters is that Bonita saw the refused login.
			expect(simulator.stats.loginFailures).to.be.greaterThan(0);
			expect(simulator.stats.logins).to.equal(1);
			expect(JSON.stringify(result) + server.log()).not.to.contain('not-the-password');
		});

		const testClient = (clientId: string, clientSecret: string, clientAuthentication: 'basic' | 'body') =>
			testCredential('bpmClientCredentialsOAuth2Api', `OAuth2 ${clientId} ${clientAuthentication}`, { tokenUrl: oidc.tokenUrl, clientId, clientSecret, clientAuthentication, scope: 'api:read', audience: '', baseUrl: '' });

		it('OAuth2 client credentials: asks the token endpoint for real, client sent as Basic or in the body', async () => {
			expect(await testClient(CLIENTS.basic.clientId, CLIENTS.basic.clientSecret, 'basic')).to.deep.equal({ status: 'OK', message: 'Connection successful!' });
			expect(await testClient(CLIENTS.post.clientId, CLIENTS.post.clientSecret, 'body')).to.deep.equal({ status: 'OK', message: 'Connection successful!' });
			expect(oidc.tokenRequests.map((r) => [r.clientId, r.clientAuth, r.scope, r.status])).to.deep.equal([
				[CLIENTS.basic.clientId, 'basic', 'api:read', 200],
				[CLIENTS.post.clientId, 'body', 'api:read', 200],
			]);
		});

		it('OAuth2 client credentials: reports a wrong secret as an error', async () => {
			const wrong = `wrong-${MARKER_PASSWORD}`;
			const result = await testClient(CLIENTS.post.clientId, wrong, 'body');
			expect(result.status).to.equal('Error');
			expect(oidc.tokenRequests.at(-1)).to.include({ clientId: CLIENTS.post.clientId, status: 401, error: 'invalid_client' });
			expect(JSON.stringify(result) + server.log()).not.to.contain(wrong);
		});

		const testCodeClient = (clientSecret: string) =>
			testCredential('bpmAuthorizationCodeOAuth2Api', `OAuth2 code ${clientSecret.length}`, {
				tokenUrl: oidc.tokenUrl,
				authorizationUrl: oidc.authorizationUrl,
				clientId: CLIENTS.confidential.clientId,
				clientSecret,
				clientAuthentication: 'basic',
				redirectUri: REDIRECT_URI,
				scope: 'openid offline_access',
				refreshToken: '',
				code: '',
				codeVerifier: '',
				baseUrl: '',
			});

		it('OAuth2 authorization code: the token endpoint accepts the client without a real code being spent; a wrong secret is an error', async () => {
			expect(await testCodeClient(CLIENTS.confidential.clientSecret)).to.include({ status: 'OK' });
			expect(oidc.tokenRequests.at(-1)).to.include({ clientId: CLIENTS.confidential.clientId, grantType: 'authorization_code', status: 400, error: 'invalid_grant' });
			const wrong = `wrong-${MARKER_PASSWORD}`;
			const refused = await testCodeClient(wrong);
			expect(refused.status).to.equal('Error');
			expect(oidc.tokenRequests.at(-1)).to.include({ clientId: CLIENTS.confidential.clientId, status: 401, error: 'invalid_client' });
			expect(JSON.stringify(refused) + server.log()).not.to.contain(wrong);
		});

		it('TLS and Proxy: loads a CA, a client certificate and key; an unreadable certificate is an error that names the problem and holds no key', async () => {
			const settings = { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key, pfx: '', passphrase: '', proxyUsername: '', proxyPassword: '' };
			expect(await testCredential('bpmConnectionApi', 'TLS good', settings)).to.include({ status: 'OK' });
			const broken = await testCredential('bpmConnectionApi', 'TLS broken', { ...settings, cert: '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----' });
			expect(broken.status).to.equal('Error');
			expect(broken.message).to.be.a('string').and.not.contain(pki.client.key.split('\n')[1]);
		});
	});
}
