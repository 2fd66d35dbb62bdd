import { renewalTime, type AuthScheme } from './auth-scheme';
import { BpmFailure, inputError } from '../bpm-error';
import type { HttpRequest, HttpResponse } from '../http/http-types';
import { requireText, requireUrl, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

/** Where each call carries the token. */
export type SimpliciteTokenTransport = 'header' | 'bearer' | 'parameter';

export const SIMPLICITE_TOKEN_TRANSPORTS: readonly SimpliciteTokenTransport[] = ['header', 'bearer', 'parameter'];

export interface SimpliciteConfig {
	/** The application, context path included, without /api: e.g. https://host/myapp (the API is at <url>/api). */
	url: string;
	username: string;
	password: string;
	/** X-Simplicite-Authorization (preferred by Simplicité), Authorization: Bearer, or the URL parameter. */
	tokenTransport: SimpliciteTokenTransport;
	/** Simplicité 3.x: the token is only valid with the JSESSIONID cookie of its login; the login must set one. */
	v3Mode: boolean;
}

export interface SimpliciteState {
	token: string;
	/** Epoch ms, when the login said how long it lasts (expires_in or authtokenexpiry). */
	renewAt?: number;
}

const TOKEN_HEADER = 'X-Simplicite-Authorization';
/** The default of the USERTOKENS_URL_PARAM system parameter. */
export const SIMPLICITE_TOKEN_PARAMETER = '_x_simplicite_authorization_';
const SESSION_COOKIE = 'JSESSIONID';

/**
 * Simplicité API endpoint: GET <base>/api/login with HTTP Basic answers a user token (JSON authtoken,
 * OAuth2 access_token or plain text); every call sends it back as a bearer header or URL parameter; 401
 * means the token expired or was logged out, and a new login fixes it. <base>/api/logout ends the token.
 * Cookies are kept in the session's jar in every mode: 3.x needs JSESSIONID, later versions ignore it.
 */
export function simpliciteScheme(config: SimpliciteConfig): AuthScheme<SimpliciteState> {
	const base = config.url.replace(/\/+$/, '');
	const basePath = new URL(base).pathname.replace(/\/+$/, '');
	const loginUrl = `${base}/api/login`;
	const basic = Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64');

	/** The token goes to this application only, never to another one on the same origin, nor to the login. */
	const carriesToken = (url: string): boolean => {
		const path = new URL(url).pathname;
		const underBase = basePath === '' || path === basePath || path.startsWith(`${basePath}/`);
		return underBase && path.replace(/\/+$/, '') !== `${basePath}/api/login`;
	};

	const authorize = (request: HttpRequest, state: SimpliciteState): HttpRequest => {
		if (!carriesToken(request.url)) return request;
		switch (config.tokenTransport) {
			case 'header':
				return withHeaders(request, { [TOKEN_HEADER]: `Bearer ${state.token}` });
			case 'bearer':
				return withHeaders(request, { Authorization: `Bearer ${state.token}` });
			case 'parameter':
				return { ...request, url: withParameter(request.url, SIMPLICITE_TOKEN_PARAMETER, state.token) };
		}
	};

	return {
		label: 'Simplicité',
		baseUrl: base,
		async login(wire) {
			const response = await wire.send({
				method: 'GET',
				url: `${loginUrl}?_json=true`,
				headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
			});
			const issuedAt = Date.now();
			if (response.status === 401 || response.status === 403) {
				throw loginFailure(`Simplicité rejected the username or password (${response.status})`, response.status);
			}
			if (response.status !== 200) {
				const hint = response.status === 404 ? ': check the base URL (the application, without /api)' : '';
				throw loginFailure(`Simplicité login answered ${`${response.status} ${response.statusText}`.trim()} instead of 200${hint}`, response.status);
			}
			const state = readLogin(response, issuedAt);
			if (config.v3Mode && !(await wire.cookie(SESSION_COOKIE, loginUrl))) {
				throw loginFailure(
					`Simplicité 3.x mode: the login set no ${SESSION_COOKIE} cookie, without which 3.x refuses the token; turn 3.x mode off for Simplicité 4.0 and later`,
					response.status,
				);
			}
			return state;
		},
		authorize,
		isExpired(response, request) {
			return response.status === 401 && carriesToken(request.url);
		},
		describeFailure: describeSimpliciteFailure,
		async logout(wire, state) {
			await wire.send(authorize({ method: 'GET', url: `${base}/api/logout`, headers: {} }, state));
		},
		renewAt(state) {
			return state.renewAt;
		},
		secrets(state) {
			return [config.password, basic, ...(state?.token ? [state.token] : [])];
		},
	};
}

/** Simplicité's refusals in its own words: the `{"error", "status"}` body of its REST API (vendor notes 3). */
function describeSimpliciteFailure(response: HttpResponse): string | undefined {
	const body = response.body.kind === 'json' ? response.body.value : undefined;
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const error = textOf((body as Record<string, unknown>).error);
	return error ? `Simplicité refused the call (${response.status}): ${error}` : undefined;
}

/** The three shapes of a login answer: {authtoken, authtokenexpiry?}, OAuth2 {access_token, expires_in}, or the token as text. */
function readLogin(response: HttpResponse, issuedAt: number): SimpliciteState {
	const body = response.body;
	if (body.kind === 'json' && body.value !== null && typeof body.value === 'object' && !Array.isArray(body.value)) {
		const value = body.value as Record<string, unknown>;
		const token = textOf(value.authtoken) ?? textOf(value.access_token);
		if (!token) {
			const error = textOf(value.error);
			throw loginFailure(error ? `Simplicité refused the login: ${error}` : 'Simplicité accepted the login (200) but sent no authtoken', response.status);
		}
		return { token: checkToken(token, response.status), renewAt: renewalFrom(value, issuedAt) };
	}
	const text = body.kind === 'text' ? body.value.trim() : body.kind === 'json' && typeof body.value === 'string' ? body.value.trim() : '';
	if (text.startsWith('<')) throw loginFailure('Simplicité login answered an HTML page instead of a token: check the base URL', response.status);
	if (!text) throw loginFailure('Simplicité accepted the login (200) but sent no token', response.status);
	return { token: checkToken(text, response.status) };
}

/** The earlier of the two expiries a login may state; none when it states neither. */
function renewalFrom(value: Record<string, unknown>, issuedAt: number): number | undefined {
	const lifetimes: number[] = [];
	const expiresIn = numberOf(value.expires_in);
	if (expiresIn !== undefined) lifetimes.push(expiresIn * 1000);
	const expiry = numberOf(value.authtokenexpiry);
	if (expiry !== undefined) lifetimes.push(expiry - issuedAt);
	// A lifetime already over (clock skew, a bogus value) would make every call log in again: the 401 path covers it instead.
	const usable = lifetimes.filter((ms) => ms > 0);
	return usable.length ? renewalTime(issuedAt, Math.min(...usable)) : undefined;
}

function checkToken(token: string, status: number): string {
	if (/[\s\u0000-\u001f\u007f]/.test(token)) throw loginFailure('Simplicité login answered something that is not a token (it holds spaces or control characters)', status);
	return token;
}

function textOf(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function numberOf(value: unknown): number | undefined {
	const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isFinite(number) ? number : undefined;
}

function loginFailure(message: string, status: number): BpmFailure {
	return new BpmFailure({ kind: 'login', message, status });
}

/** Replaces any value of the parameter the caller put there, leaving the rest of the query byte for byte. */
function withParameter(url: string, name: string, value: string): string {
	const hashAt = url.indexOf('#');
	const fragment = hashAt < 0 ? '' : url.slice(hashAt);
	const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
	const queryAt = beforeHash.indexOf('?');
	const path = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
	const kept = (queryAt < 0 ? '' : beforeHash.slice(queryAt + 1)).split('&').filter((part) => part !== '' && decodedName(part) !== name);
	return `${path}?${[...kept, `${name}=${encodeURIComponent(value)}`].join('&')}${fragment}`;
}

function decodedName(part: string): string {
	const raw = part.split('=')[0].replace(/\+/g, ' ');
	try {
		return decodeURIComponent(raw);
	} catch {
		return raw;
	}
}

function parseTokenTransport(data: Record<string, unknown>): SimpliciteTokenTransport {
	const value = data.tokenTransport;
	if (value === undefined || value === null || value === '') return 'header';
	if (typeof value === 'string' && (SIMPLICITE_TOKEN_TRANSPORTS as readonly string[]).includes(value)) return value as SimpliciteTokenTransport;
	throw inputError('tokenTransport', `The credential field "tokenTransport" must be one of ${SIMPLICITE_TOKEN_TRANSPORTS.join(', ')}`);
}

function parseFlag(data: Record<string, unknown>, field: string): boolean {
	const value = data[field];
	if (value === true || value === 'true') return true;
	if (value === undefined || value === null || value === false || value === '' || value === 'false') return false;
	throw inputError(field, `The credential field "${field}" must be true or false`);
}

export const simplicite: SchemeDefinition<SimpliciteConfig> = {
	id: 'simplicite',
	displayName: 'Simplicité',
	n8nCredential: 'simpliciteApi',
	nodeRedConfig: 'bpm-simplicite',
	parseConfig: (data) => ({
		url: requireUrl(data, 'url'),
		username: requireText(data, 'username'),
		password: requireText(data, 'password'),
		tokenTransport: parseTokenTransport(data),
		v3Mode: parseFlag(data, 'v3Mode'),
	}),
	createScheme: simpliciteScheme,
};
