import { renewalTime, type AuthScheme } from './auth-scheme';
import { inputError, BpmFailure } from '../bpm-error';
import type { ResponseBody } from '../http/http-types';
import { requireText, requireUrl, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export interface BawConfig {
	/** On-premises https://host:9443, or the cloud form https://host/<offering>/<environment> (CP4BA: .../bas). */
	url: string;
	username: string;
	password: string;
	/** Seconds the csrf token should live: 1..7200. */
	requestedLifetime: number;
	refreshGroups: boolean;
}

export interface BawState {
	csrfToken: string;
	/** The XSRF-TOKEN cookie of recent versions, echoed for WLE writes when the server checks it. */
	xsrfToken?: string;
	/** Epoch ms: log in again before the csrf token runs out. */
	renewAt: number;
}

const CSRF_HEADER = 'BPMCSRFToken';
const XSRF_HEADER = 'X-XSRF-TOKEN';
/** "The request was blocked because the BPMCSRFToken token header could not be verified": expired or missing. */
const CSRF_EXPIRED = 'CWTBG0651E';
export const BAW_MAX_LIFETIME = 7200;

/**
 * IBM Business Automation Workflow: POST bpm/system/login with Basic auth yields a csrf token (and the
 * LtpaToken2/JSESSIONID cookies, kept by the session's jar); every call carries it as BPMCSRFToken.
 * A 403 with error number CWTBG0651E means the token is gone: log in again and replay. No logout exists.
 *
 * Every call also carries Basic auth, as IBM's own examples do: the token is then the only session state,
 * so an LTPA cookie or HTTP session that times out before the token (server-side settings the client
 * cannot see) never turns into a 401 that no re-login would be attempted for, and a 401 always means
 * the credentials themselves are refused.
 */
export function bawScheme(config: BawConfig): AuthScheme<BawState> {
	const base = config.url.replace(/\/+$/, '');
	const basic = `Basic ${Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64')}`;
	const lifetimeMs = config.requestedLifetime * 1000;
	return {
		label: 'IBM BAW',
		baseUrl: base,
		async login(wire) {
			const issuedAt = Date.now();
			const response = await wire.send({
				method: 'POST',
				url: `${base}/bpm/system/login`,
				headers: { Authorization: basic, Accept: 'application/json' },
				body: { kind: 'json', value: { refresh_groups: config.refreshGroups, requested_lifetime: config.requestedLifetime } },
			});
			if (response.status === 401) throw loginFailure('IBM BAW rejected the username or password (401)', 401);
			if (response.status !== 201 && response.status !== 200) {
				const detail = errorMessage(response.body);
				throw loginFailure(`IBM BAW login answered ${response.status} ${response.statusText} instead of 201${detail ? `: ${detail}` : ''}`, response.status);
			}
			const body = jsonObject(response.body);
			const csrfToken = body?.csrf_token;
			if (typeof csrfToken !== 'string' || csrfToken === '') {
				throw loginFailure(`IBM BAW login answered ${response.status} without a csrf_token`, response.status);
			}
			const xsrfToken = await wire.cookie('XSRF-TOKEN', `${base}/rest/bpm/wle/v1/`);
			return { csrfToken, ...(xsrfToken ? { xsrfToken } : {}), renewAt: renewalTime(issuedAt, grantedLifetimeMs(body?.expiration, issuedAt, lifetimeMs)) };
		},
		authorize(request, state) {
			const headers: Record<string, string> = { Authorization: basic, [CSRF_HEADER]: state.csrfToken };
			if (state.xsrfToken) headers[XSRF_HEADER] = state.xsrfToken;
			return withHeaders(request, headers);
		},
		isExpired(response) {
			return response.status === 403 && errorNumber(response.body) === CSRF_EXPIRED;
		},
		renewAt(state) {
			return state.renewAt;
		},
		secrets(state) {
			return [config.password, basic.slice('Basic '.length), ...(state ? [state.csrfToken] : []), ...(state?.xsrfToken ? [state.xsrfToken] : [])];
		},
	};
}

/**
 * What the server granted: "expiration" was observed as a duration in seconds (7200); an epoch (seconds
 * or milliseconds) is read too. Never longer than requested; the requested lifetime when unusable.
 */
function grantedLifetimeMs(expiration: unknown, issuedAt: number, requestedMs: number): number {
	const value = typeof expiration === 'string' && /^\d+$/.test(expiration.trim()) ? Number(expiration) : expiration;
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return requestedMs;
	let granted: number;
	if (value > 1e12) granted = value - issuedAt;
	else if (value > 1e9) granted = value * 1000 - issuedAt;
	else granted = value * 1000;
	return granted > 0 ? Math.min(granted, requestedMs) : requestedMs;
}

function jsonObject(body: ResponseBody): Record<string, unknown> | undefined {
	let value: unknown;
	if (body.kind === 'json') value = body.value;
	else if (body.kind === 'text') {
		try {
			value = JSON.parse(body.value);
		} catch {
			return undefined;
		}
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The Process REST exception model (error_number), or the classic WLE error (Data.errorNumber). */
function errorFields(body: ResponseBody): { number?: unknown; message?: unknown } {
	const value = jsonObject(body);
	if (!value) return {};
	if (value.error_number !== undefined) return { number: value.error_number, message: value.error_message };
	const data = value.Data ?? value.data;
	if (typeof data === 'object' && data !== null) {
		const wle = data as Record<string, unknown>;
		return { number: wle.errorNumber ?? wle.error_number, message: wle.errorMessage ?? wle.error_message };
	}
	return {};
}

function errorNumber(body: ResponseBody): string | undefined {
	const { number } = errorFields(body);
	if (typeof number === 'string') return number;
	return body.kind === 'text' ? /^\s*(CWTBG\d{4}E)\b/.exec(body.value)?.[1] : undefined;
}

function errorMessage(body: ResponseBody): string | undefined {
	const { message } = errorFields(body);
	return typeof message === 'string' && message !== '' ? message.slice(0, 300) : undefined;
}

function loginFailure(message: string, status: number): BpmFailure {
	return new BpmFailure({ kind: 'login', message, status });
}

/** Ours win over a caller's header of the same name, whatever its case. */
/** HTTP Basic cannot carry a colon in the user name (RFC 7617). */
function basicUsername(data: Record<string, unknown>): string {
	const username = requireText(data, 'username');
	if (username.includes(':')) throw inputError('username', 'The credential field "username" must not contain ":" (HTTP Basic authentication)');
	return username;
}

function parseLifetime(value: unknown): number {
	if (value === undefined || value === null || value === '') return BAW_MAX_LIFETIME;
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > BAW_MAX_LIFETIME) {
		throw inputError('requestedLifetime', `The credential field "requestedLifetime" must be a whole number of seconds from 1 to ${BAW_MAX_LIFETIME}`);
	}
	return number;
}

function parseFlag(value: unknown, field: string): boolean {
	if (value === true || value === 'true') return true;
	if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
	throw inputError(field, `The credential field "${field}" must be true or false`);
}

export const baw: SchemeDefinition<BawConfig> = {
	id: 'baw',
	displayName: 'IBM BAW',
	n8nCredential: 'bawApi',
	nodeRedConfig: 'bpm-baw',
	parseConfig: (data) => ({
		url: requireUrl(data, 'url'),
		username: basicUsername(data),
		password: requireText(data, 'password'),
		requestedLifetime: parseLifetime(data.requestedLifetime),
		refreshGroups: parseFlag(data.refreshGroups, 'refreshGroups'),
	}),
	createScheme: bawScheme,
};
