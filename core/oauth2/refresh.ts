import type { TokenEndpoint } from './token-fetch';
import { requestToken, type OAuth2Client } from './token-request';
import type { TokenSet } from './token-set';

/**
 * RFC 6749 §6. A server that rotates refresh tokens sends a new one, which replaces the old; one that
 * does not leaves the old one valid, so the new token set keeps it.
 * @param scope sent when given: at most what was granted, so a server may narrow the new token to it.
 */
export async function refreshGrant(endpoint: TokenEndpoint, client: OAuth2Client, refreshToken: string, scope?: string): Promise<TokenSet> {
	const tokens = await requestToken(endpoint, client, async (oauth, { as, client: metadata, auth, options }) => {
		const response = await oauth.refreshTokenGrantRequest(as, metadata, auth, refreshToken, { ...options, ...(scope ? { additionalParameters: { scope } } : {}) });
		return oauth.processRefreshTokenResponse(as, metadata, response);
	});
	return tokens.refreshToken ? tokens : { ...tokens, refreshToken };
}
