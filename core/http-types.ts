/** The request and response values that flow through the engine. Plain data: no I/O, no classes. */

export const HTTP_METHODS = ['HEAD', 'GET', 'DELETE', 'POST', 'PUT', 'PATCH'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A body the engine can send again on a replay or retry: never a consumed stream. */
export type RequestBody =
	| { kind: 'json'; value: unknown }
	| { kind: 'form'; fields: Array<[string, string]> }
	| { kind: 'raw'; data: string | Buffer; contentType: string };

export interface HttpRequest {
	method: HttpMethod;
	/** Absolute URL, query included. */
	url: string;
	headers: Record<string, string>;
	body?: RequestBody;
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
