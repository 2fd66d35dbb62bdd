import { inputError } from '../../bpm-error';
import type { FileSource } from '../../http/http-types';
import type { FileResolver } from '../../operations/catalogue';
import type { ObjectField } from './object-field';

/** A document sent inline: more would make a JSON body no server takes. */
const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/**
 * One field's value as Simplicité takes it in a JSON body: every value a string (its records hold strings only),
 * a document as `{id: "0", name, mime, content}` with the content in base64 (vendor notes 3; that the REST body
 * takes it as the Ajax API does is [I]). `path` names the field in errors (`fields.demoPrdStock`).
 */
export async function fieldValue(field: ObjectField, value: unknown, path: string, files: FileResolver): Promise<unknown> {
	if (field.kind === 'document') return inlineDocument(await files(value, path), path);
	if (typeof value === 'object' && !(value instanceof Date)) throw inputError(path, `${field.label} takes one value, not ${Array.isArray(value) ? 'a list' : 'an object'}`);
	const given = value instanceof Date ? value.toISOString() : String(value).trim();
	const refuse = (what: string) => inputError(path, `${field.label} must be ${what}, not "${given}"`);
	switch (field.kind) {
		case 'integer':
			if (!/^[-+]?\d+$/.test(given)) throw refuse('a whole number');
			return given.replace(/^\+/, '');
		case 'decimal':
		case 'bigDecimal':
			if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(given)) throw refuse('a number such as 12.5');
			return given.replace(/^\+/, '');
		case 'boolean': {
			const code = booleanCode(given);
			if (!code) throw refuse('true or false');
			return code;
		}
		case 'date': {
			const date = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(given);
			if (!date) throw refuse('a date such as 2026-12-24');
			return date[1];
		}
		case 'dateTime': {
			const written = dateTime(given);
			if (!written) throw refuse('a date and time such as 2026-12-24 18:30:00');
			return written;
		}
		case 'time': {
			const time = /^(\d{2}:\d{2})(:\d{2})?$/.exec(given);
			if (!time) throw refuse('a time such as 18:30');
			return `${time[1]}${time[2] ?? ':00'}`;
		}
		case 'enum':
			if (!field.codes?.some((entry) => entry.code === given)) throw inputError(path, `${field.label} must be one of ${(field.codes ?? []).map((entry) => entry.code).join(', ')}, not "${given}"`);
			return given;
		default:
			return given;
	}
}

/** Simplicité keeps booleans as "1" and "0" [I]. */
export function booleanCode(value: unknown): '1' | '0' | undefined {
	const given = String(value).trim().toLowerCase();
	return given === 'true' || given === '1' ? '1' : given === 'false' || given === '0' ? '0' : undefined;
}

/**
 * `yyyy-MM-dd HH:mm:ss` as written: Simplicité keeps local date-times, so an ISO 8601 zone or offset is dropped
 * rather than converted (n8n writes the workflow's own wall-clock time). A date alone is midnight.
 */
function dateTime(given: string): string | undefined {
	const parts = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(given);
	if (!parts) return undefined;
	return `${parts[1]} ${parts[2] ?? '00:00'}${parts[3] ?? ':00'}`;
}

async function inlineDocument(file: FileSource, path: string): Promise<Record<string, string>> {
	if (file.size > MAX_DOCUMENT_BYTES) throw inputError(path, `${file.fileName} is ${file.size} bytes: a document sent inline may be at most ${MAX_DOCUMENT_BYTES} bytes`);
	const chunks: Buffer[] = [];
	for await (const chunk of file.open()) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
	return { id: '0', name: file.fileName, mime: file.contentType, content: Buffer.concat(chunks).toString('base64') };
}
