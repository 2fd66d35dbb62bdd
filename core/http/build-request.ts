import type { CallOptions } from '../calls/call-options';
import { fileFromPath } from './file-source';
import { HTTP_METHODS, type BodySink, type ExchangeSettings, type FileSource, type HttpMethod, type HttpRequest, type RequestBody } from './http-types';
import { inputError } from '../bpm-error';

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
	/** Form fields, sent application/x-www-form-urlencoded. */
	form?: Array<{ name: string; value: string }>;
	/** A body sent as given (text, XML, HTML, octets); a charset is added to text types. */
	raw?: { data: string | Buffer; contentType: string; charset?: string };
	/** A file (in memory or a path on disk): the whole body, or one multipart part when multipartField is set. */
	file?: { source: FileSource | { path: string; contentType: string; fileName?: string }; multipartField?: string; fields?: Array<{ name: string; value: string }> };
	/** An access token from the item or message (an OAuth2 Token node's output), sent as Authorization: Bearer. */
	bearerToken?: string;
	/** Cookies sent with this call, besides those the session keeps. */
	cookies?: Array<{ name: string; value: string }>;
	/** Retry, status rules, timeouts, redirects, TLS and proxy. */
	options?: CallOptions;
	/** A long answer read as it arrives (see BodySink). */
	bodySink?: BodySink;
	/** Stops the call: its socket is closed at once and it is not retried (a closing Node-RED node). */
	signal?: AbortSignal;
}

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters other than horizontal tab (CR and LF above all) would split or smuggle headers. */
const FORBIDDEN_IN_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/**
 * @param baseUrl the connection's, when the input names none
 * @param settings from the input's options (parseCallOptions): given here, since spreading a built request
 * into one with a new key takes V8's slow path (about 10 µs a call in the engine's CPU profile)
 */
export function buildRequest(input: RequestInput, baseUrl = input.baseUrl, settings?: Partial<ExchangeSettings>): HttpRequest {
	const method = parseMethod(input.method);
	const url = resolveUrl(input.url, input.baseUrl ?? baseUrl);
	for (const { name, value } of input.query ?? []) {
		if (name === '') throw inputError('query', 'A query parameter has an empty name');
		url.searchParams.append(name, value);
	}
	const headers: Record<string, string> = {};
	for (const { name, value } of input.headers ?? []) {
		checkHeader(name, value);
		headers[name] = value;
	}
	if (input.bearerToken !== undefined) headers.Authorization = `Bearer ${checkBearerToken(input.bearerToken)}`;
	const cookies = (input.cookies ?? []).filter(({ name, value }) => name !== '' || value !== '');
	for (const { name, value } of cookies) checkCookie(name, value);
	if (cookies.length > 0) headers.Cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
	return { method, url: url.toString(), headers, body: requestBody(input), settings };
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

/** At most one body: two would leave the server to guess which one the user meant. */
function requestBody(input: RequestInput): RequestBody | undefined {
	const json = input.json === undefined || input.json === '' ? undefined : input.json;
	const given = [json !== undefined, input.form !== undefined, input.raw !== undefined, input.file !== undefined].filter(Boolean).length;
	if (given > 1) throw inputError('body', 'Only one body can be sent: JSON, form fields, raw content or a file');
	if (json !== undefined) return jsonBody(json);
	if (input.form) return { kind: 'form', fields: input.form.map(({ name, value }) => [name, value]) };
	if (input.raw) return { kind: 'raw', data: input.raw.data, contentType: withCharset(input.raw.contentType, input.raw.charset) };
	if (input.file) {
		const { multipartField, fields = [] } = input.file;
		const given = input.file.source;
		const source = 'path' in given ? fileFromPath(given.path, given.contentType, given.fileName) : given;
		if (multipartField === undefined) return { kind: 'file', file: source };
		if (!HEADER_NAME.test(multipartField) || /["\r\n]/.test(source.fileName)) throw inputError('file', 'The multipart field name or file name has a character that cannot be sent');
		return { kind: 'multipart', file: source, fieldName: multipartField, fields: fields.map(({ name, value }) => [name, value]) };
	}
	return undefined;
}

function withCharset(contentType: string, charset: string | undefined): string {
	if (!charset || /charset=/i.test(contentType) || !/^(text\/|application\/(?:[\w.+-]+\+)?(?:xml|json)\b)/i.test(contentType)) return contentType;
	return `${contentType}; charset=${charset}`;
}

function checkBearerToken(token: string): string {
	const trimmed = token.trim();
	if (trimmed === '') throw inputError('accessToken', 'The access token is empty');
	if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) throw inputError('accessToken', 'The access token holds spaces or control characters');
	return trimmed;
}

function checkCookie(name: string, value: string): void {
	if (!HEADER_NAME.test(name)) throw inputError('cookies', `Cookie name "${escapeControls(name)}" is not valid`);
	if (/[\u0000-\u001f\u007f;,\s"\\]/.test(value)) throw inputError('cookies', `Cookie "${name}" has a character its value cannot carry (control, space, comma, semicolon, quote or backslash)`);
}

function escapeControls(text: string): string {
	return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
