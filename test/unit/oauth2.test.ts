import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createTransport, executeRequest, Session, sessionConnection, type BpmFailure, type RequestInput, type Transport } from '../../core';
import { createAuthorizationRequest, requestOAuth2Token, type TokenOutput } from '../../core/oauth2/oauth2-token';
import { oauth2AuthorizationCode, oauth2AuthorizationCodeScheme } from '../../core/schemes/oauth2-authorization-code';
import { oauth2ClientCredentials, oauth2ClientCredentialsScheme } from '../../core/schemes/oauth2-client-credentials';
import { startFaultServer } from '../peers/fault-server';
import { CLIENTS, REDIRECT_URI, startOidcPeer, type OidcPeer, type OidcPeerOptions } from '../peers/oidc-provider';
import { createTestPki } from '../peers/pki';
import { startTlsServer } from '../peers/tls-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withPeer(options: OidcPeerOptions, body: (peer: OidcPeer) => Promise<void>) {
	const peer = await startOidcPeer(options);
	try {
		await body(peer);
	} finally {
		await peer.close();
	}
}

async function withTransport<T>(body: (transport: Transport) => Promise<T>): Promise<T> {
	const transport = createTransport();
	try {
		return await body(transport);
	} finally {
		transport.close();
	}
}

async function withSession(session: Session, body: (session: Session) => Promise<void>) {
	try {
		await body(session);
	} finally {
		session.close();
	}
}

/** Sessions the way the request nodes build them: the credential's fields parsed by the vendor definition. */
const clientCredentialsSession = (data: Record<string, unknown>) => new Session(oauth2ClientCredentialsScheme(oauth2ClientCredentials.parseConfig(data)), createTransport());
const authorizationCodeSession = (data: Record<string, unknown>) => new Session(oauth2AuthorizationCodeScheme(oauth2AuthorizationCode.parseConfig(data)), createTransport());
const resource = (peer: OidcPeer): RequestInput => ({ method: 'GET', url: `${peer.api.url}/resource` });

/** The user's part: the link, the login and consent in the "browser", the code back at the redirect URI. */
async function authorizeUser(peer: OidcPeer, clientId: string): Promise<{ code: string; codeVerifier: string }> {
	const request = createAuthorizationRequest({ authorizationUrl: peer.authorizationUrl, clientId, redirectUri: REDIRECT_URI, scope: 'openid offline_access api:read' });
	if (!request.ok) throw new Error(request.error.message);
	// oidc-provider issues a refresh token for offline_access only with an explicit consent prompt.
	const { code, state } = await peer.authorize(`${request.value.authorizationUrl}&prompt=consent`);
	expect(state).to.equal(request.value.state);
	return { code, codeVerifier: request.value.codeVerifier };
}

