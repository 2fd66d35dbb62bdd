import { inputError } from '../../bpm-error';
import type { FormField } from '../../operations/form-field';
import { asRecord, asRecords, text } from './baw-request';

/** A declared BAW variable: a BPD input, a task output. `type` is BAW's (String, Integer, Decimal, Boolean, Date, a business object); absent when unknown. */
export interface VariableDef {
	name: string;
	type?: string;
	isList: boolean;
	description?: string;
}

/** What /bpm sends and takes for variables: `{"input":[{name,data}]}`, `{"output":[{name,data}]}`. */
export interface DataObject {
	name: string;
	data: unknown;
}

/**
 * The input variables in a bpddata answer's `data`. [I] IBM documents only an XML schema for it, so each plausible
 * JSON form is read: a list keyed by variable name with {type, isList} (IBM's form for a service's variables), a list
 * of {name, type} objects or of names, or a DataList of {value} items.
 */
export function bpdInputs(data: Record<string, unknown>): VariableDef[] {
	const key = Object.keys(data).find((name) => ['inputs', 'input', 'inputparameters'].includes(name.toLowerCase()));
	return key === undefined ? [] : variableList(data[key]);
}

function variableList(value: unknown): VariableDef[] {
	if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? { name: item, isList: false } : declared(asRecord(item)))).filter((def) => def.name !== '');
	const record = asRecord(value);
	if (Array.isArray(record.item)) return variableList(record.item);
	return Object.entries(record).map(([name, description]) => declared({ ...asRecord(description), name }));
}

function declared(item: Record<string, unknown>): VariableDef {
	const type = item.type ?? item.typeName ?? item.className;
	return {
		name: text(item.name ?? item.value ?? item.varName),
		...(typeof type === 'string' && type !== '' ? { type } : {}),
		isList: item.isList === true || item.isArrayOf === true,
		...(typeof item.description === 'string' && item.description !== '' ? { description: item.description } : {}),
	};
}

/**
 * The output variables of a task read with optional_parts=data: `[{name, data}]` under `data.output` (vendor notes 2.2),
 * or at the top level as some clients read it. The list carries no types: each is inferred from the current value.
 */
export function taskOutputs(task: Record<string, unknown>): VariableDef[] {
	const output = asRecord(task.data).output ?? task.output;
	return asRecords(output).map((item) => ({ name: text(item.name), isList: Array.isArray(item.data), ...inferredType(item.data) })).filter((def) => def.name !== '');
}

function inferredType(value: unknown): { type?: string; description?: string } {
	const note = (type: string) => ({ type, description: `${type}, as its current value shows` });
	if (Array.isArray(value)) return value.length > 0 ? inferredType(value[0]) : {};
	switch (typeof value) {
		case 'string':
			return note('String');
		case 'number':
			return note('Decimal');
		case 'boolean':
			return note('Boolean');
		case 'object':
			return value === null ? {} : note('Object');
		default:
			return {};
	}
}

export function variableFields(defs: readonly VariableDef[]): FormField[] {
	return defs.map((def) => ({
		id: def.name,
		displayName: def.name,
		type: fieldType(def),
		// BAW variables may be left unset: a start or a completion never requires one.
		required: false,
		...(def.description ? { description: def.description } : def.type ? { description: `${def.isList ? 'List of ' : ''}${def.type}` } : {}),
	}));
}

function fieldType(def: VariableDef): FormField['type'] {
	if (def.isList) return 'list';
	switch (def.type) {
		case undefined:
		case 'String':
		case 'Time':
		case 'ANY':
			return 'string';
		case 'Integer':
		case 'Decimal':
			return 'number';
		case 'Boolean':
			return 'boolean';
		case 'Date':
			return 'dateTime';
		default:
			return 'object';
	}
}

/**
 * The user's values as `{name, data}` items, in declared order: an unknown name is refused (naming it and the
 * declared ones), empty values are left out (BAW keeps the variable as it is), the rest converted to the type.
 */
export function dataObjects(defs: readonly VariableDef[], given: Readonly<Record<string, unknown>>, field: string, owner: string): DataObject[] {
	const known = new Set(defs.map((def) => def.name));
	for (const name of Object.keys(given)) {
		if (!known.has(name)) throw inputError(`${field}.${name}`, `${owner} has no variable "${name}"; it has ${defs.map((def) => def.name).join(', ') || 'none'}`);
	}
	return defs.filter((def) => !isBlank(given[def.name])).map((def) => ({ name: def.name, data: converted(def, given[def.name], `${field}.${def.name}`) }));
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function converted(def: VariableDef, value: unknown, field: string): unknown {
	if (def.isList) {
		const list = typeof value === 'string' ? parsed(value, field) : value;
		if (!Array.isArray(list)) throw inputError(field, `${field} must be a list (a JSON array), not ${describe(list)}`);
		return list.map((item, index) => (item === null ? null : converted({ ...def, isList: false }, item, `${field}[${index}]`)));
	}
	switch (fieldType(def)) {
		case 'number': {
			const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
			if (!Number.isFinite(number)) throw inputError(field, `${field} must be a number, not ${describe(value)}`);
			if (def.type === 'Integer' && !Number.isInteger(number)) throw inputError(field, `${field} must be a whole number, not ${number}`);
			return number;
		}
		case 'boolean':
			if (value === true || value === 'true') return true;
			if (value === false || value === 'false') return false;
			throw inputError(field, `${field} must be true or false, not ${describe(value)}`);
		case 'dateTime': {
			const time = value instanceof Date ? value.getTime() : typeof value === 'string' || typeof value === 'number' ? new Date(value).getTime() : NaN;
			if (Number.isNaN(time)) throw inputError(field, `${field} must be a date (ISO 8601), not ${describe(value)}`);
			return new Date(time).toISOString();
		}
		case 'object': {
			const object = typeof value === 'string' ? parsed(value, field) : value;
			if (typeof object !== 'object' || object === null || Array.isArray(object)) throw inputError(field, `${field} must be an object of ${def.type}, not ${describe(object)}`);
			return object;
		}
		default:
			// A String takes numbers and booleans as text; a variable of unknown type gets the value as given.
			if (def.type === undefined) return value;
			if (typeof value === 'object') throw inputError(field, `${field} must be text, not ${describe(value)}`);
			return String(value);
	}
}

function parsed(value: string, field: string): unknown {
	try {
		return JSON.parse(value);
	} catch (error) {
		throw inputError(field, `${field} is not valid JSON: ${(error as Error).message}`);
	}
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `"${String(value)}"`;
}
