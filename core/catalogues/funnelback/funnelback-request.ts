import { inputError } from '../../bpm-error';

export type QueryPairs = Array<readonly [string, string]>;

/** Ids go into paths: encoded, and a segment that would reach another resource is refused naming the field. */
export function segment(value: unknown, field: string, label: string): string {
	const text = String(value ?? '').trim();
	if (text === '' || /[/\\?#]/.test(text) || /^\.\.?$/.test(text)) throw inputError(field, `${label} "${text}" is not a valid name`);
	return encodeURIComponent(text);
}

/** A JSON parameter that must be an object of named values. */
export function namedValues(value: unknown, field: string, label: string): Record<string, unknown> {
	if (value === undefined) return {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw inputError(field, `${label} must be a JSON object`);
	return value as Record<string, unknown>;
}

/** A value as the texts it sends: a list gives one text each; objects and null are refused naming the field. */
export function texts(value: unknown, field: string, name: string): string[] {
	const list = Array.isArray(value) ? value : [value];
	return list.map((item) => {
		if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') return String(item);
		throw inputError(field, `The value of "${name}" in ${field} must be text, a number, a boolean or a list of them`);
	});
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