describe('OAuth2 against a real oidc-provider', function () {
	this.timeout(30_000);

	describe('client credentials', () => {
		it('sends the secret as HTTP Basic by default, form-encoded (RFC 6749 §2.3.1), with scope and audience, then the token as Bearer', async () => {
			await withPeer({}, async (peer) => {
				const data = { tokenUrl: peer.tokenUrl, ...CLIENTS.basic, scope: ' api:read ', audience: 'https://api.example.com' };
				await withSession(clientCredentialsSession(data), async (session) => {
					const outcome = await executeRequest(sessionConnection(session), resource(peer));
					expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
					expect(outcome.ok && outcome.value.body).to.deep.equal({ kind: 'json', value: { client: 'cc-basic', scope: 'api:read' } });
					expect(peer.tokenRequests).to.have.length(1);
					expect(peer.tokenRequests[0]).to.include({ grantType: 'client_credentials', clientId: 'cc-basic', clientAuth: 'basic', scope: 'api:read', audience: 'https://api.example.com', status: 200 });
					expect(peer.api.requests).to.deep.equal([{ token: peer.tokenRequests[0].issuedAccessToken, status: 200 }]);
					expect(session.secrets()).to.include.members([CLIENTS.basic.clientSecret, peer.tokenRequests[0].issuedAccessToken]);
				});
			});
		});

		it('sends the secret in the body when asked (client_secret_post), with no Authorization header', async () => {
			await withPeer({}, async (peer) => {
				await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.post, clientAuthentication: 'body' }), async (session) => {
					const outcome = await executeRequest(sessionConnection(session), resource(peer));
					expect(outcome.ok && outcome.value.status).to.equal(200);
					expect(peer.tokenRequests).to.have.length(1);
					expect(peer.tokenRequests[0]).to.include({ clientId: 'cc-post', clientAuth: 'body', status: 200, scope: undefined, audience: undefined });
				});
			});
		});

		for (const [clientAuthentication, how] of [
			['basic', 'a WWW-Authenticate challenge'],
			['body', 'a JSON error body'],
		] as const) {
			it(`reports a wrong secret (${clientAuthentication}: ${how}) as a login error with status, error and description, never the secret, and tries again on the next call`, async () => {
				await withPeer({}, async (peer) => {
					const wrong = 'wrong:/+ Secret-Marker-0';
					await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, clientId: CLIENTS.basic.clientId, clientSecret: wrong, clientAuthentication }), async (session) => {
						const connection = sessionConnection(session);
						const outcomes = [await executeRequest(connection, resource(peer)), await executeRequest(connection, resource(peer))];
						for (const outcome of outcomes) {
							expect(outcome.ok).to.equal(false);
							if (outcome.ok) return;
							expect(outcome.error).to.include({ kind: 'login', status: 401, attempts: 1 });
							expect(outcome.error.message).to.equal(`The token endpoint ${peer.tokenUrl} refused the request (401 invalid_client: client authentication failed)`);
						}
						expect(JSON.stringify(outcomes)).not.to.contain('Secret-Marker').and.not.to.contain(encodeURIComponent(wrong));
						expect(peer.tokenRequests.map((r) => r.status)).to.deep.equal([401, 401]);
						expect(peer.api.requests).to.have.length(0);
						expect(session.state).to.equal('login-failed');
					});
				});
			});
		}

		it('reports a scope the server refuses as a login error naming invalid_scope', async () => {
			await withPeer({}, async (peer) => {
				const outcome = await withTransport((transport) => requestOAuth2Token('clientCredentials', { tokenUrl: peer.tokenUrl, ...CLIENTS.basic, scope: 'api:read openid' }, transport));
				expect(outcome.ok).to.equal(false);
				if (!outcome.ok) {
					expect(outcome.error).to.include({ kind: 'login', status: 400, method: 'POST', url: peer.tokenUrl, attempts: 1 });
					expect(outcome.error.message).to.equal(`The token endpoint ${peer.tokenUrl} refused the request (400 invalid_scope: requested scope is not allowed)`);
				}
				expect(peer.tokenRequests[0]).to.include({ scope: 'api:read openid', error: 'invalid_scope' });
			});
		});

		it('asks for one token for 20 calls in a row, and one for 16 concurrent calls on a fresh session', async () => {
			await withPeer({}, async (peer) => {
				await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.basic }), async (session) => {
					const connection = sessionConnection(session);
					for (let i = 0; i < 20; i++) expect((await executeRequest(connection, resource(peer))).ok).to.equal(true);
					expect(peer.tokenRequests).to.have.length(1);
				});
				await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.basic }), async (session) => {
					const connection = sessionConnection(session);
					const outcomes = await Promise.all(Array.from({ length: 16 }, () => executeRequest(connection, resource(peer))));
					expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(1));
					expect(peer.tokenRequests).to.have.length(2);
					expect(new Set(peer.api.requests.slice(20).map((r) => r.token))).to.deep.equal(new Set([peer.tokenRequests[1].issuedAccessToken]));
				});
			});
		});

		it('when the token is revoked under 16 calls in flight, asks for exactly one new token and replays each call once', async () => {
			await withPeer({}, async (peer) => {
				await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.basic }), async (session) => {
					const connection = sessionConnection(session);
					expect((await executeRequest(connection, resource(peer))).ok).to.equal(true);
					const [first] = peer.tokenRequests;
					await peer.api.revoke(first.issuedAccessToken!);
					const outcomes = await Promise.all(Array.from({ length: 16 }, () => executeRequest(connection, resource(peer))));
					expect(outcomes.map((o) => o.ok && o.value.status)).to.deep.equal(new Array(16).fill(200));
					expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal(new Array(16).fill(2));
					expect(peer.tokenRequests).to.have.length(2);
					const second = peer.tokenRequests[1].issuedAccessToken;
					const after = peer.api.requests.slice(1);
					expect(after.filter((r) => r.status === 401).map((r) => r.token)).to.deep.equal(new Array(16).fill(first.issuedAccessToken));
					expect(after.filter((r) => r.status === 200).map((r) => r.token)).to.deep.equal(new Array(16).fill(second));
				});
			});
		});

		it('asks for a new token shortly before expires_in runs out, so no call meets the expiry', async () => {
			await withPeer({ clientCredentialsTtl: 3 }, async (peer) => {
				await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.basic }), async (session) => {
					const connection = sessionConnection(session);
					const started = Date.now();
					const first = await executeRequest(connection, resource(peer));
					await sleep(started + 1_500 - Date.now());
					const second = await executeRequest(connection, resource(peer));
					expect(peer.tokenRequests).to.have.length(1);
					// A 3 s token is renewed 2.7 s after it was asked for: a tenth of its lifetime early.
					await sleep(started + 2_850 - Date.now());
					const third = await executeRequest(connection, resource(peer));
					expect([first, second, third].map((o) => o.ok && o.attempts)).to.deep.equal([1, 1, 1]);
					expect(peer.tokenRequests).to.have.length(2);
					expect(peer.api.requests.map((r) => r.status)).to.deep.equal([200, 200, 200]);
					expect(peer.api.requests.map((r) => r.token)).to.deep.equal(peer.tokenRequests.flatMap((r, i) => (i === 0 ? [r.issuedAccessToken, r.issuedAccessToken] : [r.issuedAccessToken])));
				});
			});
		});

		it('with a base URL, sends the token to that origin only and asks for none for other origins', async () => {
			await withPeer({}, async (peer) => {
				const elsewhere = await startFaultServer();
				try {
					await withSession(clientCredentialsSession({ tokenUrl: peer.tokenUrl, ...CLIENTS.basic, baseUrl: peer.api.url }), async (session) => {
						const connection = sessionConnection(session);
						const other = await executeRequest(connection, { method: 'GET', url: `${elsewhere.url}/echo` });
						expect(other.ok && (other.value.body as { value: { headers: Record<string, string> } }).value.headers).not.to.have.property('authorization');
						expect(other.ok).to.equal(true);
						expect(peer.tokenRequests).to.have.length(0);
						const relative = await executeRequest(connection, { method: 'GET', url: 'resource' });
						expect(relative.ok && relative.value.status).to.equal(200);
						expect(peer.tokenRequests).to.have.length(1);
					});
				} finally {
					await elsewhere.close();
				}
			});
		});

		it('turns a token endpoint that resets the connection into one network error per call, not a login loop', async () => {
			const down = await startFaultServer();
			try {
				const scheme = oauth2ClientCredentialsScheme({ tokenUrl: `${down.url}/reset?key=token&times=100`, clientId: 'id', clientSecret: 'Secret-Marker-5', clientAuthentication: 'basic' });
				await withSession(new Session(scheme, createTransport()), async (session) => {
					const connection = sessionConnection(session);
					for (const expected of [1, 2]) {
						const outcome = await executeRequest(connection, { method: 'GET', url: `${down.url}/echo` });
						expect(outcome.ok).to.equal(false);
						if (!outcome.ok) expect(outcome.error).to.include({ kind: 'network', attempts: 1 });
						expect(down.hits('/reset')).to.equal(expected);
					}
					expect(down.hits('/echo')).to.equal(0);
					expect(session.state).to.equal('login-failed');
				});
			} finally {
				await down.close();
			}
		});

		it('sends token requests through the transport: an untrusted certificate is a tls error, the CA in the settings gets through', async () => {
			const pki = await createTestPki();
			const server = await startTlsServer(pki);
			const transport = createTransport();
			try {
				const input = { tokenUrl: `${server.url}/token`, clientId: 'id', clientSecret: 'Secret-Marker-6', clientAuthentication: 'body' };
				const refused = await requestOAuth2Token('clientCredentials', input, transport);
				expect(refused.ok).to.equal(false);
				if (!refused.ok) expect(refused.error).to.include({ kind: 'tls', attempts: 1 });
				expect(server.requestCount()).to.equal(0);
				// The TLS peer echoes what it got, the secret included, as JSON that is no token response.
				const trusted = await requestOAuth2Token('clientCredentials', input, transport, { ca: pki.ca.cert });
				expect(server.requestCount()).to.equal(1);
				expect(trusted.ok).to.equal(false);
				if (!trusted.ok) expect(trusted.error).to.include({ kind: 'login', message: `The token endpoint ${server.url}/token sent a token response that cannot be used: "response" body "access_token" property must be a string` });
				expect(JSON.stringify([refused, trusted])).not.to.contain('Secret-Marker');
			} finally {
				transport.close();
				await server.close();
			}
		});
	});

	describe('authorization code with PKCE', () => {
		it('a public client exchanges the code from a headless login, then refreshes when the token is revoked, keeping the rotated refresh token', async () => {
			await withPeer({}, async (peer) => {
				const { code, codeVerifier } = await authorizeUser(peer, CLIENTS.public.clientId);
				await withSession(authorizationCodeSession({ tokenUrl: peer.tokenUrl, clientId: CLIENTS.public.clientId, redirectUri: REDIRECT_URI, code, codeVerifier }), async (session) => {
					const connection = sessionConnection(session);
					const first = await executeRequest(connection, resource(peer));
					expect(first.ok && first.value.body).to.deep.equal({ kind: 'json', value: { client: 'app-public', scope: 'openid offline_access api:read' } });
					const [exchange] = peer.tokenRequests;
					expect(exchange).to.include({ grantType: 'authorization_code', clientId: 'app-public', clientAuth: 'none', status: 200 });
					expect(exchange.issuedRefreshToken).to.be.a('string');

					for (const round of [1, 2]) {
						await peer.api.revoke(peer.tokenRequests[round - 1].issuedAccessToken!);
						const replayed = await executeRequest(connection, resource(peer));
						expect(replayed.ok && replayed.attempts).to.equal(2);
						// oidc-provider rotates a public client's refresh token: each refresh presents the last one it sent.
						expect(peer.tokenRequests[round]).to.include({ grantType: 'refresh_token', clientAuth: 'none', refreshToken: peer.tokenRequests[round - 1].issuedRefreshToken, status: 200 });
						expect(peer.tokenRequests[round].issuedRefreshToken).to.be.a('string').and.not.equal(peer.tokenRequests[round].refreshToken);
					}
					expect(session.secrets()).to.include.members([code, codeVerifier, peer.tokenRequests[2].issuedRefreshToken, peer.tokenRequests[2].issuedAccessToken]);
				});
			});
		});

		it('a confidential client exchanges its code with HTTP Basic; a new session with only the refresh token logs in by refresh', async () => {
			await withPeer({}, async (peer) => {
				const { code, codeVerifier } = await authorizeUser(peer, CLIENTS.confidential.clientId);
				const client = { tokenUrl: peer.tokenUrl, ...CLIENTS.confidential };
				const exchanged = await withTransport((transport) => requestOAuth2Token('authorizationCode', { ...client, code, codeVerifier, redirectUri: REDIRECT_URI }, transport));
				expect(exchanged.ok, JSON.stringify(exchanged)).to.equal(true);
				if (!exchanged.ok) return;
				expect(exchanged.value).to.include({ tokenType: 'bearer', expiresIn: 600, scope: 'openid offline_access api:read' });
				expect(exchanged.value).to.have.keys('accessToken', 'tokenType', 'expiresIn', 'expiresAt', 'refreshToken', 'scope');
				expect(Date.parse(exchanged.value.expiresAt!)).to.be.closeTo(Date.now() + 600_000, 5_000);
				expect(peer.tokenRequests[0]).to.include({ grantType: 'authorization_code', clientId: 'app-confidential', clientAuth: 'basic', status: 200 });

				await withSession(authorizationCodeSession({ ...client, refreshToken: exchanged.value.refreshToken }), async (session) => {
					const outcome = await executeRequest(sessionConnection(session), resource(peer));
					expect(outcome.ok && outcome.value.body).to.deep.equal({ kind: 'json', value: { client: 'app-confidential', scope: 'openid offline_access api:read' } });
					expect(peer.tokenRequests[1]).to.include({ grantType: 'refresh_token', clientAuth: 'basic', refreshToken: exchanged.value.refreshToken, status: 200 });
				});
			});
		});

		it('refuses a code with the wrong verifier (PKCE) as a login error showing neither code nor verifier', async () => {
			await withPeer({}, async (peer) => {
				const { code } = await authorizeUser(peer, CLIENTS.public.clientId);
				const wrongVerifier = 'V'.repeat(43);
				const input = { tokenUrl: peer.tokenUrl, ...CLIENTS.public, code, codeVerifier: wrongVerifier, redirectUri: REDIRECT_URI };
				const outcome = await withTransport((transport) => requestOAuth2Token('authorizationCode', input, transport));
				expect(outcome.ok).to.equal(false);
				if (outcome.ok) return;
				expect(outcome.error).to.include({ kind: 'login', status: 400 }).and.to.have.property('message').that.matches(/\(400 invalid_grant: .+\)$/);
				expect(JSON.stringify(outcome)).not.to.contain(code).and.not.to.contain(wrongVerifier);
			});
		});

		it('says what is missing when there is neither a refresh token nor a complete code exchange, without asking the server', async () => {
			await withPeer({}, async (peer) => {
				await withSession(authorizationCodeSession({ tokenUrl: peer.tokenUrl, clientId: CLIENTS.public.clientId, code: 'some-code' }), async (session) => {
					const outcome = await executeRequest(sessionConnection(session), resource(peer));
					expect(outcome.ok).to.equal(false);
					if (!outcome.ok) {
						expect(outcome.error.kind).to.equal('login');
						expect(outcome.error.message).to.equal(
							'OAuth2 authorization code login needs a refresh token, or an authorization code with its code verifier and redirect URI; missing: codeVerifier, redirectUri',
						);
					}
					expect(peer.tokenRequests).to.have.length(0);
				});
			});
		});

		it('refreshes through the OAuth2 Token operation, the rotated refresh token in its output', async () => {
			await withPeer({}, async (peer) => {
				const { code, codeVerifier } = await authorizeUser(peer, CLIENTS.public.clientId);
				const client = { tokenUrl: peer.tokenUrl, ...CLIENTS.public };
				const [exchanged, refreshed] = await withTransport(async (transport) => {
					const first = await requestOAuth2Token('authorizationCode', { ...client, code, codeVerifier, redirectUri: REDIRECT_URI }, transport);
					return [first, await requestOAuth2Token('refreshToken', { ...client, refreshToken: first.ok ? first.value.refreshToken : '' }, transport)];
				});
				expect(refreshed.ok, JSON.stringify(refreshed)).to.equal(true);
				const value = (refreshed.ok ? refreshed.value : {}) as TokenOutput;
				expect(value.refreshToken).to.equal(peer.tokenRequests[1].issuedRefreshToken).and.not.equal(exchanged.ok && exchanged.value.refreshToken);
				expect(value.accessToken).to.equal(peer.tokenRequests[1].issuedAccessToken);
			});
		});
	});

	describe('authorization request helper', () => {
		it('builds the authorization URL with a fresh S256 challenge, verifier and state', () => {
			const input = { authorizationUrl: 'https://idp.example.com/authorize?tenant=t1', clientId: 'my app', redirectUri: 'https://n8n.example.com/webhook/cb', scope: 'openid  api:read' };
			const [one, two] = [createAuthorizationRequest(input), createAuthorizationRequest(input)];
			if (!one.ok || !two.ok) throw new Error('expected two authorization requests');
			const { authorizationUrl, codeVerifier, codeChallenge, state } = one.value;
			expect(codeVerifier).to.match(/^[A-Za-z0-9_-]{43}$/);
			expect(codeChallenge).to.equal(createHash('sha256').update(codeVerifier).digest('base64url'));
			const url = new URL(authorizationUrl);
			expect(url.origin + url.pathname).to.equal('https://idp.example.com/authorize');
			expect(Object.fromEntries(url.searchParams)).to.deep.equal({
				tenant: 't1',
				response_type: 'code',
				client_id: 'my app',
				redirect_uri: 'https://n8n.example.com/webhook/cb',
				scope: 'openid api:read',
				state,
				code_challenge: codeChallenge,
				code_challenge_method: 'S256',
			});
			expect(two.value.codeVerifier).not.to.equal(codeVerifier);
			expect(two.value.state).not.to.equal(state);
		});

		it('names the field at fault instead of throwing', () => {
			const good = { authorizationUrl: 'https://idp.example.com/authorize', clientId: 'c', redirectUri: 'https://r.example.com/cb' };
			const fieldOf = (input: Record<string, unknown>) => {
				const outcome = createAuthorizationRequest(input);
				return outcome.ok ? undefined : outcome.error;
			};
			expect(fieldOf({ ...good, authorizationUrl: '' })).to.include({ kind: 'input', field: 'authorizationUrl', attempts: 0 });
			expect(fieldOf({ ...good, authorizationUrl: 'idp.example.com/authorize' })).to.include({ field: 'authorizationUrl' });
			expect(fieldOf({ ...good, clientId: undefined })).to.include({ field: 'clientId' });
			expect(fieldOf({ ...good, redirectUri: 'https://r.example.com/cb#x' })).to.include({ field: 'redirectUri' });
			expect(fieldOf({ ...good, scope: 'a "b"' })).to.include({ field: 'scope' });
		});
	});

	describe('input checks', () => {
		it('refuses bad OAuth2 Token input with an input error naming the field, before any request', async () => {
			const transport = { send: () => Promise.reject(new Error('no request expected')) };
			const base = { tokenUrl: 'https://idp.example.com/token', clientId: 'c', clientSecret: 'Secret-Marker-3' };
			const errorOf = async (operation: string, input: Record<string, unknown>) => {
				const outcome = await requestOAuth2Token(operation, input, transport);
				expect(JSON.stringify(outcome)).not.to.contain('Secret-Marker');
				return outcome.ok ? undefined : outcome.error;
			};
			expect(await errorOf('password', base)).to.include({ kind: 'input', field: 'operation', attempts: 0 });
			expect(await errorOf('clientCredentials', { ...base, tokenUrl: undefined })).to.include({ field: 'tokenUrl' });
			expect(await errorOf('clientCredentials', { ...base, tokenUrl: 'https://idp.example.com/token?tenant=1' })).to.include({ field: 'tokenUrl' });
			expect(await errorOf('clientCredentials', { ...base, tokenUrl: 'ftp://idp.example.com/token' })).to.include({ field: 'tokenUrl' });
			expect(await errorOf('clientCredentials', { ...base, clientSecret: '' })).to.include({ field: 'clientSecret' });
			expect(await errorOf('clientCredentials', { ...base, clientAuthentication: 'header' })).to.include({ field: 'clientAuthentication' });
			expect(await errorOf('authorizationCode', { ...base, code: 'c0de', redirectUri: 'https://r.example.com/cb' })).to.include({ field: 'codeVerifier' });
			expect(await errorOf('authorizationCode', { ...base, code: 'c0de', codeVerifier: 'short', redirectUri: 'https://r.example.com/cb' })).to.include({ field: 'codeVerifier' });
			expect(await errorOf('authorizationCode', { ...base, codeVerifier: 'v'.repeat(43), redirectUri: 'https://r.example.com/cb' })).to.include({ field: 'code' });
			expect(await errorOf('refreshToken', { ...base, refreshToken: 'two words' })).to.include({ field: 'refreshToken' });
		});

		it('parses both credentials: defaults, trimmed scopes, and the field at fault', () => {
			const detailOf = (parse: () => unknown) => {
				try {
					parse();
				} catch (error) {
					return (error as BpmFailure).detail;
				}
				return undefined;
			};
			const data = { tokenUrl: 'https://idp.example.com/oauth/token/', clientId: 'c', clientSecret: 's' };
			expect(oauth2ClientCredentials.parseConfig({ ...data, scope: ' a  b ', audience: '', baseUrl: 'https://api.example.com/' })).to.deep.equal({
				...data,
				clientAuthentication: 'basic',
				scope: 'a b',
				audience: undefined,
				baseUrl: 'https://api.example.com',
			});
			expect(detailOf(() => oauth2ClientCredentials.parseConfig({ ...data, clientAuthentication: 'post' }))).to.include({ kind: 'input', field: 'clientAuthentication' });
			expect(detailOf(() => oauth2ClientCredentials.parseConfig({ ...data, tokenUrl: 'https://idp.example.com/token#x' }))).to.include({ field: 'tokenUrl' });
			expect(detailOf(() => oauth2ClientCredentials.parseConfig({ ...data, clientSecret: undefined }))).to.include({ field: 'clientSecret' });
			expect(detailOf(() => oauth2ClientCredentials.parseConfig({ ...data, baseUrl: 'https://api.example.com/?x=1' }))).to.include({ field: 'baseUrl' });

			expect(oauth2AuthorizationCode.parseConfig({ tokenUrl: data.tokenUrl, clientId: 'c', clientSecret: '', refreshToken: ' rt\n', clientAuthentication: 'body' })).to.include({
				clientSecret: undefined,
				clientAuthentication: 'body',
				refreshToken: 'rt',
			});
			expect(detailOf(() => oauth2AuthorizationCode.parseConfig({ ...data, redirectUri: 'not a url' }))).to.include({ field: 'redirectUri' });
			expect(detailOf(() => oauth2AuthorizationCode.parseConfig({ ...data, codeVerifier: 'x'.repeat(129) }))).to.include({ field: 'codeVerifier' });
		});
	});
});
