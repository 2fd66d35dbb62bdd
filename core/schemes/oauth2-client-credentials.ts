import type { AuthScheme } from './auth-scheme';
import { authorizeBearer } from '../oauth2/bearer';
import { clientCredentialsGrant } from '../oauth2/client-credentials';
import { optionalAudience, optionalScope, parseClientAuthentication, requireEndpoint } from '../oauth2/config-fields';
import type { ClientAuthentication } from '../oauth2/token-request';
import { tokenRenewalTime, tokenSecrets, type TokenSet } from '../oauth2/token-set';
import { optionalUrl, requireText, type SchemeDefinition } from './scheme-definition';

export interface OAuth2ClientCredentialsConfig {
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	clientAuthentication: ClientAuthentication;
	/** Space separated. */
	scope?: string;
	audience?: string;
	/** When set, the token goes to this origin only; otherwise to every URL the node calls. */
	baseUrl?: string;
}

/**
 * OAuth2 client credentials (RFC 6749 §4.4): one token request is the login, the token travels as
 * Authorization: Bearer. A 401 means the token expired or was revoked, and a new one fixes it; a token
 * with a known lifetime is replaced shortly before it ends. The session caches the token per credential.
 */
export function oauth2ClientCredentialsScheme(config: OAuth2ClientCredentialsConfig): AuthScheme<TokenSet> {
	return {
		label: 'OAuth2',
		baseUrl: config.baseUrl,
		login: (wire) => clientCredentialsGrant({ url: config.tokenUrl, wire }, config, config),
		authorize: authorizeBearer,
		isExpired: (response) => response.status === 401,
		renewAt: tokenRenewalTime,
		secrets: (tokens) => [config.clientSecret, ...tokenSecrets(tokens)],
	};
}

export const oauth2ClientCredentials: SchemeDefinition<OAuth2ClientCredentialsConfig> = {
	id: 'oauth2ClientCredentials',
	displayName: 'OAuth2 Client Credentials',
	n8nCredential: 'bpmClientCredentialsOAuth2Api',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => ({
		tokenUrl: requireEndpoint(data, 'tokenUrl', { query: false }),
		clientId: requireText(data, 'clientId'),
		clientSecret: requireText(data, 'clientSecret'),
		clientAuthentication: parseClientAuthentication(data),
		scope: optionalScope(data),
		audience: optionalAudience(data),
		baseUrl: optionalUrl(data, 'baseUrl'),
	}),
	createScheme: oauth2ClientCredentialsScheme,
};
