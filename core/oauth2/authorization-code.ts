import { createHash, randomBytes } from 'node:crypto';
import type { TokenEndpoint } from './token-fetch';
import { requestToken, type OAuth2Client } from './token-request';
import type { TokenSet } from './token-set';

export interface AuthorizationParameters {
	/** The authorization endpoint; a query it already has (a tenant, a policy) is kept. */
	authorizationEndpoint: string;
	clientId: string;
	redirectUri: string;
	/** Space separated. */
	scope?: string;
}

/** Where to send the user, and what to keep until the redirect brings the code back. */
export type AuthorizationRequest = {
	authorizationUrl: string;
	/** Secret until the code exchange, which proves with it that this client asked for the code. */
	codeVerifier: string;
	codeChallenge: string;
	/** To compare with the state the redirect brings back: a redirect without it was not asked for. */
	state: string;
};

/**
 * RFC 6749 §4.1.1 with PKCE (RFC 7636 §4.1–4.3): a fresh verifier, its S256 challenge and a state,
 * in the URL the user opens. Synchronous: node:crypto does here what oauth4webapi does with WebCrypto's
 * promises, so building a link never waits.
 */
export function startAuthorization(parameters: AuthorizationParameters): AuthorizationRequest {
	const codeVerifier = randomBytes(32).toString('base64url');
	const codeChallenge = pkceChallenge(codeVerifier);
	const state = randomBytes(32).toString('base64url');
	const url = new URL(parameters.authorizationEndpoint);
	url.searchParams.set('response_type', 'code');
	url.searchParams.set('client_id', parameters.clientId);
	url.searchParams.set('redirect_uri', parameters.redirectUri);
	if (parameters.scope) url.searchParams.set('scope', parameters.scope);
	url.searchParams.set('state', state);
	url.searchParams.set('code_challenge', codeChallenge);
	url.searchParams.set('code_challenge_method', 'S256');
	return { authorizationUrl: url.toString(), codeVerifier, codeChallenge, state };
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceChallenge(codeVerifier: string): string {
	return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export interface CodeExchange {
	code: string;
	codeVerifier: string;
	/** The one the authorization request named: the server checks they match. */
	redirectUri: string;
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5: the code, the verifier behind its challenge, and the same redirect URI. */
export function exchangeCode(endpoint: TokenEndpoint, client: OAuth2Client, exchange: CodeExchange): Promise<TokenSet> {
	return requestToken(endpoint, client, async (oauth, { as, client: metadata, auth, options }) => {
		// oauth4webapi takes a code only inside validated callback parameters; the state, if any, was the caller's to compare when the redirect came back.
		const callback = oauth.validateAuthResponse(as, metadata, new URLSearchParams({ code: exchange.code }), oauth.skipStateCheck);
		const response = await oauth.authorizationCodeGrantRequest(as, metadata, auth, callback, exchange.redirectUri, exchange.codeVerifier, options);
		return oauth.processAuthorizationCodeResponse(as, metadata, response);
	});
}
