import { inputError } from '../../bpm-error';
import type { Operation } from '../../operations/operation';
import { get, path } from './bonita-request';

const className = {
	name: 'className',
	displayName: 'Business Object',
	description: 'The fully qualified class name of the business object',
	type: 'string',
	placeholder: 'com.company.model.Invoice',
	required: true,
} as const;

export const businessDataOperations: Operation[] = [
	{
		resource: 'businessData',
		operation: 'query',
		name: 'Query',
		action: 'Query business data',
		description: 'Run a named query of a business object (find, findByName…) with its parameters',
		parameters: [
			className,
			{ name: 'queryName', displayName: 'Query', description: 'The named query: find, a findBy<Attribute> query, or a custom one', type: 'string', default: 'find', required: true },
			{ name: 'queryParameters', displayName: 'Query Parameters', description: 'The query parameters as a JSON object, e.g. {"status": "open"}; lists as arrays', type: 'json', default: '{}', optional: true },
		],
		request: (values) => ({
			method: 'GET',
			path: path`API/bdm/businessData/${values.className}`,
			query: [['q', String(values.queryName)], ...queryFilters(values.queryParameters)],
		}),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list' },
	},
	{
		resource: 'businessData',
		operation: 'get',
		name: 'Get',
		action: 'Get a business object',
		description: 'Get one business object by its persistence ID',
		parameters: [className, { name: 'persistenceId', displayName: 'Persistence ID', description: 'The persistence ID (persistenceId_string)', type: 'reference', required: true }],
		request: (values) => get(path`API/bdm/businessData/${values.className}/${values.persistenceId}`),
		replay: 'read',
		output: { kind: 'object' },
	},
];

/** BDM query parameters (vendor notes 1.6): `f=name=value`; lists comma-separated with strings quoted; booleans true/false. */
function queryFilters(parameters: unknown): Array<readonly [string, string]> {
	if (parameters === undefined) return [];
	if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw inputError('queryParameters', 'Query Parameters must be a JSON object of parameter values');
	return Object.entries(parameters).map(([name, value]) => ['f', `${name}=${Array.isArray(value) ? value.map(listElement).join(',') : scalar(value)}`] as const);
}

function scalar(value: unknown): string {
	return value instanceof Date ? value.toISOString().slice(0, 19) : String(value);
}

function listElement(value: unknown): string {
	return typeof value === 'string' ? `'${value}'` : scalar(value);
}
