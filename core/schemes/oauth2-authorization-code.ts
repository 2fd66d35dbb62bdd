import type { AuthScheme } from './auth-scheme';
import { BpmFailure } from '../bpm-error';
import { exchangeCode } from '../oauth2/authorization-code';
import { authorizeBearer } from '../oauth2/bearer';
import { optionalCodeVerifier, optionalScope, optionalText, optionalToken, parseClientAuthentication, requireEndpoint } from '../oauth2/config-fields';
import { refreshGrant } from '../oauth2/refresh';
import type { ClientAuthentication } from '../oauth2/token-request';
import { tokenRenewalTime, tokenSecrets, type TokenSet } from '../oauth2/token-set';
import { optionalUrl, requireText, type SchemeDefinition } from './scheme-definition';

export interface OAuth2AuthorizationCodeConfig {
	tokenUrl: string;
	clientId: string;
	/** Absent for a public client: PKCE alone protects its code. */
	clientSecret?: string;
	clientAuthentication: ClientAuthentication;
	/** Required to exchange a code: the one the authorization request named. */
	redirectUri?: string;
	/** The code the redirect brought back, with the verifier created with the authorization URL: usable once. */
	code?: string;
	codeVerifier?: string;
	/** From an earlier exchange: logs in without a user, as often as the server allows. */
	refreshToken?: string;
	/** Space separated; sent with a refresh to ask for no more than this. */
	scope?: string;
	baseUrl?: string;
}

/**
 * OAuth2 authorization code with PKCE (RFC 6749 §4.1, RFC 7636), for a user who authorized once in a
 * browser. The login refreshes when it has a refresh token (the last one the server sent, else the
 * configured one), and otherwise exchanges the configured code. A refresh token the server rotates
 * replaces the old one in the new state, in memory.
 */
export function oauth2AuthorizationCodeScheme(config: OAuth2AuthorizationCodeConfig): AuthScheme<TokenSet> {
	return {
		label: 'OAuth2',
		baseUrl: config.baseUrl,
		async login(wire, { previous }) {
			const endpoint = { url: config.tokenUrl, wire };
			const refreshToken = previous?.refreshToken ?? config.refreshToken;
			if (refreshToken) return refreshGrant(endpoint, config, refreshToken, config.scope);
			// A code works once: after a first login without a refresh token only a new authorization helps.
			if (previous) throw loginFailure('The OAuth2 access token expired and the server sent no refresh token: authorize again, asking for a refresh token (often the offline_access scope)');
			if (config.code && config.codeVerifier && config.redirectUri) {
				return exchangeCode(endpoint, config, { code: config.code, codeVerifier: config.codeVerifier, redirectUri: config.redirectUri });
			}
			throw loginFailure(`OAuth2 authorization code login needs a refresh token, or an authorization code with its code verifier and redirect URI; missing: ${missingForExchange(config).join(', ')}`);
		},
		authorize: authorizeBearer,
		isExpired: (response) => response.status === 401,
		renewAt: tokenRenewalTime,
		secrets: (tokens) => [config.clientSecret, config.code, config.codeVerifier, config.refreshToken].filter((s): s is string => s !== undefined).concat(tokenSecrets(tokens)),
	};
}

function missingForExchange(config: OAuth2AuthorizationCodeConfig): string[] {
	const fields = { code: config.code, codeVerifier: config.codeVerifier, redirectUri: config.redirectUri };
	return Object.entries(fields)
		.filter(([, value]) => !value)
		.map(([name]) => name);
}

function loginFailure(message: string): BpmFailure {
	return new BpmFailure({ kind: 'login', message });
}

export const oauth2AuthorizationCode: SchemeDefinition<OAuth2AuthorizationCodeConfig> = {
	id: 'oauth2AuthorizationCode',
	displayName: 'OAuth2 Authorization Code (PKCE)',
	n8nCredential: 'bpmAuthorizationCodeOAuth2Api',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => ({
		tokenUrl: requireEndpoint(data, 'tokenUrl', { query: false }),
		clientId: requireText(data, 'clientId'),
		clientSecret: optionalText(data, 'clientSecret'),
		clientAuthentication: parseClientAuthentication(data),
		redirectUri: optionalText(data, 'redirectUri') === undefined ? undefined : requireEndpoint(data, 'redirectUri', { query: true }),
		code: optionalToken(data, 'code'),
		codeVerifier: optionalCodeVerifier(data),
		refreshToken: optionalToken(data, 'refreshToken'),
		scope: optionalScope(data),
		baseUrl: optionalUrl(data, 'baseUrl'),
	}),
	createScheme: oauth2AuthorizationCodeScheme,
};
