import { CookieJar } from 'tough-cookie';
import { AgentPool, SOCKETS_PER_ORIGIN, type Route } from './agent-pool';
import { BpmFailure } from '../bpm-error';
import { encodeBody } from './encode-body';
import { createExchangeSlots } from './exchange-slots';
import { followRedirect, isRedirect } from './follow-redirect';
import { DEFAULT_EXCHANGE, headerValue, type ExchangeSettings, type HttpRequest, type HttpResponse } from './http-types';
import { parseBody } from './parse-body';
import { ExchangeFailure, sendExchange, type RawResponse } from './send-exchange';
import { wireHeaders } from './wire-headers';

/** Signs a same-origin redirect hop afresh: a Digest response is bound to the request-URI it was computed for. */
export type AuthorizeHop = (hop: HttpRequest) => HttpRequest;

export interface Transport {
	send(request: HttpRequest, authorizeHop?: AuthorizeHop): Promise<HttpResponse>;
	cookie(name: string, url: string): Promise<string | undefined>;
	cookieValues(): string[];
	clearCookies(): Promise<void>;
	close(): void;
}

/**
 * One cookie jar and its keep-alive agents. A session owns one, so cookies never cross credentials
 * and every call of that session reuses its sockets.
 */
export function createTransport(): Transport {
	const jar = new CookieJar();
	let jarHoldsCookies = false;
	const agents = new AgentPool();
	const withSlot = createExchangeSlots(SOCKETS_PER_ORIGIN);

	const exchange = async (request: HttpRequest, settings: ExchangeSettings, sendJarCookies: boolean): Promise<HttpResponse> => {
		const url = new URL(request.url);
		const route = agents.route(url, settings);
		// Most APIs set no cookie: an empty jar is not searched on every call.
		const jarCookies = sendJarCookies && jarHoldsCookies ? await jar.getCookieString(request.url) : '';
		const send = () => {
			// Encoded per attempt: a file body is a fresh stream each time.
			const body = encodeBody(request.body);
			const headers = wireHeaders(url.host, request.method, request.headers, jarCookies, body);
			return sendExchange({ method: request.method, url, headers, body, route, timeoutMs: settings.timeoutMs, deadlineMs: settings.deadlineMs, maxResponseBytes: settings.maxResponseBytes, ignoreBody: settings.ignoreBody, sink: settings.bodySink, signal: settings.signal });
		};
		let response: RawResponse;
		try {
			response = await send().catch((error: unknown) => {
				// A kept-alive socket the peer closed while idle: the request never reached it (Node's documented remedy).
				if (error instanceof ExchangeFailure && error.reusedSocket && STALE_SOCKET_CODES.has(error.code) && IDEMPOTENT.has(request.method) && !settings.neverResend) return send();
				throw error;
			});
		} catch (error) {
			throw transportFailure(error, request, settings, route);
		}
		// tinyproxy answers wrong proxy credentials with 401, not 407; an answer the proxy made itself has no Via.
		if (route.proxy?.mode === 'forward' && (response.status === 407 || (response.status === 401 && !response.headers.via))) {
			const { host, port } = route.proxy.endpoint;
			throw new BpmFailure({ kind: 'proxy', status: response.status, message: `The proxy ${host}:${port} refused the request (${response.status}): check the proxy credentials` });
		}
		const setCookie = response.headers['set-cookie'];
		for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
			jarHoldsCookies = true;
			await jar.setCookie(line, request.url, { ignoreError: true });
		}
		return {
			status: response.status,
			statusText: response.statusText,
			headers: response.headers,
			body: settings.ignoreBody ? { kind: 'empty' } : parseBody(response.body, headerText(response.headers['content-type']), settings.responseFormat),
			url: request.url,
		};
	};

	return {
		async send(request, authorizeHop) {
			const settings: ExchangeSettings = { ...DEFAULT_EXCHANGE, ...request.settings };
			let current = request;
			let sameOrigin = true;
			for (let hops = 0; ; hops++) {
				// Cookies ignore ports, origins do not: a redirect to another origin gets none of the session's cookies.
				const response = await withSlot(() => exchange(current, settings, sameOrigin));
				const location = headerValue(response, 'location');
				if (!settings.followRedirects || !isRedirect(response.status) || !location) return response;
				if (hops >= settings.maxRedirects) throw new BpmFailure({ kind: 'network', message: `More than ${settings.maxRedirects} redirects from ${request.method} ${request.url}` });
				const hop = followRedirect(current, response.status, location);
				sameOrigin = new URL(hop.url).origin === new URL(request.url).origin;
				current = authorizeHop && sameOrigin ? authorizeHop(hop) : hop;
			}
		},
		async cookie(name, url) {
			const cookies = await jar.getCookies(url);
			return cookies.find((c) => c.key === name)?.value;
		},
		cookieValues() {
			const serialized = jar.serializeSync();
			return (serialized?.cookies ?? []).map((c) => String(c.value ?? '')).filter((v) => v !== '');
		},
		async clearCookies() {
			await jar.removeAllCookies();
		},
		close() {
			agents.destroy();
		},
	};
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ALTNAME|SSL/;

/** Built from codes and statuses only, never from a Node error's text. */
function transportFailure(error: unknown, request: HttpRequest, settings: ExchangeSettings, route: Route): BpmFailure {
	if (error instanceof BpmFailure) return error;
	const target = `${request.method} ${new URL(request.url).origin}`;
	if (!(error instanceof ExchangeFailure)) return new BpmFailure({ kind: 'network', message: `${target} failed: ${(error as Error)?.message}` });
	switch (error.reason) {
		case 'deadline':
			return new BpmFailure({ kind: 'timeout', message: `${target} did not complete within the ${settings.deadlineMs} ms deadline` });
		case 'timeout':
			return new BpmFailure({ kind: 'timeout', message: `${target} did not answer within ${settings.timeoutMs} ms` });
		case 'too-large':
			return new BpmFailure({ kind: 'network', message: `${target} sent a body larger than the ${settings.maxResponseBytes}-byte limit` });
		case 'aborted':
			return new BpmFailure({ kind: 'network', code: 'ABORTED', message: `${target} was stopped before it completed` });
		case 'proxy':
			return new BpmFailure({ kind: 'proxy', status: error.status, message: `The proxy ${route.proxy?.endpoint.host}:${route.proxy?.endpoint.port} refused to open a tunnel for ${target} (${error.status}): check the proxy credentials` });
		case 'socket':
			break;
	}
	const { code } = error;
	if (TLS_CODES.test(code)) {
		return new BpmFailure({ kind: 'tls', message: `${target}: the server's certificate was refused (${code}); add its CA certificate, or switch verification off for a test server` });
	}
	// llhttp's codes: the server broke HTTP itself (a bare CR or LF, a NUL, a folded line in a header).
	if (code.startsWith('HPE_')) return new BpmFailure({ kind: 'network', message: `${target} sent a malformed HTTP response (${code}); nothing of it was used` });
	return new BpmFailure({ kind: 'network', ...(code ? { code } : {}), message: `${target} failed: ${code || 'connection error'}` });
}
