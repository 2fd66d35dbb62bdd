import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse, isAxiosError } from 'axios';
import { CookieJar } from 'tough-cookie';
import type { HttpRequest, HttpResponse, RequestBody } from './http-types';
import { parseBody } from './parse-body';
import { BpmFailure } from './bpm-error';

export interface TransportOptions {
	/** Connect and first-byte timeout. */
	timeoutMs?: number;
	maxResponseBytes?: number;
}

/**
 * One connection pool and one cookie jar. A session owns one, so cookies never cross credentials
 * and keep-alive sockets are reused by every call of that session.
 */
export interface Transport {
	send(request: HttpRequest): Promise<HttpResponse>;
	cookie(name: string, url: string): Promise<string | undefined>;
	cookieValues(): string[];
	clearCookies(): Promise<void>;
	close(): void;
}

const DEFAULTS: Required<TransportOptions> = { timeoutMs: 60_000, maxResponseBytes: 64 * 1024 * 1024 };

export function createTransport(options: TransportOptions = {}): Transport {
	const settings = { ...DEFAULTS, ...options };
	const jar = new CookieJar();
	const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
	const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
	const client: AxiosInstance = axios.create({
		httpAgent,
		httpsAgent,
		proxy: false,
		maxRedirects: 0,
		validateStatus: () => true,
		responseType: 'arraybuffer',
		transformResponse: [(data: unknown) => data],
		timeout: settings.timeoutMs,
		maxContentLength: settings.maxResponseBytes,
	});

	return {
		async send(request) {
			const headers = { ...request.headers };
			const jarCookies = await jar.getCookieString(request.url);
			if (jarCookies) headers.Cookie = headers.Cookie ? `${headers.Cookie}; ${jarCookies}` : jarCookies;
			const { data, contentType } = encodeBody(request.body);
			if (contentType && !hasHeader(headers, 'content-type')) headers['Content-Type'] = contentType;
			let response: AxiosResponse<Buffer>;
			try {
				response = await client.request<Buffer>({ method: request.method, url: request.url, headers, data });
			} catch (error) {
				throw transportFailure(error, request, settings);
			}
			const setCookies = response.headers['set-cookie'] ?? [];
			for (const line of setCookies) await jar.setCookie(line, request.url, { ignoreError: true });
			const responseHeaders = plainHeaders(response.headers as Record<string, unknown>);
			return {
				status: response.status,
				statusText: response.statusText,
				headers: responseHeaders,
				body: parseBody(Buffer.from(response.data ?? []), headerText(responseHeaders['content-type'])),
				url: request.url,
			};
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
			httpAgent.destroy();
			httpsAgent.destroy();
		},
	};
}

function encodeBody(body: RequestBody | undefined): { data?: string | Buffer; contentType?: string } {
	if (!body) return {};
	switch (body.kind) {
		case 'json':
			return { data: JSON.stringify(body.value), contentType: 'application/json; charset=utf-8' };
		case 'form':
			return { data: new URLSearchParams(body.fields).toString(), contentType: 'application/x-www-form-urlencoded; charset=utf-8' };
		case 'raw':
			return { data: body.data, contentType: body.contentType };
	}
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function plainHeaders(headers: Record<string, unknown>): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || value === null) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : String(value);
	}
	return out;
}

function headerText(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** Built from the error's code only: an axios error carries request headers and must not travel further. */
function transportFailure(error: unknown, request: HttpRequest, settings: Required<TransportOptions>): BpmFailure {
	const code = isAxiosError(error) ? error.code : undefined;
	const target = `${request.method} ${new URL(request.url).origin}`;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
		return new BpmFailure({ kind: 'timeout', message: `${target} did not answer within ${settings.timeoutMs} ms` });
	}
	if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/i.test(String((error as Error).message))) {
		return new BpmFailure({ kind: 'network', message: `${target} sent a body larger than ${settings.maxResponseBytes} bytes` });
	}
	const cause = isAxiosError(error) ? (error.cause as NodeJS.ErrnoException | undefined)?.code ?? code : undefined;
	return new BpmFailure({ kind: 'network', message: `${target} failed: ${cause ?? 'connection error'}` });
}
