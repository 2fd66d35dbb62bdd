import type { AuthScheme, SchemeWire } from './auth-scheme';
import { requireText, requireUrl, type SchemeDefinition } from './scheme-definition';
import { BpmFailure } from '../bpm-error';
import { headerValue, type HttpResponse } from '../http/http-types';
import { withHeaders } from '../http/with-headers';

export interface BonitaConfig {
	/** e.g. http://host:8080/bonita */
	url: string;
	username: string;
	password: string;
}

/** Undefined when the server issues no CSRF token (7.3 and older, or CSRF switched off). */
export interface BonitaState {
	token?: string;
}

const TOKEN = 'X-Bonita-API-Token';

/**
 * Bonita web REST API: form login to loginservice sets JSESSIONID and the X-Bonita-API-Token cookie;
 * every call echoes the token as a header; 401 means the session is gone.
 */
export function bonitaScheme(config: BonitaConfig): AuthScheme<BonitaState> {
	const base = config.url.replace(/\/+$/, '');
	return {
		label: 'Bonita',
		baseUrl: base,
		async login(wire) {
			const response = await wire.send({
				method: 'POST',
				url: `${base}/loginservice`,
				headers: {},
				body: { kind: 'form', fields: [['username', config.username], ['password', config.password], ['redirect', 'false']] },
			});
			if (response.status === 401) throw loginFailure('Bonita rejected the username or password (401)', 401);
			if (response.status !== 204 && response.status !== 200) {
				throw loginFailure(`Bonita login answered ${response.status} ${response.statusText} instead of 204`, response.status);
			}
			return { token: (await wire.cookie(TOKEN, `${base}/API/`)) ?? (await tokenFromSessionResource(wire, base)) };
		},
		authorize(request, state) {
			return state.token ? withHeaders(request, { [TOKEN]: state.token }) : request;
		},
		isExpired(response) {
			return response.status === 401;
		},
		describeFailure: describeBonitaFailure,
		async logout(wire) {
			await wire.send({ method: 'GET', url: `${base}/logoutservice?redirect=false`, headers: {} });
		},
		secrets(state) {
			return [config.password, ...(state?.token ? [state.token] : [])];
		},
	};
}

/** The token cookie's path moved between / and /bonita across versions; the session resource always echoes it. */
async function tokenFromSessionResource(wire: SchemeWire, base: string): Promise<string | undefined> {
	const response = await wire.send({ method: 'GET', url: `${base}/API/system/session/unusedId`, headers: {} });
	if (response.status === 401) throw loginFailure('Bonita accepted the login but the session was refused right after (401)', 401);
	return headerValue(response, TOKEN);
}

/**
 * Bonita's refusals in its own words: the contract's explanations of a 400 (vendor notes 1.7), the Community case
 * quota of a 429 (150 cases per 30 days, vendor notes 1.2).
 */
function describeBonitaFailure(response: HttpResponse): string | undefined {
	const body = response.body.kind === 'json' ? (response.body.value as { explanations?: unknown; message?: unknown } | null) : undefined;
	if (response.status === 400 && Array.isArray(body?.explanations) && body.explanations.length > 0) {
		return `Bonita refused the contract inputs (400): ${body.explanations.map(String).join('; ')}`;
	}
	const text = response.body.kind === 'text' ? response.body.value : typeof body?.message === 'string' ? body.message : '';
	if (response.status === 429 && /case creation limit/i.test(text + JSON.stringify(body ?? ''))) {
		const after = headerValue(response, 'retry-after');
		return `Bonita's case creation limit is reached (429; Community edition: 150 cases in 30 days)${after ? `: the next case can start after ${after}` : ''}`;
	}
	return undefined;
}

function loginFailure(message: string, status: number): BpmFailure {
	return new BpmFailure({ kind: 'login', message, status });
}

export const bonita: SchemeDefinition<BonitaConfig> = {
	id: 'bonita',
	displayName: 'Bonita',
	n8nCredential: 'bonitaApi',
	nodeRedConfig: 'bpm-bonita',
	parseConfig: (data) => ({
		url: requireUrl(data, 'url'),
		username: requireText(data, 'username'),
		password: requireText(data, 'password'),
	}),
	createScheme: bonitaScheme,
};
