import type { AuthScheme } from './auth-scheme';
import { BpmFailure, inputError } from '../bpm-error';
import { headerValue } from '../http/http-types';
import { requireText, requireToken, requireUrl, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export type FunnelbackAuthMode = 'login' | 'applicationToken';

export const FUNNELBACK_AUTH_MODES: readonly FunnelbackAuthMode[] = ['login', 'applicationToken'];

/** Either an account that logs in for a login token, or a non-expiring application token used as is. */
export type FunnelbackConfig = (
	| {
			/** The admin API server, e.g. https://host:8443 (the admin API lives at /admin-api). */
			url: string;
			authMode: 'login';
			username: string;
			password: string;
	  }
	| {
			url: string;
			authMode: 'applicationToken';
			applicationToken: string;
	  }
) & {
	/** The collections (search packages, push data sources) the Collection dropdowns offer: Funnelback has no call that lists them. */
	collections?: readonly string[];
};

/** The token sent as X-Security-Token: a login token, or the configured application token. */
export interface FunnelbackState {
	token: string;
}

/**
 * What core does not ask of a scheme yet: the words for a failed response that only the scheme can
 * explain. A revoked application token is an ordinary 401 to the engine; see describeFailure.
 */
const TOKEN = 'X-Security-Token';
const LOGIN_PATH = '/admin-api/account/v1/login';

/**
 * Funnelback / Squiz DXP Search: a form login to the admin API returns the token in the
 * X-Security-Token response header; every call sends it back in the same header. A login token dies
 * on a 401 (two weeks, revoked, password changed, server restarted) and a new login fixes it. A
 * non-expiring application token needs no login, and nothing but a new token fixes its 401.
 */
export function funnelbackScheme(config: FunnelbackConfig): AuthScheme<FunnelbackState> {
	const base = config.url.replace(/\/+$/, '');
	const usesLogin = config.authMode === 'login';
	return {
		label: 'Funnelback',
		baseUrl: base,
		configuredLists: { collections: config.collections ?? [] },
		async login(wire) {
			if (config.authMode === 'applicationToken') return { token: config.applicationToken };
			const response = await wire.send({
				method: 'POST',
				url: `${base}${LOGIN_PATH}`,
				headers: {},
				body: { kind: 'form', fields: [['username', config.username], ['password', config.password]] },
			});
			if (response.status === 401) throw loginFailure('Funnelback rejected the username or password (401)', 401);
			if (response.status < 200 || response.status > 299) {
				throw loginFailure(`Funnelback login answered ${`${response.status} ${response.statusText}`.trim()} instead of 200`, response.status);
			}
			const token = headerValue(response, TOKEN)?.trim();
			if (!token) throw loginFailure(`Funnelback accepted the login (${response.status}) but sent no ${TOKEN} header`, response.status);
			return { token };
		},
		authorize(request, state) {
			return withHeaders(request, { [TOKEN]: state.token });
		},
		isExpired(response) {
			// An application token never expires: its 401 means revoked or wrong, and logging in again cannot help.
			return usesLogin && response.status === 401;
		},
		describeFailure(response) {
			if (usesLogin || response.status !== 401) return undefined;
			return 'Funnelback refused the application token (401): it was revoked or is invalid. Create a new application token and update the credential';
		},
		secrets(state) {
			const configured = config.authMode === 'login' ? config.password : config.applicationToken;
			return [configured, ...(state?.token && state.token !== configured ? [state.token] : [])];
		},
	};
}

function loginFailure(message: string, status: number): BpmFailure {
	return new BpmFailure({ kind: 'login', message, status });
}

function parseAuthMode(data: Record<string, unknown>): FunnelbackAuthMode {
	const mode = data.authMode;
	if (mode === undefined || mode === null || mode === '') return 'login';
	if (typeof mode === 'string' && (FUNNELBACK_AUTH_MODES as readonly string[]).includes(mode)) return mode as FunnelbackAuthMode;
	throw inputError('authMode', `The credential field "authMode" must be "login" or "applicationToken"`);
}

/** One name per line or between commas, as typed in the credential or config node. */
function parseCollections(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	if (typeof value !== 'string') throw inputError('collections', 'The credential field "collections" must be text: one collection per line');
	return [...new Set(value.split(/[\n,]/).map((name) => name.trim()).filter((name) => name !== ''))];
}

export const funnelback: SchemeDefinition<FunnelbackConfig> = {
	id: 'funnelback',
	displayName: 'Funnelback',
	n8nCredential: 'funnelbackApi',
	nodeRedConfig: 'bpm-funnelback',
	parseConfig: (data) => {
		const url = requireUrl(data, 'url');
		if (/\/admin-api$/i.test(url)) throw inputError('url', 'The credential field "url" must be the server without /admin-api, e.g. https://host:8443');
		const collections = parseCollections(data.collections);
		if (parseAuthMode(data) === 'applicationToken') return { url, authMode: 'applicationToken', applicationToken: requireToken(data, 'applicationToken'), collections };
		return { url, authMode: 'login', username: requireText(data, 'username'), password: requireText(data, 'password'), collections };
	},
	createScheme: funnelbackScheme,
};
