import { executeRequest, type CallHooks } from '../calls/execute-request';
import type { RequestInput } from '../http/build-request';
import type { Connection } from '../sessions/connection';
import { collectPages, type CollectedPages } from './collect-pages';
import { pageRequestInput } from './page-request-input';
import type { PagingOutcome } from './paging-error';
import type { PagingOptions } from './paging-options';
import type { PagingStyle } from './paging-style';

/** A request node's call, paged: each page is the user's request with the style's parameters or the server's next URL, through the engine. */
export function collectRequestPages(connection: Connection, input: RequestInput, paging: { style: PagingStyle; options: Partial<PagingOptions> }, hooks: CallHooks = {}): Promise<PagingOutcome<CollectedPages>> {
	return collectPages(paging.style, (page) => executeRequest(connection, pageRequestInput(input, page), hooks), paging.options);
}
