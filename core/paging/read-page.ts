import { headerValue, type HttpResponse, type ResponseBody } from '../http/http-types';
import { contentRangeTotal } from './content-range-total';
import { nextLink } from './link-header';
import { pageItems } from './page-items';
import type { PageRead, PageRequest, PagingStyle } from './paging-style';
import { valueAt } from './value-at';

const FUNNELBACK_RESULTS = 'response.resultPacket.results';
const FUNNELBACK_SUMMARY = 'response.resultPacket.resultsSummary';

/**
 * What one page says: its items, the total when the server gives an exact one, and the next page when the
 * server names it. `request` is the one that fetched this page: a cursor or next start is sent along with it.
 * Throws a BpmFailure when the page's list is not where the style says.
 */
export function readPage(style: PagingStyle, response: HttpResponse, request: PageRequest): PageRead {
	const json = jsonOf(response.body);
	switch (style.kind) {
		case 'bonita':
			return { items: pageItems(response.body, undefined), total: contentRangeTotal(headerValue(response, 'content-range')) };
		case 'offset':
		case 'pageIndex':
			return { items: pageItems(response.body, style.itemsPath), total: trustedTotal(json, style.totalPath, style.totalEstimatedPath) };
		case 'funnelback': {
			const summary = valueAt(json, FUNNELBACK_SUMMARY);
			const nextStart = cursorText(valueAt(summary, 'nextStart'));
			return {
				items: pageItems(response.body, FUNNELBACK_RESULTS),
				total: trustedTotal(summary, 'totalMatching', 'estimatedCounts'),
				next: nextStart === undefined ? undefined : withQuery(request, 'start_rank', nextStart),
			};
		}
		case 'linkHeader': {
			const url = nextLink(headerValue(response, 'link'), response.url);
			return { items: pageItems(response.body, style.itemsPath), next: url === undefined ? undefined : { kind: 'url', url } };
		}
		case 'nextUrl': {
			const url = nextUrl(valueAt(json, style.nextUrlPath), response.url);
			return { items: pageItems(response.body, style.itemsPath), next: url === undefined ? undefined : { kind: 'url', url } };
		}
		case 'whole':
			return { items: pageItems(response.body, style.itemsPath) };
		case 'cursor': {
			const cursor = cursorText(valueAt(json, style.cursorPath));
			return { items: pageItems(response.body, style.itemsPath), next: cursor === undefined ? undefined : withQuery(request, style.cursorParameter, cursor) };
		}
	}
}

function jsonOf(body: ResponseBody): unknown {
	return body.kind === 'json' ? body.value : undefined;
}

/** A count the server sent (Simplicité sends numbers as strings), unless it flags it as an estimate or a capped count. */
function trustedTotal(json: unknown, totalPath: string | undefined, estimatedPath: string | undefined): number | undefined {
	if (!totalPath || (estimatedPath && valueAt(json, estimatedPath) === true)) return undefined;
	const total = valueAt(json, totalPath);
	const count = typeof total === 'string' && /^\d+$/.test(total.trim()) ? Number(total) : total;
	return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : undefined;
}

/** A cursor or next start as sent back: a non-empty string or a number; anything else (absent, null, "") ends the paging. */
function cursorText(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A next URL from the body, resolved against the page's own URL; absent, null, empty or not a URL ends the paging. */
function nextUrl(value: unknown, responseUrl: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	try {
		return new URL(value.trim(), responseUrl).toString();
	} catch {
		return undefined;
	}
}

function withQuery(request: PageRequest, name: string, value: string): PageRequest {
	return { kind: 'query', query: { ...(request.kind === 'query' ? request.query : {}), [name]: value } };
}
