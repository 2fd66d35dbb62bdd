import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { isList, type Catalogue, type Operation, type Parameter } from '../../../core';
import { CONNECTION_OPTIONS, USE_CONNECTION_CREDENTIAL } from '../connection-options';
import { listSearchMethod, resourceMapperMethod } from './method-names';

/**
 * The node's properties, generated from the catalogue: Resource, then Operation per resource, then each
 * operation's parameters (optional ones in its Options or Filters collection), Return All and Limit for lists,
 * Simplify where the output has a short form, and the request options every operation shares.
 */
export function operationProperties(catalogue: Catalogue): INodeProperties[] {
	const resources = byName(catalogue.resources.map(({ value, name, description }) => ({ value, name, description })));
	return [
		{ displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, options: resources, default: resources[0].value as string },
		...catalogue.resources.map((resource) => operationSelector(catalogue, resource.value)),
		...catalogue.operations.flatMap((operation) => operationParameters(catalogue, operation)),
		USE_CONNECTION_CREDENTIAL,
		REQUEST_OPTIONS,
	];
}

function operationSelector(catalogue: Catalogue, resource: string): INodeProperties {
	const operations = catalogue.operations.filter((operation) => operation.resource === resource);
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: byName(operations.map((operation) => ({ value: operation.operation, name: operation.name, action: operation.action, description: operation.description }))),
		default: operations[0].operation,
	};
}

/** Optional parameters of a list are its Filters, as in n8n's own Get Many operations; of any other operation, its Options. */
export function optionalCollection(operation: Operation): { name: string; displayName: string } {
	return isList(operation) ? { name: 'filters', displayName: 'Filters' } : { name: 'options', displayName: 'Options' };
}

function operationParameters(catalogue: Catalogue, operation: Operation): INodeProperties[] {
	const property = (parameter: Parameter) => parameterProperty(catalogue, parameter);
	const show = { resource: [operation.resource], operation: [operation.operation] };
	const required = operation.parameters.filter((parameter) => !parameter.optional);
	const optional = operation.parameters.filter((parameter) => parameter.optional);
	const collection = optionalCollection(operation);
	return [
		...required.map((parameter) => ({ ...property(parameter), displayOptions: { show: { ...show, ...parameter.showWhen } } })),
		...(isList(operation) ? pagingProperties(show) : []),
		...(optional.length > 0
			? [
					{
						displayName: collection.displayName,
						name: collection.name,
						type: 'collection',
						placeholder: collection.name === 'filters' ? 'Add Filter' : 'Add Option',
						default: {},
						displayOptions: { show },
						options: byDisplayName(optional.map(property)),
					} satisfies INodeProperties,
				]
			: []),
		...(hasShortForm(operation) ? [simplifyProperty(show)] : []),
		...(operation.output.kind === 'file' ? [outputBinaryProperty(show)] : []),
	];
}

export function hasShortForm(operation: Operation): boolean {
	return (operation.output.kind === 'list' || operation.output.kind === 'object') && operation.output.simplify !== undefined;
}

/** One catalogue parameter as an n8n property. */
export function parameterProperty(catalogue: Catalogue, parameter: Parameter): INodeProperties {
	const base = { displayName: parameter.displayName, name: parameter.name, description: parameter.description, ...(parameter.required ? { required: true } : {}), ...(parameter.placeholder ? { placeholder: parameter.placeholder } : {}) };
	switch (parameter.type) {
		case 'string':
			return { ...base, type: 'string', default: String(parameter.default ?? '') };
		case 'number':
			return { ...base, type: 'number', default: Number(parameter.default ?? 0), typeOptions: { ...(parameter.min !== undefined ? { minValue: parameter.min } : {}), ...(parameter.max !== undefined ? { maxValue: parameter.max } : {}) } };
		case 'boolean':
			return { ...base, type: 'boolean', default: parameter.default === true };
		case 'options':
			return { ...base, type: 'options', default: String(parameter.default ?? parameter.choices![0].value), options: byName((parameter.choices ?? []).map(({ value, name, description }) => ({ value, name, ...(description ? { description } : {}) }))) };
		case 'json':
			return { ...base, type: 'json', default: String(parameter.default ?? '{}') };
		case 'file':
			return { ...base, displayName: `Input Binary Field (${parameter.displayName})`, type: 'string', default: 'data', hint: 'The name of the input binary field holding the file' };
		case 'reference':
			return parameter.list ? locator(parameter, base, listDependencies(catalogue, parameter.list)) : { ...base, type: 'string', default: '' };
		case 'form':
			return {
				...base,
				type: 'resourceMapper',
				noDataExpression: true,
				default: { mappingMode: 'defineBelow', value: null },
				typeOptions: {
					loadOptionsDependsOn: [`${parameter.form!.dependsOn}.value`],
					resourceMapper: {
						resourceMapperMethod: resourceMapperMethod(parameter.form!.kind),
						mode: 'add',
						fieldWords: { singular: 'input', plural: 'inputs' },
						addAllFields: true,
						supportAutoMap: true,
						multiKeyMatch: false,
						noFieldsError: 'This contract has no inputs',
					},
				},
			};
	}
}

