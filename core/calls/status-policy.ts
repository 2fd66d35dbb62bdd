import { inputError } from '../bpm-error';

/** Bonita's REST connector rules: fail on 4xx, fail on 5xx, and codes exempt from both. */
export interface StatusPolicy {
	failOn4xx: boolean;
	failOn5xx: boolean;
	exceptCodes: readonly number[];
}

export const FAIL_ON_ERRORS: StatusPolicy = { failOn4xx: true, failOn5xx: true, exceptCodes: [] };

export function isFailureStatus(status: number, policy: StatusPolicy): boolean {
	if (policy.exceptCodes.includes(status)) return false;
	return (policy.failOn4xx && status >= 400 && status < 500) || (policy.failOn5xx && status >= 500);
}

/** Lists already read: every call of a node parses the same one or two texts. Frozen, so no caller can change a shared list. */
const parsedLists = new Map<string, readonly number[]>();

/** "404, 409 429" → [404, 409, 429]; anything that is not a status code is refused, naming the field. */
export function parseStatusCodes(text: string | number[] | undefined, field: string): readonly number[] {
	if (text === undefined || text === '') return [];
	if (typeof text === 'string') {
		let codes = parsedLists.get(text);
		if (!codes) {
			codes = Object.freeze(readStatusCodes(text, field));
			if (parsedLists.size < 1000) parsedLists.set(text, codes);
		}
		return codes;
	}
	return readStatusCodes(text, field);
}

function readStatusCodes(text: string | number[], field: string): number[] {
	const parts = Array.isArray(text) ? text.map(String) : text.split(/[\s,;]+/).filter((part) => part !== '');
	return parts.map((part) => {
		const code = Number(part);
		if (!/^\d{3}$/.test(part) || code < 100 || code > 599) throw inputError(field, `"${part}" in ${field} is not an HTTP status code (100 to 599)`);
		return code;
	});
}
