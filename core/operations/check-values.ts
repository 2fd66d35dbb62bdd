import { inputError } from '../bpm-error';
import type { FileResolver } from './catalogue';
import type { Operation, Parameter, Values } from './operation';

/**
 * The values a runtime read for an operation, checked against its parameters: defaults filled, types
 * converted, a bad or missing value refused with an error naming the parameter. Parameters hidden by
 * `showWhen` are left out, as the editors hide them. Throws BpmFailure (an input error).
 */
export async function checkValues(operation: Operation, given: Readonly<Record<string, unknown>>, files: FileResolver): Promise<Values> {
	const values: Record<string, unknown> = {};
	for (const parameter of operation.parameters) {
		if (!isShown(parameter, values)) continue;
		const raw = given[parameter.name];
		const value = isBlank(raw) ? parameter.default : raw;
		if (isBlank(value)) {
			if (parameter.required) throw inputError(parameter.name, `${parameter.displayName} is required`);
			continue;
		}
		values[parameter.name] = await checkValue(parameter, value, files);
	}
	return values;
}

/** Whether a parameter applies given the values before it (editors hide it otherwise). */
export function isShown(parameter: Parameter, values: Readonly<Record<string, unknown>>): boolean {
	if (!parameter.showWhen) return true;
	return Object.entries(parameter.showWhen).every(([name, allowed]) => allowed.includes(values[name] as string | boolean));
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function checkValue(parameter: Parameter, value: unknown, files: FileResolver): unknown {
	const { name, displayName } = parameter;
	switch (parameter.type) {
		case 'string':
			if (typeof value === 'object') throw inputError(name, `${displayName} must be text, not ${describe(value)}`);
			return String(value);
		case 'reference': {
			if (typeof value !== 'string' && typeof value !== 'number') throw inputError(name, `${displayName} must be an id, not ${describe(value)}`);
			const id = String(value).trim();
			// An id goes into a path: a slash or a dot segment would reach another resource.
			if (/[/\\?#]|^\.\.?$/.test(id)) throw inputError(name, `${displayName} "${id}" is not a valid id`);
			return id;
		}
		case 'number': {
			const number = typeof value === 'number' ? value : Number(String(value).trim());
			if (!Number.isFinite(number)) throw inputError(name, `${displayName} must be a number, not "${String(value)}"`);
			if ((parameter.min !== undefined && number < parameter.min) || (parameter.max !== undefined && number > parameter.max)) {
				throw inputError(name, `${displayName} must be from ${parameter.min ?? '-∞'} to ${parameter.max ?? '∞'}, not ${number}`);
			}
			return number;
		}
		case 'boolean':
			if (value === true || value === 'true') return true;
			if (value === false || value === 'false') return false;
			throw inputError(name, `${displayName} must be true or false, not "${String(value)}"`);
		case 'options': {
			const choice = parameter.choices?.find((c) => c.value === value);
			if (!choice) throw inputError(name, `${displayName} must be one of ${(parameter.choices ?? []).map((c) => c.value).join(', ')}, not "${String(value)}"`);
			return choice.value;
		}
		case 'json':
		case 'form':
			return parameter.type === 'form' ? checkObject(parameter, parseJson(parameter, value)) : parseJson(parameter, value);
		case 'file':
			return files(value, name);
	}
}

function parseJson(parameter: Parameter, value: unknown): unknown {
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch (error) {
		throw inputError(parameter.name, `${parameter.displayName} is not valid JSON: ${(error as Error).message}`);
	}
}

function checkObject(parameter: Parameter, value: unknown): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw inputError(parameter.name, `${parameter.displayName} must be an object of field values, not ${describe(value)}`);
	}
	return value as Record<string, unknown>;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `"${String(value)}"`;
}
