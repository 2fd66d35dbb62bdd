import type { INodeProperties } from 'n8n-workflow';

const when = (...styles: string[]) => ({ show: { pagination: styles } });
const LIST_STYLES = ['offset', 'pageIndex', 'linkHeader', 'nextUrl', 'cursor'];

/**
 * Paging of one call (core/paging): a vendor's preset, or the shape of any other API, as n8n's HTTP Request offers
 * it (a parameter updated per page, a next URL) plus a Link header and a cursor. Every page's items come out as one
 * item each, in order; identical pages or a next page named twice stop it with an error rather than loop.
 */
export const PAGINATION: INodeProperties[] = [
	{
		displayName: 'Pagination',
		name: 'pagination',
		type: 'options',
		noDataExpression: true,
		default: 'off',
		description: "Whether and how to read every page of a list; each page's items come out as one item each",
		options: [
			{ name: 'Bonita (P and C, Total in Content-Range)', value: 'bonita' },
			{ name: 'Cursor in the Response Body', value: 'cursor' },
			{ name: 'Funnelback (Start Rank, Next Start)', value: 'funnelback' },
			{ name: 'Link Header (RFC 8288)', value: 'linkHeader' },
			{ name: 'Next URL in the Response Body', value: 'nextUrl' },
			{ name: 'Off', value: 'off' },
			{ name: 'Offset and Size Parameters', value: 'offset' },
			{ name: 'Page Number Parameter', value: 'pageIndex' },
		],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { hide: { pagination: ['off'] } },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { hide: { pagination: ['off'] }, show: { returnAll: [false] } },
	},
	{ displayName: 'Page Size', name: 'pageSize', type: 'number', typeOptions: { minValue: 1 }, default: 100, description: 'Items asked for per page, where the API takes a size', displayOptions: { hide: { pagination: ['off'] } } },
	{ displayName: 'Max Pages', name: 'maxPages', type: 'number', typeOptions: { minValue: 1 }, default: 1000, description: 'Paging stops there, even with Return All on', displayOptions: { hide: { pagination: ['off'] } } },
	{ displayName: 'Offset Parameter', name: 'offsetParameter', type: 'string', default: 'offset', description: 'The query parameter that takes the first item of a page (from 0)', displayOptions: when('offset') },
	{ displayName: 'Page Parameter', name: 'pageParameter', type: 'string', default: 'page', description: 'The query parameter that takes the page number', displayOptions: when('pageIndex') },
	{ displayName: 'First Page', name: 'firstPage', type: 'options', default: '0', options: [{ name: '0', value: '0' }, { name: '1', value: '1' }], description: 'The number of the first page', displayOptions: when('pageIndex') },
	{ displayName: 'Size Parameter', name: 'sizeParameter', type: 'string', default: '', placeholder: 'limit', description: 'The query parameter that takes the page size; empty when the server sets it', displayOptions: when(...LIST_STYLES) },
	{ displayName: 'Items Path', name: 'itemsPath', type: 'string', default: '', placeholder: 'data.items', description: 'Where the list is in the body (dotted); empty: the body is the list', displayOptions: when(...LIST_STYLES) },
	{ displayName: 'Total Path', name: 'totalPath', type: 'string', default: '', placeholder: 'total', description: 'Where the body tells the total, if it does: the other pages are then fetched several at a time', displayOptions: when('offset', 'pageIndex') },
	{ displayName: 'Next URL Path', name: 'nextUrlPath', type: 'string', default: '', placeholder: 'links.next', description: "Where the body holds the next page's URL; absent or empty on the last page", displayOptions: when('nextUrl') },
	{ displayName: 'Cursor Path', name: 'cursorPath', type: 'string', default: '', placeholder: 'next_cursor', description: 'Where the body holds the cursor of the next page', displayOptions: when('cursor') },
	{
		displayName: 'Complete on Status Codes',
		name: 'completeOnStatus',
		type: 'string',
		default: '',
		placeholder: '404, 416',
		description: 'Status codes that end the paging, as n8n\'s HTTP Request "receive specific status codes": that answer adds no item',
		displayOptions: { hide: { pagination: ['off'] } },
	},
	{ displayName: 'Cursor Parameter', name: 'cursorParameter', type: 'string', default: '', placeholder: 'cursor', description: 'The query parameter that sends the cursor back', displayOptions: when('cursor') },
];

/** The names above, as core/paging's PagingSettings reads them (pagination is its style). */
export const PAGING_PARAMETERS = ['returnAll', 'limit', 'pageSize', 'maxPages', 'offsetParameter', 'pageParameter', 'firstPage', 'sizeParameter', 'itemsPath', 'totalPath', 'nextUrlPath', 'cursorPath', 'cursorParameter', 'completeOnStatus'] as const;
