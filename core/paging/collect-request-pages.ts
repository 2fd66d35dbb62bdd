import type { Outcome } from '../bpm-error';
import { executeRequest, type CallHooks } from '../calls/execute-request';
import type { RequestInput } from '../http/build-request';
import type { HttpResponse } from '../http/http-types';
import type { Connection } from '../sessions/connection';
import { collectPages, type CollectedPages } from './collect-pages';
import { pageRequestInput } from './page-request-input';
import type { PagingOutcome } from './paging-error';
import type { RequestPaging } from './paging-settings';

/**
 * A request node's call, paged: each page is the user's request with the style's parameters or the server's next
 * URL, through the engine. An answer with one of `completeOnStatus` is an empty last page: every style stops at one
 * (no items, no next link), and the answer's own body (an error text) adds no item.
 */
export function collectRequestPages(connection: Connection, input: RequestInput, paging: RequestPaging, hooks: CallHooks = {}): Promise<PagingOutcome<CollectedPages>> {
	return collectPages(paging.style, async (page) => endsPaging(await executeRequest(connection, pageRequestInput(input, page), hooks), paging.completeOnStatus), paging.options);
}

function endsPaging(outcome: Outcome<HttpResponse>, completeOnStatus: readonly number[]): Outcome<HttpResponse> {
	const status = outcome.ok ? outcome.value.status : outcome.error.status;
	if (status === undefined || !completeOnStatus.includes(status)) return outcome;
	const url = outcome.ok ? outcome.value.url : (outcome.error.url ?? '');
	const attempts = outcome.ok ? outcome.attempts : outcome.error.attempts;
	return { ok: true, value: { status, statusText: '', headers: {}, body: { kind: 'empty' }, url }, attempts, elapsedMs: outcome.ok ? outcome.elapsedMs : outcome.error.elapsedMs };
}
