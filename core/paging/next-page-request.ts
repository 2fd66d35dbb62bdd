import { isLastPage, type PagePosition } from './is-last-page';
import { pageRequest } from './page-request';
import type { PageRead, PageRequest, PagingStyle } from './paging-style';

/**
 * The request for the page after this one, or undefined when this one is the last. Page-addressed styles
 * count on; Funnelback and the styles the server leads take the next page the server named. One step of
 * the runner, for callers that fetch one page at a time (a dropdown's list search).
 */
export function nextPageRequest(style: PagingStyle, page: PageRead, position: PagePosition): PageRequest | undefined {
	if (isLastPage(style, page, position)) return undefined;
	if (style.kind === 'bonita' || style.kind === 'offset' || style.kind === 'pageIndex') {
		return pageRequest(style, position.index + 1, { asked: position.asked, stride: position.stride ?? position.asked });
	}
	return page.next;
}
