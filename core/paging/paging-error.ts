import type { BpmError } from '../bpm-error';

/** Why the pages themselves stopped the paging, each fetch having gone well. */
export type PagingFault =
	/** Two pages in a row held the same items: the server ignores the paging parameters, or the style does not fit. */
	| 'identicalPages'
	/** The server named a next page already fetched (the same link, URL or cursor again). */
	| 'repeatedRequest'
	/** The next link leads to another origin, which would receive this call's credentials. */
	| 'foreignNextUrl'
	/** The page's list is not where the style says (not JSON, or not an array at the items path). */
	| 'unreadablePage';

/** A failed paging as the engine's error value, saying which page failed (1 for the first) and, when no fetch did, why. */
export interface PagingError extends BpmError {
	page?: number;
	fault?: PagingFault;
}

export type PagingOutcome<T> = { ok: true; value: T; attempts: number; elapsedMs: number } | { ok: false; error: PagingError };
