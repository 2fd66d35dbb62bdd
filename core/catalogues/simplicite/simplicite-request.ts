import type { HttpResponse } from '../../http/http-types';
import type { OperationRequest } from '../../operations/operation';

/** Simplicité's generic REST API on business objects, relative to the application (the scheme's base URL). */
const REST = 'api/rest';

/** `api/rest/<Obj>[/<row_id>]`, each segment encoded (checkValues already refused slashes and dot segments). */
export function objectPath(object: unknown, rowId?: unknown): string {
	return rowId === undefined ? `${REST}/${segment(object)}` : `${REST}/${segment(object)}/${segment(rowId)}`;
}

/**
 * A custom action or a publication (5.1+): `…/<Obj>[/<row_id>]/action:<NAME>`. Without a row id it is the global
 * one, which applies to the records the search filters select. The colon stays literal: it is part of the path.
 */
export function customPath(object: unknown, rowId: unknown, kind: 'action' | 'publication', name: unknown): string {
	const record = rowId === undefined ? objectPath(object) : objectPath(object, rowId);
	return `${record}/${kind}:${segment(name)}`;
}

export function get(path: string, ...query: ReadonlyArray<readonly [string, string] | undefined>): OperationRequest {
	return { method: 'GET', path, query: query.filter((q): q is readonly [string, string] => q !== undefined) };
}

export function jsonBody(response: HttpResponse): unknown {
	return response.body.kind === 'json' ? response.body.value : undefined;
}

function segment(value: unknown): string {
	return encodeURIComponent(String(value));
}
