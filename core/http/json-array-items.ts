import type { BodySink } from './http-types';

/** The elements of a JSON array body, parsed one by one as the bytes arrive. */
export interface JsonArrayItems extends BodySink {
	items(): unknown[];
	/** What was wrong with the body (not an array, cut short, an element that is not JSON); undefined when it read well. */
	problem(): string | undefined;
	/** A body that was not an array (a vendor's error object in a 200), parsed when it was JSON and small enough to keep. */
	notArray(): unknown;
}

/** Enough for an error object; a larger body that is not an array is not kept. */
const NOT_ARRAY_LIMIT = 64 * 1024;

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = new Set([0x7b, 0x5b]);
const CLOSE = new Set([0x7d, 0x5d]);

/**
 * Reads a top-level JSON array element by element: only the element being read is held as bytes, each parsed as it
 * closes, and reading stops after `limit` elements. Structural characters are ASCII, so scanning bytes is safe in
 * UTF-8: an element's bytes are decoded whole.
 */
export function jsonArrayItems(limit: number): JsonArrayItems {
	let items: unknown[] = [];
	let depth = 0;
	let inString = false;
	let escaped = false;
	/** Inside an element: the bytes read of it so far, and where it starts in the current chunk. */
	let parts: Buffer[] = [];
	let inElement = false;
	let elementStart = 0;
	let closed = false;
	let problem: string | undefined;
	/** The bytes of a body that turned out not to be an array, kept up to NOT_ARRAY_LIMIT. */
	let other: Buffer[] | undefined;
	let otherSize = 0;

	const fail = (message: string) => {
		problem ??= message;
		return false;
	};
	const finishElement = (chunk: Buffer, end: number): boolean => {
		parts.push(chunk.subarray(elementStart, end));
		const text = Buffer.concat(parts).toString('utf8');
		parts = [];
		inElement = false;
		try {
			items.push(JSON.parse(text));
		} catch {
			return fail(`Element ${items.length + 1} of the answer is not JSON`);
		}
		return items.length < limit;
	};

	return {
		start() {
			items = [];
			depth = 0;
			inString = escaped = inElement = closed = false;
			parts = [];
			problem = undefined;
			other = undefined;
			otherSize = 0;
		},
		write(chunk) {
			if (other) return keepOther(chunk);
			if (problem || closed) return false;
			elementStart = 0;
			for (let i = 0; i < chunk.length; i++) {
				const byte = chunk[i];
				if (inString) {
					if (escaped) escaped = false;
					else if (byte === BACKSLASH) escaped = true;
					else if (byte === QUOTE) {
						inString = false;
						if (depth === 1 && !finishElement(chunk, i + 1)) return false;
					}
					continue;
				}
				// A number, true, false or null ends at the first byte that cannot continue it.
				if (inElement && depth === 1 && (byte === COMMA || CLOSE.has(byte) || WHITESPACE.has(byte))) {
					if (!finishElement(chunk, i)) return false;
				}
				if (WHITESPACE.has(byte)) continue;
				if (depth === 0) {
					if (byte !== 0x5b) {
						other = [];
						return keepOther(chunk.subarray(i));
					}
					depth = 1;
					continue;
				}
				const startsElement = depth === 1 && !inElement && byte !== COMMA && !CLOSE.has(byte);
				if (startsElement) {
					inElement = true;
					elementStart = i;
				}
				if (byte === QUOTE) inString = true;
				else if (OPEN.has(byte)) depth++;
				else if (CLOSE.has(byte)) {
					depth--;
					if (depth === 0) {
						closed = true;
						return false;
					}
					if (depth === 1 && !finishElement(chunk, i + 1)) return false;
				}
			}
			if (inElement) {
				parts.push(chunk.subarray(elementStart));
			}
			return true;
		},
		end() {
			if (!closed && !problem && items.length < limit) fail(depth === 0 ? 'The answer is not a JSON array' : 'The answer ended before its array closed');
		},
		items: () => items,
		problem: () => problem,
		notArray() {
			if (!other || otherSize > NOT_ARRAY_LIMIT) return undefined;
			try {
				return JSON.parse(Buffer.concat(other).toString('utf8'));
			} catch {
				return undefined;
			}
		},
	};

	function keepOther(chunk: Buffer): boolean {
		otherSize += chunk.length;
		if (otherSize > NOT_ARRAY_LIMIT) return fail('The answer is not a JSON array');
		other!.push(chunk);
		return true;
	}
}
