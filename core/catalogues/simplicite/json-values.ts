/** Reading the JSON Simplicité sends, where every value may come as text. */

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string trimmed, a number or boolean as text, anything else empty. */
export function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
