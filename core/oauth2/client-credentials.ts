import type { TokenEndpoint } from './token-fetch';
import { requestToken, type OAuth2Client } from './token-request';
import type { TokenSet } from './token-set';

export interface ClientCredentialsRequest {
	/** Space separated. */
	scope?: string;
	/** Not in RFC 6749: the extra parameter Auth0, Okta and others use to name the API the token is for. */
	audience?: string;
}

/** RFC 6749 §4.4: the client asks for a token on its own behalf. */
export function clientCredentialsGrant(endpoint: TokenEndpoint, client: OAuth2Client & { clientSecret: string }, request: ClientCredentialsRequest): Promise<TokenSet> {
	return requestToken(endpoint, client, async (oauth, { as, client: metadata, auth, options }) => {
		const parameters = new URLSearchParams();
		if (request.scope) parameters.set('scope', request.scope);
		if (request.audience) parameters.set('audience', request.audience);
		const response = await oauth.clientCredentialsGrantRequest(as, metadata, auth, parameters, options);
		return oauth.processClientCredentialsResponse(as, metadata, response);
	});
}
