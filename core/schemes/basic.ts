import type { AuthScheme } from './auth-scheme';
import { inputError } from '../bpm-error';
import { optionalUrl, requireText, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export interface BasicConfig {
	user: string;
	password: string;
	baseUrl?: string;
}

/** Preemptive Basic (RFC 7617, UTF-8): the header goes with the first request, so no call pays a 401 round trip. */
export function basicScheme(config: BasicConfig): AuthScheme<void> {
	const header = `Basic ${Buffer.from(`${config.user}:${config.password}`, 'utf8').toString('base64')}`;
	return {
		label: 'Basic Auth',
		baseUrl: config.baseUrl,
		async login() {},
		authorize: (request) => withHeaders(request, { Authorization: header }),
		// A 401 means the user or password is wrong; sending them again cannot help.
		isExpired: () => false,
		secrets: () => [config.password, header.slice('Basic '.length)],
	};
}

export const basic: SchemeDefinition<BasicConfig> = {
	id: 'basic',
	displayName: 'Basic Auth',
	n8nCredential: 'httpBasicAuth',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => {
		const user = requireText(data, 'user');
		if (user.includes(':')) throw inputError('user', 'The credential field "user" cannot hold a colon in Basic authentication');
		return { user, password: typeof data.password === 'string' ? data.password : '', baseUrl: optionalUrl(data, 'baseUrl') };
	},
	createScheme: basicScheme,
};
