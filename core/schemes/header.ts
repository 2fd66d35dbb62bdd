import type { AuthScheme } from './auth-scheme';
import { inputError } from '../bpm-error';
import { checkHeader } from '../http/build-request';
import { optionalUrl, requireText, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export interface HeaderConfig {
	/** Header name → secret value, e.g. X-API-Key. */
	headers: Record<string, string>;
	baseUrl?: string;
}

/** API keys and other secrets sent as custom headers on every call. */
export function headerScheme(config: HeaderConfig): AuthScheme<void> {
	return {
		label: 'Header Auth',
		baseUrl: config.baseUrl,
		async login() {},
		authorize: (request) => withHeaders(request, config.headers),
		isExpired: () => false,
		secrets: () => Object.values(config.headers),
	};
}

/** The header check, reported against the credential field the user can fix. */
function checkedHeaders(entries: Array<[string, string]>, field: string): Record<string, string> {
	if (entries.length === 0) throw inputError(field, `The credential field "${field}" names no header`);
	for (const [name, value] of entries) {
		try {
			checkHeader(name, value);
		} catch (error) {
			throw inputError(field, (error as Error).message);
		}
	}
	return Object.fromEntries(entries);
}

/** n8n's Header Auth credential: one name and one secret value. */
export const header: SchemeDefinition<HeaderConfig> = {
	id: 'header',
	displayName: 'Header Auth',
	n8nCredential: 'httpHeaderAuth',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => ({
		headers: checkedHeaders([[requireText(data, 'name').trim(), requireText(data, 'value')]], 'name'),
		baseUrl: optionalUrl(data, 'baseUrl'),
	}),
	createScheme: headerScheme,
};

/** n8n's Custom Auth credential: JSON {"headers": {...}}; its query and body parts are refused rather than ignored. */
export const customHeaders: SchemeDefinition<HeaderConfig> = {
	id: 'customHeaders',
	displayName: 'Custom Auth (headers)',
	n8nCredential: 'httpCustomAuth',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => {
		let parsed: unknown;
		try {
			parsed = JSON.parse(requireText(data, 'json'));
		} catch (error) {
			throw inputError('json', `The credential field "json" is not valid JSON: ${(error as Error).message}`);
		}
		const { headers, ...rest } = (parsed ?? {}) as { headers?: unknown };
		if (Object.keys(rest).length > 0) throw inputError('json', `The credential field "json" may only hold "headers"; ${Object.keys(rest).join(', ')} is not supported`);
		if (typeof headers !== 'object' || headers === null || Object.values(headers).some((v) => typeof v !== 'string')) {
			throw inputError('json', 'The credential field "json" must be {"headers": {"Name": "value"}} with text values');
		}
		return { headers: checkedHeaders(Object.entries(headers as Record<string, string>), 'json'), baseUrl: optionalUrl(data, 'baseUrl') };
	},
	createScheme: headerScheme,
};
