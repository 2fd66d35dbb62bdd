/**
 * How a server splits a list into pages, as plain data: what a catalogue entry or a node's settings hold.
 * Paths are dotted (`data.items`) and read from the JSON body; a style without an items path reads the body
 * itself as the list.
 */
export type PagingStyle = BonitaPaging | OffsetPaging | PageIndexPaging | FunnelbackPaging | LinkHeaderPaging | NextUrlPaging | CursorPaging | WholeList;

/** Bonita's searches: page `p` (from 0) of `c` items; the total after the `/` of Content-Range, when the endpoint sends one. */
export interface BonitaPaging {
	kind: 'bonita';
}

/** An offset (from 0) and a size: BAW's lists, most REST APIs. */
export interface OffsetPaging extends ListShape {
	kind: 'offset';
	offsetParameter: string;
	/** Left out when the server sets the size, or the request body carries it (BAW's WLE task search). */
	sizeParameter?: string;
}

/** A page number and, optionally, a size: Simplicité's `_page` (from 0, size set on the server). */
export interface PageIndexPaging extends ListShape {
	kind: 'pageIndex';
	pageParameter: string;
	firstPage: 0 | 1;
	sizeParameter?: string;
}

/** Funnelback's search.json: `start_rank` (from 1) and `num_ranks`; the next start in the results summary. */
export interface FunnelbackPaging {
	kind: 'funnelback';
}

/** RFC 8288: the next page's URL in a `Link: <…>; rel="next"` header. */
export interface LinkHeaderPaging {
	kind: 'linkHeader';
	/** Sent on the first request only: the server's links carry it on. */
	sizeParameter?: string;
	itemsPath?: string;
}

/** The next page's URL at a path in the body (BAW's `next`); absent, null or empty on the last page. */
export interface NextUrlPaging {
	kind: 'nextUrl';
	nextUrlPath: string;
	/** Sent on the first request only: the server's URLs carry it on. */
	sizeParameter?: string;
	itemsPath?: string;
}

/** An opaque cursor at a path in the body, sent back as a query parameter; absent, null or empty on the last page. */
export interface CursorPaging {
	kind: 'cursor';
	cursorPath: string;
	cursorParameter: string;
	sizeParameter?: string;
	itemsPath?: string;
}

/** Where a list and its total sit in the body, for the styles that take any API. */
interface ListShape {
	itemsPath?: string;
	totalPath?: string;
	/**
	 * Where the body says the total is only an estimate or a capped count (BAW WLE's `countLimitExceeded`):
	 * when the value there is true, the total is not trusted and pages are read one after another.
	 */
	totalEstimatedPath?: string;
}

/** A list the server sends whole in one answer (BAW's startable processes): one request, Limit applied to it. */
export interface WholeList {
	kind: 'whole';
	itemsPath?: string;
}

/** What changes from the first request to a page's request. */
export type PageRequest =
	/** Query parameters set on the first request, replacing any of the same name. */
	| { kind: 'query'; query: Readonly<Record<string, string>> }
	/** A URL the server gave, absolute, requested as it is (its query included). */
	| { kind: 'url'; url: string };

/** One page as the runner needs it. */
export interface PageRead {
	items: unknown[];
	/** Items in all, when the server says so and the count is exact. */
	total?: number;
	/** The next page as the server named it (a link, a URL, a cursor, Funnelback's next start); undefined when it named none. */
	next?: PageRequest;
}

/** Styles whose page n can be asked for without reading page n - 1 first: the ones that can fetch pages concurrently. */
export type AddressablePaging = BonitaPaging | OffsetPaging | PageIndexPaging | FunnelbackPaging;

export function isAddressable(style: PagingStyle): style is AddressablePaging {
	return style.kind === 'bonita' || style.kind === 'offset' || style.kind === 'pageIndex' || style.kind === 'funnelback';
}
