import { inputError } from '../bpm-error';
import type { HttpResponse } from '../http/http-types';
import type { PagingStyle } from './paging-style';

export interface PagingOptions {
	/** Every page, up to maxPages; off (n8n's default): stop at `limit` items, fetching only the pages needed. */
	returnAll: boolean;
	limit: number;
	/** Items asked for per page where the style sends a size; with Return All off, never more than the limit. */
	pageSize: number;
	/** A loop guard: paging stops there and says so (`stoppedBy: 'maxPages'`). */
	maxPages: number;
	/** Pages in flight once the first page has told the total. */
	concurrency: number;
	/** n8n's "complete when…" (a status code, an expression): true makes this page the last. */
	completeWhen?: (response: HttpResponse, page: number) => boolean;
}

/**
 * n8n's Return All off and Limit 50; 100 items a page, as the vendor notes cap Bonita's `c`. Eight pages in flight:
 * measured (bench/paging-bonita.ts), four left Return All of 10,000 Bonita tasks at 3.5× a one-by-one loop, eight
 * reached about 4.8×, far below a session's 32 exchanges on the wire.
 */
export const DEFAULT_PAGING: PagingOptions = { returnAll: false, limit: 50, pageSize: 100, maxPages: 1000, concurrency: 8 };

/** The options with defaults filled in; a count that is not a whole number of at least 1 is refused, naming the option. */
export function pagingOptions(given: Partial<PagingOptions>): PagingOptions {
	const options = { ...DEFAULT_PAGING, ...given };
	for (const field of ['limit', 'pageSize', 'maxPages', 'concurrency'] as const) {
		const value = options[field];
		if (!Number.isSafeInteger(value) || value < 1) throw inputError(field, `${field} must be a whole number of at least 1, not ${String(value)}`);
	}
	return options;
}

/** The names a style sends or reads: an empty one would send a nameless parameter, or read nothing and loop. */
export function checkPagingStyle(style: PagingStyle): void {
	const required: Array<[string, string]> = [];
	switch (style.kind) {
		case 'offset':
			required.push(['offsetParameter', style.offsetParameter]);
			break;
		case 'pageIndex':
			required.push(['pageParameter', style.pageParameter]);
			if (style.firstPage !== 0 && style.firstPage !== 1) throw inputError('firstPage', `The first page is 0 or 1, not ${String(style.firstPage)}`);
			break;
		case 'nextUrl':
			required.push(['nextUrlPath', style.nextUrlPath]);
			break;
		case 'cursor':
			required.push(['cursorPath', style.cursorPath], ['cursorParameter', style.cursorParameter]);
			break;
		case 'bonita':
		case 'funnelback':
		case 'linkHeader':
		case 'whole':
			break;
	}
	for (const [field, value] of required) {
		if (typeof value !== 'string' || value.trim() === '') throw inputError(field, `The paging style "${style.kind}" needs ${field}`);
	}
}
