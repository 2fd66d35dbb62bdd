import { isAddressable, type AddressablePaging, type PageRequest, type PagingStyle } from './paging-style';

/** How many items to ask for, and how many a full page holds (fewer when the server caps the size or sets it). */
export interface PageSizes {
	/** Sent where the style sends a size. */
	asked: number;
	/** Items per full page: where page n starts. */
	stride: number;
}

/** The request for page `index` (0 for the first) of a style that can name any page. */
export function pageRequest(style: AddressablePaging, index: number, sizes: PageSizes): PageRequest {
	const { asked, stride } = sizes;
	switch (style.kind) {
		case 'bonita':
			return query(['p', index], ['c', asked]);
		case 'offset':
			return query([style.offsetParameter, index * stride], [style.sizeParameter, asked]);
		case 'pageIndex':
			return query([style.pageParameter, style.firstPage + index], [style.sizeParameter, asked]);
		case 'funnelback':
			return query(['start_rank', 1 + index * stride], ['num_ranks', asked]);
	}
}

/** The first page's request; for the styles the server leads (a link, a URL, a cursor), the only one the runner makes up. */
export function firstPageRequest(style: PagingStyle, asked: number): PageRequest {
	if (style.kind === 'whole') return query();
	return isAddressable(style) ? pageRequest(style, 0, { asked, stride: asked }) : query([style.sizeParameter, asked]);
}

function query(...parameters: Array<[string | undefined, number]>): PageRequest {
	const values: Record<string, string> = {};
	for (const [name, value] of parameters) if (name) values[name] = String(value);
	return { kind: 'query', query: values };
}

/**
 * Items per full page, learnt from the first page: the size asked for, unless the first page came back
 * shorter while the total says more exist (the server caps the size), or the style sends no size (the
 * server sets it: the first page shows it). Undefined after an empty first page.
 */
export function fullPageSize(style: PagingStyle, asked: number, firstCount: number, total: number | undefined): number | undefined {
	if (firstCount === 0) return undefined;
	if (!sendsSize(style)) return firstCount;
	return firstCount < asked && total !== undefined && total > firstCount ? firstCount : asked;
}

/** Whether the style asks for a size: otherwise the server sets it. */
export function sendsSize(style: PagingStyle): boolean {
	return style.kind === 'bonita' || style.kind === 'funnelback' || (style.kind !== 'whole' && Boolean(style.sizeParameter));
}
