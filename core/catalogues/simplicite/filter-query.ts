import { inputError } from '../../bpm-error';
import { booleanCode } from './field-value';

/**
 * Search filters as query parameters `<field>=<value>` (`%` the wildcard, sent as %25). They come checked by the
 * filter form where the operation prepares its values; a boolean is sent as Simplicité's 1 or 0.
 */
export function filterQuery(filters: unknown): Array<readonly [string, string]> {
	if (filters === undefined) return [];
	if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw inputError('filters', 'Filters must be an object of field values');
	return Object.entries(filters).flatMap(([name, value]) => {
		// Parameters starting with _ steer the call (_page, _count, _action): never a field.
		if (name.startsWith('_')) throw inputError(`filters.${name}`, `"${name}" is not a field: names starting with _ are Simplicité's call parameters`);
		if (value === undefined || value === null || value === '') return [];
		if (typeof value === 'object') throw inputError(`filters.${name}`, `The filter on ${name} is one value, not ${Array.isArray(value) ? 'a list' : 'an object'}`);
		return [[name, typeof value === 'boolean' ? booleanCode(value)! : String(value)] as const];
	});
}