function listDependencies(catalogue: Catalogue, list: string): readonly string[] {
	const source = catalogue.lists[list];
	return source && 'dependsOn' in source ? (source.dependsOn ?? []) : [];
}

/** n8n's resource locator: From List (the default, searched on the server, again when what it depends on changes) or By ID. */
function locator(parameter: Parameter, base: Pick<INodeProperties, 'displayName' | 'name' | 'description'>, dependsOn: readonly string[]): INodeProperties {
	return {
		...base,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(dependsOn.length > 0 ? { typeOptions: { loadOptionsDependsOn: dependsOn.map((name) => `${name}.value`) } } : {}),
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: `Select a ${parameter.displayName.toLowerCase()}...`, typeOptions: { searchListMethod: listSearchMethod(parameter.list!), searchable: true } },
			// No `validation` regex: n8n 2.40 tests it before every execution in a VM with a 250 ms limit, which a loaded
			// worker missed (1 execution in 1,500 failed, test/e2e/n8n-queue-mode.test.ts); core's checkValues refuses an
			// ID with a slash, a backslash, `?`, `#` or a dot segment anyway, naming the parameter.
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: parameter.placeholder ?? 'e.g. 4002' },
		],
	};
}

function pagingProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{ displayName: 'Return All', name: 'returnAll', type: 'boolean', default: false, description: 'Whether to return all results or only up to a given limit', displayOptions: { show } },
		{ displayName: 'Limit', name: 'limit', type: 'number', default: 50, typeOptions: { minValue: 1 }, description: 'Max number of results to return', displayOptions: { show: { ...show, returnAll: [false] } } },
	];
}

export function simplifyProperty(show: Record<string, string[]>): INodeProperties {
	return { displayName: 'Simplify', name: 'simplify', type: 'boolean', default: true, description: 'Whether to return a simplified version of the response instead of the raw data', displayOptions: { show } };
}

function outputBinaryProperty(show: Record<string, string[]>): INodeProperties {
	return { displayName: 'Put Output File in Field', name: 'binaryPropertyName', type: 'string', default: 'data', hint: 'The name of the output binary field to put the file in', displayOptions: { show } };
}

/** Retries, timeouts, TLS and proxy: the same for every operation. */
export const REQUEST_OPTIONS: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: byDisplayName([
		{ displayName: 'Attempts', name: 'maxAttempts', type: 'number', default: 1, typeOptions: { minValue: 1, maxValue: 20 }, description: 'Attempts in all for a call that fails with a 5xx, a 429 or a network error. A write that is not idempotent is never repeated after it was sent.' },
		{ displayName: 'Retry Delay (Ms)', name: 'retryDelayMs', type: 'number', default: 500, description: 'Base delay before a retry, doubled each time (with jitter); a Retry-After header wins' },
		{ displayName: 'Log Out After Run', name: 'logoutAfterRun', type: 'boolean', default: false, description: 'Whether to end the session once this node has run, rather than keep it for the next run' },
		...CONNECTION_OPTIONS,
	]),
};

function byName<T extends INodePropertyOptions>(options: T[]): T[] {
	return [...options].sort((a, b) => a.name.localeCompare(b.name));
}

function byDisplayName(properties: INodeProperties[]): INodeProperties[] {
	return [...properties].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
