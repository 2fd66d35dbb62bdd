import { BpmFailure, inputError } from '../../bpm-error';
import type { FileResolver } from '../../operations/catalogue';
import type { FileSource } from '../../http/http-types';
import type { OperationSteps } from '../../operations/operation';
import { isComplex, type ContractInput } from './contract';

/** One contract input's value as Bonita's ContractTypeConverter takes it (vendor notes 1.7). */
export async function contractValue(input: ContractInput, value: unknown, field: string, files: FileResolver, steps: OperationSteps): Promise<unknown> {
	if (input.multiple) {
		const list = parsed(value, field);
		if (!Array.isArray(list)) throw inputError(field, `"${input.name}" takes several values: give a list`);
		const single = { ...input, multiple: false };
		return Promise.all(list.map((item, index) => contractValue(single, item, `${field}[${index}]`, files, steps)));
	}
	if (isComplex(input)) {
		const object = parsed(value, field);
		if (typeof object !== 'object' || object === null || Array.isArray(object)) throw inputError(field, `"${input.name}" is a complex input: give an object of its fields`);
		const out: Record<string, unknown> = {};
		for (const child of input.inputs ?? []) {
			const childValue = (object as Record<string, unknown>)[child.name];
			out[child.name] = childValue === undefined || childValue === null || childValue === '' ? null : await contractValue(child, childValue, `${field}.${child.name}`, files, steps);
		}
		return out;
	}
	return scalarValue(input, value, field, files, steps);
}

async function scalarValue(input: ContractInput, value: unknown, field: string, files: FileResolver, steps: OperationSteps): Promise<unknown> {
	switch (input.type) {
		case 'BOOLEAN':
			if (value === true || value === 'true') return true;
			if (value === false || value === 'false') return false;
			throw inputError(field, `"${input.name}" is true or false, not "${String(value)}"`);
		case 'INTEGER':
			return wholeNumber(value, field, input.name, 2 ** 31);
		case 'LONG':
			// As text: a JavaScript number loses the digits of a long past 2^53.
			return String(wholeNumber(value, field, input.name, 2 ** 63));
		case 'DECIMAL': {
			const number = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(number) || String(value).trim() === '') throw inputError(field, `"${input.name}" is a number, not "${String(value)}"`);
			return number;
		}
		case 'DATE':
			// java.util.Date, read as GMT: an instant.
			return instant(value, field, input.name).toISOString().replace(/\.000Z$/, 'Z');
		case 'LOCALDATE':
			return localDate(value, field, input.name);
		case 'LOCALDATETIME':
			return localDateTime(value, field, input.name);
		case 'OFFSETDATETIME':
			return offsetDateTime(value, field, input.name);
		case 'FILE':
			return uploadFile(await files(value, field), steps);
		default:
			if (typeof value === 'object') throw inputError(field, `"${input.name}" is text, not an object`);
			return String(value);
	}
}

function parsed(value: unknown, field: string): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw inputError(field, `not valid JSON: ${(error as Error).message}`);
	}
}

function wholeNumber(value: unknown, field: string, name: string, bound: number): number | bigint {
	const text = String(value).trim();
	if (!/^-?\d+$/.test(text)) throw inputError(field, `"${name}" is a whole number, not "${String(value)}"`);
	const big = BigInt(text);
	if (big >= BigInt(bound) || big < -BigInt(bound)) throw inputError(field, `"${name}" is out of range: ${text}`);
	return Number.isSafeInteger(Number(text)) ? Number(text) : big;
}

function dateText(value: unknown): string {
	if (value instanceof Date) return value.toISOString();
	// A Luxon DateTime (n8n's expressions) or any date object that prints itself as ISO.
	if (typeof value === 'object' && value !== null && typeof (value as { toISO?: unknown }).toISO === 'function') return String((value as { toISO(): string }).toISO());
	return String(value).trim();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;
const ISO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: unknown, field: string, name: string): Date {
	const text = dateText(value);
	const date = new Date(ISO_DATE.test(text) || ISO_LOCAL.test(text) ? `${text.length === 10 ? `${text}T00:00:00` : text}Z` : text);
	if (!ISO_OFFSET.test(text) && !ISO_DATE.test(text) && !ISO_LOCAL.test(text)) throw inputError(field, `"${name}" is a date and time (ISO 8601), not "${text}"`);
	if (Number.isNaN(date.getTime())) throw inputError(field, `"${name}" is not a valid date: "${text}"`);
	return date;
}

function localDate(value: unknown, field: string, name: string): string {
	const text = dateText(value).slice(0, 10);
	if (!ISO_DATE.test(text) || Number.isNaN(new Date(`${text}T00:00:00Z`).getTime())) throw inputError(field, `"${name}" is a date (yyyy-MM-dd), not "${dateText(value)}"`);
	return text;
}

/** A date and time without a zone: a zone given is dropped, as Bonita would. */
function localDateTime(value: unknown, field: string, name: string): string {
	const text = dateText(value).replace(/(Z|[+-]\d{2}:\d{2})$/, '');
	if (!ISO_LOCAL.test(text)) throw inputError(field, `"${name}" is a date and time without zone (yyyy-MM-ddTHH:mm:ss), not "${dateText(value)}"`);
	return text;
}

function offsetDateTime(value: unknown, field: string, name: string): string {
	const text = dateText(value);
	if (!ISO_OFFSET.test(text)) throw inputError(field, `"${name}" is a date and time with its offset (yyyy-MM-ddTHH:mm:ss+01:00), not "${text}"`);
	return text;
}

/** API/formFileUpload keeps the file in the tenant's temporary folder; the contract names it. Consumed by the call. */
async function uploadFile(file: FileSource, steps: OperationSteps): Promise<unknown> {
	const response = await steps.call({ method: 'POST', path: 'API/formFileUpload', multipart: { fieldName: 'file', file } });
	const body = response.body.kind === 'json' ? response.body.value : response.body.kind === 'text' ? safeJson(response.body.value) : undefined;
	const upload = body as { filename?: unknown; tempPath?: unknown; contentType?: unknown } | undefined;
	if (!upload || typeof upload.tempPath !== 'string') throw new BpmFailure({ kind: 'http', message: `Bonita did not accept the upload of ${file.fileName} (no tempPath in its answer)` });
	return { filename: upload.filename ?? file.fileName, tempPath: upload.tempPath, contentType: upload.contentType ?? file.contentType };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
