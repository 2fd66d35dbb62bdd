import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';
import { formFields, listOptions, type Catalogue, type FormField } from '../../../core';
import { listSearchMethod, resourceMapperMethod } from './method-names';
import { requestOptions, vendorConnection } from './vendor-connection';

type ListSearch = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;
type ResourceMapping = (this: ILoadOptionsFunctions) => Promise<ResourceMapperFields>;

/** The node's `methods`: one list search per catalogue list, one field loader per form kind; the logic is core's. */
export function operationMethods(catalogue: Catalogue): { listSearch: Record<string, ListSearch>; resourceMapping: Record<string, ResourceMapping> } {
	const listSearch: Record<string, ListSearch> = {};
	for (const [list, source] of Object.entries(catalogue.lists)) {
		const dependsOn = 'dependsOn' in source ? (source.dependsOn ?? []) : [];
		listSearch[listSearchMethod(list)] = async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			const connection = await vendorConnection(this, catalogue);
			const values = Object.fromEntries(dependsOn.map((name) => [name, this.getNodeParameter(name, '', { extractValue: true })]));
			const outcome = await listOptions(connection, catalogue, list, { filter, page: paginationToken, values, options: await requestOptions(this, (name, fallback) => this.getNodeParameter(name, fallback)) });
			if (!outcome.ok) throw new Error(outcome.error.message);
			return { results: outcome.value.options.map(({ name, value, description }) => ({ name, value, ...(description ? { description } : {}) })), ...(outcome.value.next ? { paginationToken: outcome.value.next } : {}) };
		};
	}
	const resourceMapping: Record<string, ResourceMapping> = {};
	for (const kind of Object.keys(catalogue.forms)) {
		resourceMapping[resourceMapperMethod(kind)] = async function (this: ILoadOptionsFunctions) {
			const operation = catalogue.operations.find((entry) => entry.resource === this.getNodeParameter('resource', '') && entry.operation === this.getNodeParameter('operation', ''));
			const parameter = operation?.parameters.find((p) => p.form?.kind === kind);
			if (!operation || !parameter?.form) return { fields: [] };
			const id = String(this.getNodeParameter(parameter.form.dependsOn, '', { extractValue: true }) ?? '');
			// Nothing picked yet: no fields, rather than an error in the panel.
			if (id.trim() === '') return { fields: [] };
			const connection = await vendorConnection(this, catalogue);
			const outcome = await formFields(connection, catalogue, operation, parameter.name, id, await requestOptions(this, (name, fallback) => this.getNodeParameter(name, fallback)));
			if (!outcome.ok) throw new Error(outcome.error.message);
			return { fields: outcome.value.map(mapperField) };
		};
	}
	return { listSearch, resourceMapping };
}

function mapperField(field: FormField): ResourceMapperField {
	return {
		id: field.id,
		displayName: field.type === 'file' ? `${field.displayName} (Input Binary Field)` : field.displayName,
		required: field.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: MAPPER_TYPES[field.type],
	};
}

/** A file is named by its binary field; a date goes through n8n's date-time check and is cut to the day by core. */
const MAPPER_TYPES: Record<FormField['type'], ResourceMapperField['type']> = {
	string: 'string',
	number: 'number',
	boolean: 'boolean',
	date: 'dateTime',
	dateTime: 'dateTime',
	file: 'string',
	list: 'array',
	object: 'object',
};
