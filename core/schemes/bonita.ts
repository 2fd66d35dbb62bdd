import type { AuthScheme, SchemeWire } from './auth-scheme';
import { requireText, requireUrl, type SchemeDefinition } from './scheme-definition';
import { BpmFailure } from '../bpm-error';
import { headerValue } from '../http/http-types';
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
