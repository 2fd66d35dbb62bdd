import type { CustomFetchOptions, HttpRequestOptions } from 'oauth4webapi' with { 'resolution-mode': 'import' };
import type { SchemeWire } from '../schemes/auth-scheme';
import type { ExchangeSettings, HttpResponse, ResponseBody } from '../http/http-types';
import type { OAuth } from './token-request';

/** Where token requests travel: a session's wire (its cookie jar, its call's TLS and proxy) or a bare transport. */
export type TokenWire = Pick<SchemeWire, 'send'>;

export interface TokenEndpoint {
	url: string;
	wire: TokenWire;
	/** TLS, proxy and timeouts for a token request made outside a session; a session's wire brings its own. */
	settings?: Partial<ExchangeSettings>;
}

/**
 * oauth4webapi asks for redirect 'manual': a token endpoint that redirects is misconfigured, and
 * following it would hand the client secret to another URL. The body is always read and parsed, whatever
 * the call that needed the token asked for itself.
 */
const TOKEN_EXCHANGE: Partial<ExchangeSettings> = { followRedirects: false, responseFormat: 'auto', ignoreBody: false };

/** Statuses whose web Response cannot carry a body. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** oauth4webapi's fetch goes through our transport, so token calls honour the same TLS and proxy settings as every other call. */
export function tokenRequestOptions(oauth: OAuth, endpoint: TokenEndpoint): HttpRequestOptions<'POST', URLSearchParams> {
	return {
		[oauth.customFetch]: (url: string, init: CustomFetchOptions<'POST', URLSearchParams>) => tokenFetch(endpoint, url, init),
		// A plain http token URL is the user's explicit choice (a test or in-cluster server); https stays enforced otherwise.
		[oauth.allowInsecureRequests]: new URL(endpoint.url).protocol === 'http:',
	};
}

async function tokenFetch(endpoint: TokenEndpoint, url: string, init: CustomFetchOptions<'POST', URLSearchParams>): Promise<Response> {
	const response = await endpoint.wire.send({
		method: init.method,
		url,
		headers: init.headers,
		body: { kind: 'form', fields: [...init.body] },
		settings: { ...endpoint.settings, ...TOKEN_EXCHANGE },
	});
	const headers = new Headers();
	for (const [name, value] of Object.entries(response.headers)) for (const one of [value].flat()) headers.append(name, one);
	return new Response(NULL_BODY_STATUSES.has(response.status) ? null : webBody(response), { status: response.status, statusText: response.statusText, headers });
}

function webBody({ body }: HttpResponse): string | Buffer | null {
	switch (body.kind) {
		case 'empty':
			return null;
		case 'json':
			return JSON.stringify(withoutIdToken(body));
		case 'text':
		case 'binary':
			return body.value;
	}
}

/**
 * The id_token stays out: with only a token URL there is no issuer or key set to validate it against,
 * and oauth4webapi refuses a response whose id_token it cannot validate rather than ignore it.
 */
function withoutIdToken(body: Extract<ResponseBody, { kind: 'json' }>): unknown {
	if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) return body.value;
	const { id_token: _dropped, ...rest } = body.value as Record<string, unknown>;
	return rest;
}
