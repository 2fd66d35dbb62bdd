/** The request and response values that flow through the engine. Plain data: no I/O, no classes. */

export const HTTP_METHODS = ['HEAD', 'GET', 'DELETE', 'POST', 'PUT', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A file to upload: opened afresh for each attempt, so a retry or a replay never meets a consumed stream. */
export interface FileSource {
	open(): NodeJS.ReadableStream;
	/** Bytes; sent as Content-Length, so the upload streams without chunked encoding or buffering. */
	size: number;
	fileName: string;
	contentType: string;
}

/** A body the engine can send again on a replay or retry. */
export type RequestBody =
	| { kind: 'json'; value: unknown }
	| { kind: 'form'; fields: Array<[string, string]> }
	| { kind: 'raw'; data: string | Buffer; contentType: string }
	/** The file as the whole body (the connectors' POST FILE / PUT FILE). */
	| { kind: 'file'; file: FileSource }
	/** The file as one part of multipart/form-data, with other text fields. */
	| { kind: 'multipart'; file: FileSource; fieldName: string; fields: Array<[string, string]> };

export type ResponseFormat = 'auto' | 'json' | 'text' | 'binary';

/** How one exchange travels: everything here may differ between two calls of the same session. */
export interface ExchangeSettings {
	/** Connect and first byte. */
	timeoutMs: number;
	/** The whole exchange, body included: a server that trickles past it is cut off. */
	deadlineMs: number;
	maxResponseBytes: number;
	followRedirects: boolean;
	maxRedirects: number;
	tls: TlsSettings;
	proxy?: ProxySettings;
	responseFormat: ResponseFormat;
	/** The body is read and dropped: the item carries status and headers only. */
	ignoreBody: boolean;
	/**
	 * A write that is not idempotent whatever its method (Simplicité runs actions on GET): not resent even on a
	 * kept-alive socket the peer seemed to have closed, since the peer may have processed it.
	 */
	neverResend?: boolean;
	/** Reads a successful (2xx) body as it arrives instead of holding it; the response then carries no body. */
	bodySink?: BodySink;
	/** Aborting it closes the exchange's socket at once, whatever it was waiting for. */
	signal?: AbortSignal;
}

/**
 * A consumer of a long answer (Funnelback's all-results.json): chunks as they arrive, so neither the body nor its
 * parse is ever held whole, and reading stops once the consumer has enough. `start` comes with each 2xx answer:
 * a retried or redirected call starts over.
 */
export interface BodySink {
	start(): void;
	/** False: enough read; the rest of the body is not read. */
	write(chunk: Buffer): boolean;
	end(): void;
}

export interface TlsSettings {
	/** PEM, added to Node's default roots, never instead of them. */
	ca?: string;
	cert?: string;
	key?: string;
	pfx?: Buffer;
	passphrase?: string;
	rejectUnauthorized: boolean;
}

export interface ProxySettings {
	url: string;
	username?: string;
	password?: string;
	/** Host names (or .suffixes) reached directly. */
	noProxy: string[];
}

export const DEFAULT_EXCHANGE: ExchangeSettings = {
	timeoutMs: 30_000,
	deadlineMs: 300_000,
	maxResponseBytes: 64 * 1024 * 1024,
	followRedirects: true,
	maxRedirects: 10,
	tls: { rejectUnauthorized: true },
	responseFormat: 'auto',
	ignoreBody: false,
};

export interface HttpRequest {
	method: HttpMethod;
	/** Absolute URL, query included. */
	url: string;
	headers: Record<string, string>;
	body?: RequestBody;
	settings?: Partial<ExchangeSettings>;
}

export type ResponseBody =
	| { kind: 'empty' }
	| { kind: 'json'; value: unknown }
	| { kind: 'text'; value: string }
	| { kind: 'binary'; value: Buffer; contentType: string };

export interface HttpResponse {
	status: number;
	statusText: string;
	/** Lower-case names; repeated headers keep every value. */
	headers: Record<string, string | string[]>;
	body: ResponseBody;
	url: string;
}

export function headerValue(response: HttpResponse, name: string): string | undefined {
	const value = response.headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}
