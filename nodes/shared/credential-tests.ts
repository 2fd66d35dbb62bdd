import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { AgentPool, createTransport, DEFAULT_EXCHANGE, parseCallOptions, requestOAuth2Token } from '../../core';
import { connectionOptions } from './connection-credential';

/** A code no server issued, and a valid PKCE verifier: what the authorization code test sends instead of spending a real one. */
const PROBE = { code: 'bpm-connect-credential-test', codeVerifier: 'bpm-connect-credential-test-verifier-0123456789' };

/**
 * n8n's Test button for the two credentials a plain request cannot test (nodes point at these with `testedBy`).
 * Each checks what it can without spending anything: a failed test names what is wrong.
 */
export const credentialTests = {
	/** Loads the CA, certificate, key or PKCS#12 and passphrase as the engine does; there is no endpoint to call. */
	async bpmConnectionApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const pool = new AgentPool();
		try {
			const { settings } = parseCallOptions(connectionOptions(credential.data ?? {}), {});
			pool.route(new URL('https://credential-test.invalid'), { ...DEFAULT_EXCHANGE, ...settings });
			return { status: 'OK', message: 'The certificates, key and passphrase load. The proxy login is checked by the first call through a proxy.' };
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		} finally {
			pool.destroy();
		}
	},

	/**
	 * Trades a made-up code at the token endpoint: a server that knows the client (ID, secret, how they are sent)
	 * answers invalid_grant, one that does not answers invalid_client. A real code works once and a refresh
	 * token may rotate, so neither is spent.
	 */
	async bpmAuthorizationCodeOAuth2ApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const transport = createTransport();
		try {
			const outcome = await requestOAuth2Token('authorizationCode', { ...credential.data, ...PROBE }, transport);
			if (outcome.ok) return { status: 'Error', message: 'The token endpoint gave a token for a made-up code: check the Access Token URL' };
			if (/\(400 invalid_grant\b/.test(outcome.error.message)) return { status: 'OK', message: 'The token endpoint accepts the client; it refused only the test\'s made-up code' };
			return { status: 'Error', message: outcome.error.message };
		} finally {
			transport.close();
		}
	},
};
