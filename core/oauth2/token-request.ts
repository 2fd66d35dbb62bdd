import type { AuthorizationServer, Client, ClientAuth, TokenEndpointRequestOptions, TokenEndpointResponse } from 'oauth4webapi' with { 'resolution-mode': 'import' };
import { tokenFailure } from './token-error';
import { tokenRequestOptions, type TokenEndpoint } from './token-fetch';
import { toTokenSet, type TokenSet } from './token-set';

/** oauth4webapi's module: ESM only, loaded with import(), which TypeScript keeps as is in this CommonJS build. */
export type OAuth = typeof import('oauth4webapi', { with: { 'resolution-mode': 'import' } });

/** RFC 6749 §2.3.1: the secret in an HTTP Basic header (client_secret_basic) or in the request body (client_secret_post). */
export type ClientAuthentication = 'basic' | 'body';

export interface OAuth2Client {
	clientId: string;
	/** Absent for a public client, which only names itself (token_endpoint_auth_method none). */
	clientSecret?: string;
	clientAuthentication: ClientAuthentication;
}

/** What each grant hands to oauth4webapi. */
export interface TokenCall {
	as: AuthorizationServer;
	client: Client;
	auth: ClientAuth;
	options: TokenEndpointRequestOptions;
}

export type Grant = (oauth: OAuth, call: TokenCall) => Promise<TokenEndpointResponse>;

/**
 * RFC 6749 §3.2: every grant is one POST to the token endpoint, the client authenticated, answered by a
 * token or an error. The error becomes a login failure that says what the server said and nothing sent.
 */
export async function requestToken(endpoint: TokenEndpoint, client: OAuth2Client, grant: Grant): Promise<TokenSet> {
	const oauth: OAuth = await import('oauth4webapi');
	const call: TokenCall = {
		// No discovery: the token URL is all there is. oauth4webapi checks the issuer only in ID tokens and JWT assertions, neither used here.
		as: { issuer: endpoint.url, token_endpoint: endpoint.url },
		client: { client_id: client.clientId },
		auth: clientAuth(oauth, client),
		options: tokenRequestOptions(oauth, endpoint),
	};
	const issuedAt = Date.now();
	try {
		return toTokenSet(await grant(oauth, call), issuedAt);
	} catch (error) {
		throw await tokenFailure(oauth, error, endpoint.url);
	}
}

function clientAuth(oauth: OAuth, client: OAuth2Client): ClientAuth {
	if (client.clientSecret === undefined) return oauth.None();
	return client.clientAuthentication === 'body' ? oauth.ClientSecretPost(client.clientSecret) : oauth.ClientSecretBasic(client.clientSecret);
}
