import { inputError } from '../../bpm-error';
import type { Parameter, Values } from '../../operations/operation';
import { isObject, namedValues, texts, type QueryPairs } from './funnelback-request';

/** Set by the operations themselves: Additional Parameters may not override them. */
const RESERVED = new Set(['collection', 'query', 'start_rank', 'num_ranks']);

/** Funnelback's sort values (vendor notes 4.1); meta and dmeta sort by a metadata class. */
const SORTS = [
	{ value: 'relevance', name: 'Relevance', description: 'Best matches first (the results page default)' },
	{ value: 'date', name: 'Newest First' },
	{ value: 'adate', name: 'Oldest First' },
	{ value: 'title', name: 'Title (A to Z)' },
	{ value: 'dtitle', name: 'Title (Z to A)' },
	{ value: 'url', name: 'URL (A to Z)' },
	{ value: 'durl', name: 'URL (Z to A)' },
	{ value: 'meta', name: 'Metadata (Ascending)', description: 'By the metadata class given below' },
	{ value: 'dmeta', name: 'Metadata (Descending)', description: 'By the metadata class given below' },
] as const;

export const collection = {
	name: 'collection',
	displayName: 'Collection',
	description: 'The search package or data source ID, e.g. client~sp-docs: pick one of those the credential lists, or type it',
	type: 'reference',
	list: 'collections',
	required: true,
	placeholder: 'e.g. client~sp-docs',
} as const;

export const query: Parameter = {
	name: 'query',
	displayName: 'Query',
	description: 'The search terms in Funnelback\'s query language: "a phrase", -excluded; !padrenull matches every document',
	type: 'string',
	required: true,
};

export const profile: Parameter = {
	name: 'profile',
	displayName: 'Profile',
	description: 'The results page (profile) whose ranking and rules apply; empty: _default',
	type: 'string',
	placeholder: '_default',
	optional: true,
};

export const facets: Parameter = {
	name: 'facets',
	displayName: 'Facet Filters',
	description:
		'Facet values to filter on, as a JSON object of f.<Facet>|<field> to a value or a list of values, e.g. {"f.Format|format": ["pdf", "html"]}; or a list of the {parameter, value} pairs that Get Results Page gives each facet value',
	type: 'json',
	optional: true,
};

export const additionalParameters: Parameter = {
	name: 'additionalParameters',
	displayName: 'Additional Parameters',
	description: 'Other search.json parameters as a JSON object, e.g. {"gscope1": "1", "lang": "en", "SF": "[author]"}',
	type: 'json',
	optional: true,
};

export const sortParameters: Parameter[] = [
	{ name: 'sort', displayName: 'Sort', description: 'The order of the results', type: 'options', default: 'relevance', choices: SORTS },
	{ name: 'sortMetadata', displayName: 'Sort Metadata Class', description: 'The metadata class to sort by, e.g. author', type: 'string', required: true, showWhen: { sort: ['meta', 'dmeta'] } },
];

/** What a search sends besides paging: the collection, the query and the user's choices, in that order. */
export function searchQuery(values: Values): QueryPairs {
	return [
		['collection', String(values.collection)],
		['query', String(values.query)],
		...(values.profile ? [['profile', String(values.profile)] as const] : []),
		...sortPairs(values),
		...facetPairs(values.facets),
		...additionalPairs(values.additionalParameters),
	];
}

function sortPairs(values: Values): QueryPairs {
	const sort = values.sort;
	if (sort === undefined || sort === 'relevance') return [];
	if (sort !== 'meta' && sort !== 'dmeta') return [['sort', String(sort)]];
	const metadataClass = String(values.sortMetadata ?? '').trim();
	if (!/^[A-Za-z0-9_]+$/.test(metadataClass)) throw inputError('sortMetadata', `Sort Metadata Class must be a metadata class name (letters, digits, _), not "${metadataClass}"`);
	return [['sort', `${sort}${metadataClass}`]];
}

/**
 * `f.<Facet>|<field>=<value>` pairs (vendor notes 4.1, 6): from an object (the `f.` may be left out) or from a
 * list of {parameter, value}, so that values picked from Get Results Page pass on as they are.
 */
export function facetPairs(given: unknown): QueryPairs {
	if (given === undefined) return [];
	const entries: Array<[string, unknown]> = Array.isArray(given) ? given.map(selectionEntry) : Object.entries(namedValues(given, 'facets', 'Facet Filters'));
	return entries.flatMap(([key, value]) => {
		const name = key.startsWith('f.') ? key : `f.${key}`;
		if (!/^f\.[^|]+\|.+$/.test(name)) throw inputError('facets', `"${key}" is not a facet parameter: facet filters are named f.<Facet>|<field>, e.g. f.Format|format`);
		return texts(value, 'facets', key).map((text) => [name, text] as const);
	});
}

function selectionEntry(item: unknown): [string, unknown] {
	if (!isObject(item) || typeof item.parameter !== 'string' || item.value === undefined) {
		throw inputError('facets', 'A list of facet filters holds {"parameter": "f.<Facet>|<field>", "value": "…"} objects');
	}
	return [item.parameter, item.value];
}

function additionalPairs(given: unknown): QueryPairs {
	return Object.entries(namedValues(given, 'additionalParameters', 'Additional Parameters')).flatMap(([name, value]) => {
		if (name.trim() === '') throw inputError('additionalParameters', 'A parameter in Additional Parameters has an empty name');
		if (RESERVED.has(name)) throw inputError('additionalParameters', `"${name}" is set by this operation and cannot be an additional parameter`);
		return texts(value, 'additionalParameters', name).map((text) => [name, text] as const);
	});
}
