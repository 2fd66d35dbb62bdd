import type { HttpResponse } from '../../http/http-types';
import type { OperationRequest } from '../../operations/operation';

/** The classic WLE family, relative to the connection's base URL (which carries any /bas or /<offering>/<env> prefix). */
export const WLE = 'rest/bpm/wle/v1';

type Query = ReadonlyArray<readonly [string, string] | undefined>;

/** Ids go into paths: encoded, though checkValues already refused slashes and dot segments. */
export function path(template: TemplateStringsArray, ...ids: unknown[]): string {
	return template.reduce((out, text, index) => out + text + (index < ids.length ? encodeURIComponent(String(ids[index])) : ''), '');
}

export function get(pathname: string, ...query: Query): OperationRequest {
	return { method: 'GET', path: pathname, query: present(query) };
}

export function present(query: Query): Array<readonly [string, string]> {
	return query.filter((q): q is readonly [string, string] => q !== undefined);
}

/** A query parameter when the value is set. */
export function optional(name: string, value: unknown): readonly [string, string] | undefined {
	return value === undefined || value === null || value === '' ? undefined : [name, String(value)];
}

/** The JSON body of an answer, or undefined. */
export function jsonBody(response: HttpResponse): unknown {
	return response.body.kind === 'json' ? response.body.value : undefined;
}

/** What a WLE answer carries: `{"status":"200","data":…}` unwrapped. */
export function wleData(response: HttpResponse): Record<string, unknown> {
	return asRecord(asRecord(jsonBody(response)).data);
}

export function asRecord(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asRecords(value: unknown): Record<string, unknown>[] {
	return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item)) : [];
}

export function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}
