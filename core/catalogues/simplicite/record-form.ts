import { inputError } from '../../bpm-error';
import type { FileResolver, FormReader } from '../../operations/catalogue';
import type { FormField } from '../../operations/form-field';
import { booleanCode, fieldValue } from './field-value';
import type { ObjectField } from './object-field';
import { objectFields } from './object-fields';

/** The fields a create sends (required ones marked), or the partial body of an update (none required). */
export function recordForm(purpose: 'create' | 'update'): FormReader {
	return {
		async fields(steps, object) {
			return writable(await objectFields(steps, object), purpose).map((field) => formField(field, purpose === 'create' && field.required, valueHint(field)));
		},
		async value(steps, object, given, files) {
			return recordBody(object, await objectFields(steps, object), given, files, purpose);
		},
	};
}

/** Search filters, one per field a search can filter on: the value as Simplicité matches it, `%` the wildcard. */
export const filterForm: FormReader = {
	async fields(steps, object) {
		return filterable(await objectFields(steps, object)).map((field) =>
			field.kind === 'boolean' ? formField(field, false) : { ...formField(field, false, `${valueHint(field)} % matches any text.`.trim()), type: 'string' as const },
		);
	},
	async value(steps, object, given) {
		const all = await objectFields(steps, object);
		const fields = new Map(filterable(all).map((field) => [field.name, field]));
		const filters: Record<string, string> = {};
		for (const [name, value] of Object.entries(given)) {
			const field = fields.get(name);
			if (!field) throw inputError(`filters.${name}`, `${object} has no field "${name}" to search on; its fields are ${names(filterable(all))}`);
			if (value === undefined || value === null || value === '') continue;
			if (typeof value === 'object') throw inputError(`filters.${name}`, `The filter on ${field.label} is one value, not ${Array.isArray(value) ? 'a list' : 'an object'}`);
			filters[name] = (field.kind === 'boolean' ? booleanCode(value) : undefined) ?? String(value);
		}
		return filters;
	},
};

function writable(fields: readonly ObjectField[], purpose: 'create' | 'update'): ObjectField[] {
	return fields.filter((field) => !field.readOnly && !(purpose === 'update' && field.fixedAfterCreate));
}

function filterable(fields: readonly ObjectField[]): ObjectField[] {
	return fields.filter((field) => field.kind !== 'document');
}

/**
 * The JSON body: the given fields only (an update is partial), each checked and converted; an empty value is left
 * out, and null clears the field on update. A field the object lacks, or cannot write, is refused by name.
 */
async function recordBody(object: string, all: readonly ObjectField[], given: Readonly<Record<string, unknown>>, files: FileResolver, purpose: 'create' | 'update'): Promise<Record<string, unknown>> {
	const fields = writable(all, purpose);
	const byName = new Map(fields.map((field) => [field.name, field]));
	const body: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(given)) {
		const field = byName.get(name);
		if (!field) throw notWritable(object, name, all, fields);
		if (value === undefined || value === '') continue;
		if (value === null) {
			if (purpose === 'update') body[name] = '';
			continue;
		}
		body[name] = await fieldValue(field, value, `fields.${name}`, files);
	}
	if (purpose === 'create') {
		const missing = fields.find((field) => field.required && !(field.name in body));
		if (missing) throw inputError(`fields.${missing.name}`, `${missing.label} (${missing.name}) is required to create a ${object} record`);
	} else if (Object.keys(body).length === 0) {
		throw inputError('fields', 'Give at least one field to change');
	}
	return body;
}

function notWritable(object: string, name: string, all: readonly ObjectField[], fields: readonly ObjectField[]) {
	const field = all.find((entry) => entry.name === name);
	const path = `fields.${name}`;
	if (field?.kind === 'rowId') return inputError(path, `${name} is the row ID: give it as Row ID, not as a field`);
	if (field?.readOnly) return inputError(path, `${field.label} (${name}) is a field of a linked record: set the link ${name.split('__')[0]} instead`);
	if (field) return inputError(path, `${field.label} (${name}) cannot be changed once the record exists`);
	return inputError(path, `${object} has no field "${name}" to write; its fields are ${names(fields)}`);
}

function formField(field: ObjectField, required: boolean, hint = ''): FormField {
	const description = [field.help && field.help !== field.label ? field.help : '', hint].filter((part) => part !== '').join(' ');
	return { id: field.name, displayName: field.label, type: formType(field), required, ...(description ? { description } : {}) };
}

function formType(field: ObjectField): FormField['type'] {
	switch (field.kind) {
		case 'integer':
		case 'decimal':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'date':
			return 'date';
		case 'dateTime':
			return 'dateTime';
		case 'document':
			return 'file';
		default:
			return 'string';
	}
}

/** How a value is written, where the type alone does not say it. */
function valueHint(field: ObjectField): string {
	switch (field.kind) {
		case 'link':
			return 'The row ID of the linked record.';
		case 'enum':
			return `One of: ${(field.codes ?? []).map((entry) => (entry.label === entry.code ? entry.code : `${entry.code} (${entry.label})`)).join(', ')}.`;
		case 'bigDecimal':
			return 'A decimal number, given as text so that no digit is lost.';
		case 'time':
			return 'HH:mm or HH:mm:ss.';
		case 'dateTime':
			return "yyyy-MM-dd HH:mm:ss in the server's time zone (an ISO 8601 offset is dropped, not converted).";
		case 'document':
			return 'A file, sent inline.';
		default:
			return field.codes ? `Codes: ${field.codes.map((entry) => entry.code).join(', ')}.` : '';
	}
}

function names(fields: readonly ObjectField[]): string {
	const listed = fields.slice(0, 30).map((field) => field.name);
	return fields.length > listed.length ? `${listed.join(', ')}…` : listed.join(', ') || 'none';
}
