import type { CallOptions } from './call-options';
import { HTTP_METHODS, type HttpMethod, type HttpRequest, type RequestBody } from './http-types';
import { inputError } from './bpm-error';

/** What a user fills in, in either runtime, before validation. */
export interface RequestInput {
	method: string;
	/** Absolute, or relative to baseUrl. */
	url: string;
	baseUrl?: string;
	query?: Array<{ name: string; value: string }>;
	headers?: Array<{ name: string; value: string }>;
	/** JSON body: a value, or JSON text to parse. */
	json?: unknown;
	/** A body sent as given, when there is no JSON body. */
	raw?: { data: string | Buffer; contentType: string };
	/** Retry, status rules, timeouts, redirects, TLS and proxy. */
	options?: CallOptions;
}

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters other than horizontal tab (CR and LF above all) would split or smuggle headers. */
const FORBIDDEN_IN_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export function buildRequest(input: RequestInput): HttpRequest {
	const method = parseMethod(input.method);
	const url = resolveUrl(input.url, input.baseUrl);
	for (const { name, value } of input.query ?? []) {
		if (name === '') throw inputError('query', 'A query parameter has an empty name');
		url.searchParams.append(name, value);
	}
	const headers: Record<string, string> = {};
	for (const { name, value } of input.headers ?? []) {
		checkHeader(name, value);
		headers[name] = value;
	}
	const body = input.json === undefined || input.json === '' ? rawBody(input.raw) : jsonBody(input.json);
	return { method, url: url.toString(), headers, body };
}

function parseMethod(method: string): HttpMethod {
	const upper = method.toUpperCase();
	const known = HTTP_METHODS.find((m) => m === upper);
	if (!known) throw inputError('method', `Method "${method}" is not one of ${HTTP_METHODS.join(', ')}`);
	return known;
}

/** Joins like a path, not like new URL(rel, base), which would drop the base's last segment (/bonita). */
export function resolveUrl(url: string, baseUrl?: string): URL {
	const trimmed = url.trim();
	if (trimmed === '') throw inputError('url', 'The URL is empty');
	const absolute = /^[a-z][a-z0-9+.-]*:/i.test(trimmed);
	if (!absolute && !baseUrl) throw inputError('url', `The URL "${trimmed}" is relative and no base URL is configured`);
	const text = absolute ? trimmed : `${baseUrl!.replace(/\/+$/, '')}/${trimmed.replace(/^\/+/, '')}`;
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw inputError('url', `The URL "${text}" is not a valid URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw inputError('url', `The URL "${text}" must start with http:// or https://`);
	}
	return parsed;
}

export function checkHeader(name: string, value: string): void {
	if (!HEADER_NAME.test(name)) throw inputError('headers', `Header name "${escapeControls(name)}" is not a valid HTTP header name`);
	if (FORBIDDEN_IN_VALUE.test(value)) {
		throw inputError('headers', `Header "${name}" has a line break or control character in its value`);
	}
}

function jsonBody(json: unknown): RequestBody {
	if (typeof json !== 'string') return { kind: 'json', value: json };
	try {
		return { kind: 'json', value: JSON.parse(json) };
	} catch (error) {
		throw inputError('body', `The JSON body is not valid JSON: ${(error as Error).message}`);
	}
}

function rawBody(raw: RequestInput['raw']): RequestBody | undefined {
	return raw && { kind: 'raw', data: raw.data, contentType: raw.contentType };
}

function escapeControls(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
