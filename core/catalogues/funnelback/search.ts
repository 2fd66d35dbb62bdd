import type { HttpResponse } from '../../http/http-types';
import type { Operation, OperationRequest, Values } from '../../operations/operation';
import { pageFacets } from './facets';
import { isObject } from './funnelback-request';
import { explainSearchFailure, failIfSearchFailed } from './search-error';
import { additionalParameters, collection, facets, profile, query, searchQuery, sortParameters } from './search-query';

/** A result's fields a workflow needs (vendor notes 4.1); the metadata map is listMetadata in v16, metaData in 15.x. */
export const RESULT_FIELDS = ['rank', 'title', 'liveUrl', 'displayUrl', 'summary', 'date', 'fileType', 'fileSize', 'collection', 'score', 'listMetadata', 'metaData'] as const;

const SEARCH_PATH = 's/search.json';

const searchParameters = [collection, query, profile, facets, ...sortParameters, additionalParameters];

function search(values: Values, ...paging: Array<readonly [string, string]>): OperationRequest {
	return { method: 'GET', path: SEARCH_PATH, query: [...searchQuery(values), ...paging] };
}

/**
 * Search outputs one item per result, so that Return All and Limit page over `start_rank` / `nextStart`. Facets and
 * the results summary describe the whole result set, not a result: repeated on every item they would only be noise,
 * so Get Results Page outputs one item per page holding them once, each facet value with the parameter that selects
 * it (to pass on to Facet Filters), and the summary's nextStart to ask for the following page.
 */
export const searchOperations: Operation[] = [
	{
		resource: 'search',
		operation: 'search',
		name: 'Search',
		action: 'Search a collection',
		description:
			'Search a Funnelback collection (search package or data source) and output one item per result: title, URL, summary, date, type, metadata. Return All pages through every result; filters by facet values, sorts by relevance, date, title, URL or metadata',
		parameters: searchParameters,
		request: (values) => search(values),
		paging: { kind: 'funnelback' },
		checkAnswer: failIfSearchFailed,
		explainFailure: explainSearchFailure,
		replay: 'read',
		output: { kind: 'list', simplify: RESULT_FIELDS },
	},
	{
		resource: 'search',
		operation: 'getResultsPage',
		name: 'Get Results Page',
		action: 'Get a page of search results with facets',
		description:
			'Get one page of search results as one item: the results summary (total matching, nextStart for the next page), the results, and the facets with each value\'s count and the facet filter that selects it',
		parameters: [
			...searchParameters,
			{ name: 'startRank', displayName: 'Start Rank', description: 'The rank of the first result of the page, from 1 (a previous page\'s resultsSummary.nextStart)', type: 'number', default: 1, min: 1 },
			{ name: 'numRanks', displayName: 'Results per Page', description: 'How many results the page holds', type: 'number', default: 10, min: 1, max: 1000 },
			{
				name: 'simplifyOutput',
				displayName: 'Simplify',
				description: 'Whether to keep only the main fields of each result and facet value; off: as Funnelback sent them (facet values still gain parameter and value)',
				type: 'boolean',
				default: true,
				optional: true,
			},
		],
		request: (values) => search(values, ['start_rank', String(values.startRank)], ['num_ranks', String(values.numRanks)]),
		checkAnswer: failIfSearchFailed,
		explainFailure: explainSearchFailure,
		replay: 'read',
		output: { kind: 'result', result: resultsPage },
	},
	{
		resource: 'search',
		operation: 'getAllResults',
		name: 'Get All Results',
		action: 'Get all results of a search',
		description:
			'Get every result of a search at once through all-results.json (result records only: no summary, no facets), optionally only some result fields; for exports of a whole collection or query',
		parameters: [
			collection,
			query,
			profile,
			facets,
			{ name: 'fields', displayName: 'Fields', description: 'The result fields to return, separated by commas, e.g. title,liveUrl,date; empty: the server\'s default fields', type: 'string', optional: true },
			additionalParameters,
		],
		request: (values) => {
			const fields = fieldList(String(values.fields ?? ''));
			return { method: 'GET', path: 's/all-results.json', query: [...searchQuery(values), ...(fields ? [['fields', fields] as const] : [])] };
		},
		// One JSON array of every match: read record by record as it arrives, never held whole, no further than the Limit.
		streamed: true,
		checkAnswer: failIfSearchFailed,
		explainFailure: explainSearchFailure,
		replay: 'read',
		output: { kind: 'list' },
	},
];

function jsonBody(response: HttpResponse): unknown {
	return response.body.kind === 'json' ? response.body.value : undefined;
}

function fieldList(text: string): string {
	return text
		.split(',')
		.map((field) => field.trim())
		.filter((field) => field !== '')
		.join(',');
}

/** One page (its error node checked by checkAnswer): results and facets simplified unless asked otherwise. */
function resultsPage(values: Values, response: HttpResponse): unknown {
	const body = jsonBody(response);
	const packet = isObject(body) && isObject(body.response) && isObject(body.response.resultPacket) ? body.response.resultPacket : {};
	const simplify = values.simplifyOutput !== false;
	const results = (Array.isArray(packet.results) ? packet.results : []).filter(isObject).map((result) => (simplify ? resultFields(result) : result));
	return {
		collection: values.collection,
		query: packet.query ?? values.query,
		queryAsProcessed: packet.queryAsProcessed,
		resultsSummary: packet.resultsSummary ?? null,
		results,
		facets: pageFacets(isObject(body) && isObject(body.response) ? body.response.facets : undefined, simplify),
		spell: packet.spell ?? null,
	};
}

function resultFields(result: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of RESULT_FIELDS) if (key in result) out[key] = result[key];
	return out;
}
