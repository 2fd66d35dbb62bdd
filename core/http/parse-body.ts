import type { ResponseBody, ResponseFormat } from './http-types';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const TEXT_TYPE = /^(?:text\/|application\/(?:[\w.+-]+\+)?xml\b|application\/x-www-form-urlencoded\b)/i;

/** JSON, text or binary: as asked, or (auto) from the Content-Type, as Bonita's connectors and both runtimes' HTTP nodes do. */
export function parseBody(data: Buffer, contentType: string | undefined, format: ResponseFormat = 'auto'): ResponseBody {
	if (data.length === 0) return { kind: 'empty' };
	const type = contentType ?? '';
	if (format === 'binary') return { kind: 'binary', value: data, contentType: type || 'application/octet-stream' };
	if (format === 'text') return { kind: 'text', value: data.toString(charsetOf(type)) };
	if (format === 'json' || JSON_TYPE.test(type)) {
		const text = data.toString('utf8');
		try {
			return { kind: 'json', value: parseJsonSafely(text) };
		} catch {
			return { kind: 'text', value: text };
		}
	}
	if (TEXT_TYPE.test(type) || type === '') return { kind: 'text', value: data.toString(charsetOf(type)) };
	return { kind: 'binary', value: data, contentType: type };
}

/** Text that could name __proto__ or prototype, also through a \u escape; anything else parses without a reviver. */
const RISKY_KEY = /proto|\\u/;

/** Drops __proto__ and constructor.prototype keys so a hostile server cannot pollute prototypes downstream. */
export function parseJsonSafely(text: string): unknown {
	// A reviver visits every value, which triples the cost of parsing: only paid when a risky key may be there.
	if (!RISKY_KEY.test(text)) return JSON.parse(text);
	return JSON.parse(text, function (key, value: unknown) {
		if (key === '__proto__') return undefined;
		if (key === 'prototype' && this !== null && typeof this === 'object' && 'constructor' in this) return undefined;
		return value;
	});
}

function charsetOf(contentType: string): BufferEncoding {
	const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().toLowerCase().replace(/"/g, '');
	return charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8';
}

/** The start of a body, as text, for an error value. */
export function bodyExcerpt(body: ResponseBody, max = 1000): string | undefined {
	switch (body.kind) {
		case 'empty':
			return undefined;
		case 'json':
			return truncate(JSON.stringify(body.value), max);
		case 'text':
			return truncate(body.value, max);
		case 'binary':
			return `<${body.value.length} bytes of ${body.contentType}>`;
	}
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}
