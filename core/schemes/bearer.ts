import type { AuthScheme } from './auth-scheme';
import { optionalUrl, requireToken, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export interface BearerConfig {
	token: string;
	baseUrl?: string;
}

/** A token typed into a credential (RFC 6750). A token taken from the item or message goes through RequestInput.bearerToken instead. */
export function bearerScheme(config: BearerConfig): AuthScheme<void> {
	return {
		label: 'Bearer Auth',
		baseUrl: config.baseUrl,
		async login() {},
		authorize: (request) => withHeaders(request, { Authorization: `Bearer ${config.token}` }),
		// Nothing here can mint a new token: the 401 is the user's to see.
		isExpired: () => false,
		secrets: () => [config.token],
	};
}

export const bearer: SchemeDefinition<BearerConfig> = {
	id: 'bearer',
	displayName: 'Bearer Auth',
	n8nCredential: 'httpBearerAuth',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => ({ token: requireToken(data, 'token'), baseUrl: optionalUrl(data, 'baseUrl') }),
	createScheme: bearerScheme,
};
