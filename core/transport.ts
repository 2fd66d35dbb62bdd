import type { IncomingMessage } from 'node:http';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import FormData from 'form-data';
import { CookieJar } from 'tough-cookie';
import { AgentPool, SOCKETS_PER_ORIGIN } from './agent-pool';
import { BpmFailure } from './bpm-error';
import { createExchangeSlots } from './exchange-slots';
import { followRedirect, isRedirect } from './follow-redirect';
import { DEFAULT_EXCHANGE, headerValue, type ExchangeSettings, type HttpRequest, type HttpResponse, type RequestBody } from './http-types';
import { parseBody } from './parse-body';

/**
 * One cookie jar and its keep-alive agents. A session owns one, so cookies never cross credentials
 * and every call of that session reuses its sockets.
 */
/** Signs a same-origin redirect hop afresh: a Digest response is bound to the request-URI it was computed for. */
export type AuthorizeHop = (hop: HttpRequest) => HttpRequest;

export interface Transport {
	send(request: HttpRequest, authorizeHop?: AuthorizeHop): Promise<HttpResponse>;
	cookie(name: string, url: string): Promise<string | undefined>;
	cookieValues(): string[];
	clearCookies(): Promise<void>;
	close(): void;
}

export function createTransport(): Transport {
	const jar = new CookieJar();
	let jarHoldsCookies = false;
	const agents = new AgentPool();
	const withSlot = createExchangeSlots(SOCKETS_PER_ORIGIN);
	const client: AxiosInstance = axios.create({
		// Redirects are followed here, hop by hop, so cookies and credentials are decided per origin.
		maxRedirects: 0,
		validateStatus: () => true,
		responseType: 'arraybuffer',
		transformResponse: [(data: unknown) => data],
	});

	const exchange = async (request: HttpRequest, settings: ExchangeSettings, sendJarCookies: boolean): Promise<HttpResponse> => {
		const url = new URL(request.url);
		const route = agents.route(url, settings);
		const headers = { ...request.headers };
		// Most APIs set no cookie: an empty jar is not searched on every call.
		const jarCookies = sendJarCookies && jarHoldsCookies ? await jar.getCookieString(request.url) : '';
		if (jarCookies) headers.Cookie = headers.Cookie ? `${headers.Cookie}; ${jarCookies}` : jarCookies;
		const send = () => {
			// Encoded per attempt: a file body is a fresh stream each time.
			const { data, contentType, length } = encodeBody(request.body);
			const sent = { ...headers };
			if (contentType && !Object.keys(sent).some((name) => name.toLowerCase() === 'content-type')) sent['Content-Type'] = contentType;
			if (length !== undefined) sent['Content-Length'] = String(length);
			// A cleared timer rather than AbortSignal.timeout, whose timers live on for the whole deadline after the call.
			const deadline = new AbortController();
			const timer = setTimeout(() => deadline.abort(), settings.deadlineMs);
			return client
				.request<Buffer>({
				method: request.method,
				url: request.url,
				headers: sent,
				data,
				maxBodyLength: Infinity,
				timeout: settings.timeoutMs,
				signal: deadline.signal,
				maxContentLength: settings.maxResponseBytes,
				httpAgent: route.httpAgent,
				httpsAgent: route.httpsAgent,
				proxy: route.proxy,
				})
				.finally(() => clearTimeout(timer));
		};
		let response: AxiosResponse<Buffer>;
		try {
			response = await send().catch((error: unknown) => {
				// A kept-alive socket the peer closed while idle: the request never reached it (Node's documented remedy).
				if (isStaleSocket(error) && IDEMPOTENT.has(request.method)) return send();
				throw error;
			});
		} catch (error) {
			throw transportFailure(error, request, settings);
		}
		// tinyproxy answers wrong proxy credentials with 401, not 407; an answer the proxy made itself has no Via.
		if (route.proxy && (response.status === 407 || (response.status === 401 && !response.headers.via))) {
			throw new BpmFailure({ kind: 'proxy', status: response.status, message: `The proxy ${route.proxy.host}:${route.proxy.port} refused the request (${response.status}): check the proxy credentials` });
		}
		const res = (response.request as { res?: IncomingMessage } | undefined)?.res;
		const responseHeaders = distinctHeaders(res?.headersDistinct ?? (response.headers as Record<string, unknown>));
		for (const line of [responseHeaders['set-cookie'] ?? []].flat()) {
			jarHoldsCookies = true;
			await jar.setCookie(line, request.url, { ignoreError: true });
		}
		return {
			status: response.status,
			statusText: response.statusText,
			headers: responseHeaders,
			body: settings.ignoreBody ? { kind: 'empty' } : parseBody(Buffer.from(response.data ?? []), headerText(responseHeaders['content-type']), settings.responseFormat),
			url: request.url,
		};
	};

	return {
		async send(request, authorizeHop) {
			const settings: ExchangeSettings = { ...DEFAULT_EXCHANGE, ...request.settings };
			let current = request;
			for (let hops = 0; ; hops++) {
				// Cookies ignore ports, origins do not: a redirect to another origin gets none of the session's cookies.
				const response = await withSlot(() => exchange(current, settings, new URL(current.url).origin === new URL(request.url).origin));
				const location = headerValue(response, 'location');
				if (!settings.followRedirects || !isRedirect(response.status) || !location) return response;
				if (hops >= settings.maxRedirects) throw new BpmFailure({ kind: 'network', message: `More than ${settings.maxRedirects} redirects from ${request.method} ${request.url}` });
				const hop = followRedirect(current, response.status, location);
				current = authorizeHop && new URL(hop.url).origin === new URL(request.url).origin ? authorizeHop(hop) : hop;
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

function encodeBody(body: RequestBody | undefined): { data?: string | Buffer | NodeJS.ReadableStream; contentType?: string; length?: number } {
	if (!body) return {};
	switch (body.kind) {
		case 'file':
			return { data: body.file.open(), contentType: body.file.contentType, length: body.file.size };
		case 'multipart': {
			const form = new FormData();
			for (const [name, value] of body.fields) form.append(name, value);
			form.append(body.fieldName, body.file.open(), { filename: body.file.fileName, contentType: body.file.contentType, knownLength: body.file.size });
			return { data: form, contentType: form.getHeaders()['content-type'], length: form.getLengthSync() };
		}
		case 'json':
			return { data: JSON.stringify(body.value), contentType: 'application/json; charset=utf-8' };
		case 'form':
			return { data: new URLSearchParams(body.fields).toString(), contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
		case 'raw':
			return { data: body.data, contentType: body.contentType };
	}
}

/** Lower-case names; a header sent several times keeps each value (Set-Cookie, X-Multi…). */
function distinctHeaders(headers: Record<string, unknown>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		const values = Array.isArray(value) ? value.map(String) : [String(value)];
		out[name.toLowerCase()] = values.length === 1 ? values[0] : values;
	}
	return out;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

function isStaleSocket(error: unknown): boolean {
	const code = isAxiosError(error) ? ((error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.code) : undefined;
	return isAxiosError(error) && (error.request as { reusedSocket?: boolean } | undefined)?.reusedSocket === true && (code === 'ECONNRESET' || code === 'EPIPE');
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ALTNAME|SSL/;

/** Built from codes and statuses only: an axios error carries the request headers and must travel no further. */
function transportFailure(error: unknown, request: HttpRequest, settings: ExchangeSettings): BpmFailure {
	if (error instanceof BpmFailure) return error;
	const target = `${request.method} ${new URL(request.url).origin}`;
	if (!isAxiosError(error)) return new BpmFailure({ kind: 'network', message: `${target} failed: ${(error as Error)?.message}` });
	const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? error.code ?? '';
	if (error.code === 'ERR_CANCELED') return new BpmFailure({ kind: 'timeout', message: `${target} did not complete within the ${settings.deadlineMs} ms deadline` });
	if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return new BpmFailure({ kind: 'timeout', message: `${target} did not answer within ${settings.timeoutMs} ms` });
	if (/maxContentLength/i.test(error.message)) return new BpmFailure({ kind: 'network', message: `${target} sent a body larger than the ${settings.maxResponseBytes}-byte limit` });
	const status = error.response?.status;
	if (status === 407 || status === 401) {
		return new BpmFailure({ kind: 'proxy', status, message: `The proxy refused to open a tunnel for ${target} (${status}): check the proxy credentials` });
	}
	if (TLS_CODES.test(cause)) {
		return new BpmFailure({ kind: 'tls', message: `${target}: the server's certificate was refused (${cause}); add its CA certificate, or switch verification off for a test server` });
	}
	// llhttp's codes: the server broke HTTP itself (a bare CR or LF, a NUL, a folded line in a header).
	if (cause.startsWith('HPE_')) return new BpmFailure({ kind: 'network', message: `${target} sent a malformed HTTP response (${cause}); nothing of it was used` });
	return new BpmFailure({ kind: 'network', message: `${target} failed: ${cause || 'connection error'}` });
}
