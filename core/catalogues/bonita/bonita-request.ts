import type { OperationRequest } from '../../operations/operation';

/** A Bonita search filter: `f=name=value` (an empty value matches the empty field: the unassigned pool). */
export function filter(name: string, value: string): readonly [string, string] {
	return ['f', `${name}=${value}`];
}

/** Bonita's single sort clause. */
export function order(clause: string): readonly [string, string] {
	return ['o', clause];
}

/** Ids go into paths: encoded, though checkValues already refused slashes and dot segments. */
export function path(template: TemplateStringsArray, ...ids: unknown[]): string {
	return template.reduce((out, text, index) => out + text + (index < ids.length ? encodeURIComponent(String(ids[index])) : ''), '');
}

export function get(pathname: string, ...query: ReadonlyArray<readonly [string, string] | undefined>): OperationRequest {
	return { method: 'GET', path: pathname, query: query.filter((q): q is readonly [string, string] => q !== undefined) };
}

/** The first item of a search, or undefined. */
export function firstItem(body: unknown): Record<string, unknown> | undefined {
	return Array.isArray(body) && typeof body[0] === 'object' && body[0] !== null ? (body[0] as Record<string, unknown>) : undefined;
}
