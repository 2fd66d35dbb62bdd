import type { PageRead, PagingStyle } from './paging-style';

/** Where a page sits in the list. */
export interface PagePosition {
	/** 0 for the first page. */
	index: number;
	/** Its first item's position in the list, from 0. */
	firstItem: number;
	/** Items asked for per page (where the style sends a size). */
	asked: number;
	/** Items a full page holds, when known (fullPageSize). */
	stride?: number;
}

/**
 * Whether nothing follows this page. Page-addressed styles stop at an empty page, a short page or the total;
 * Funnelback also when the summary names no next start. The styles the server leads stop only when it names
 * no next page: some APIs (Slack's cursors, filtered searches) send short or empty pages before the end.
 */
export function isLastPage(style: PagingStyle, page: PageRead, position: PagePosition): boolean {
	const count = page.items.length;
	const totalReached = page.total !== undefined && position.firstItem + count >= page.total;
	switch (style.kind) {
		case 'bonita':
		case 'offset':
		case 'pageIndex':
			return count === 0 || (position.stride !== undefined && count < position.stride) || totalReached;
		case 'funnelback':
			return count === 0 || page.next === undefined || totalReached;
		case 'linkHeader':
		case 'nextUrl':
		case 'cursor':
			return page.next === undefined;
		case 'whole':
			return true;
	}
}
