import { BpmFailure, type Outcome } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { failureDetail, redactError } from '../calls/execute-request';
import { pageRequestInput } from '../paging/page-request-input';
import { firstPageRequest, pageRequest } from '../paging/page-request';
import { readPage } from '../paging/read-page';
import { isAddressable } from '../paging/paging-style';
import type { Connection } from '../sessions/connection';
import type { Catalogue, ListOption } from './catalogue';
import { NO_FILES, operationSteps, requestInput, StepFailure } from './operation-steps';

export interface ListPage {
	options: ListOption[];
	/** Where the next page starts (n8n's paginationToken); absent on the last page. */
	next?: string;
}

export interface ListQuery {
	/** The user's text: the server filters on it. */
	filter?: string;
	/** The previous page's `next`. */
	page?: string;
	options?: CallOptions;
	/** The values of the parameters the list depends on. */
	values?: Readonly<Record<string, unknown>>;
}

/** Options per page of a dropdown: enough to fill a screen, few enough to answer fast. */
export const LIST_PAGE_SIZE = 50;

/**
 * One page of a dropdown's options, filtered on the server by the user's text; `page` is the previous answer's
 * `next`. Never throws; an error is redacted, as for any call.
 */
export async function listOptions(connection: Connection, catalogue: Catalogue, listId: string, query: ListQuery = {}): Promise<Outcome<ListPage>> {
	const started = Date.now();
	let attempts = 0;
	try {
		const source = catalogue.lists[listId];
		if (!source) throw new BpmFailure({ kind: 'input', field: 'list', message: `${catalogue.displayName} has no list "${listId}"` });
		if ('configured' in source) return { ok: true, value: configuredOptions(connection, source.configured, query.filter), attempts: 0, elapsedMs: Date.now() - started };
		const values = dependencies(source.dependsOn ?? [], query.values ?? {});
		const steps = operationSteps(connection, query.options ?? {}, {}, NO_FILES, (count) => (attempts += count));
		const currentUser = source.needs?.includes('currentUser') && catalogue.currentUser ? await connection.memo.get(`${catalogue.vendor}:currentUser`, () => catalogue.currentUser!(steps)) : undefined;
		const index = pageIndex(query.page);
		const style = source.paging;
		const page = isAddressable(style) ? pageRequest(style, index, { asked: LIST_PAGE_SIZE, stride: LIST_PAGE_SIZE }) : firstPageRequest(style, LIST_PAGE_SIZE);
		const first = requestInput(source.request(query.filter?.trim() ?? '', { currentUser }, values), query.options ?? {});
		const input = pageRequestInput(first, page);
		const response = await steps.call({ method: 'GET', path: input.url, query: (input.query ?? []).map(({ name, value }) => [name, value]) });
		const read = readPage(style, response, page);
		const items = read.items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
		const more = isAddressable(style) && items.length >= LIST_PAGE_SIZE && (read.total === undefined || (index + 1) * LIST_PAGE_SIZE < read.total);
		return { ok: true, value: { options: items.map((item) => source.option(item)), ...(more ? { next: String(index + 1) } : {}) }, attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		const detail = error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts, elapsedMs: 0 };
		return { ok: false, error: redactError({ ...detail, attempts, elapsedMs: Date.now() - started }, connection.secrets()) };
	}
}

/** The configured names containing the filter text, as they were typed: no call. */
function configuredOptions(connection: Connection, setting: string, filter = ''): ListPage {
	const wanted = filter.trim().toLowerCase();
	const names = (connection.configuredLists?.[setting] ?? []).filter((name) => name.toLowerCase().includes(wanted));
	return { options: names.map((name) => ({ name, value: name })) };
}

/** The values a list depends on, each required: a list of a business object's actions needs the object first. */
function dependencies(names: readonly string[], given: Readonly<Record<string, unknown>>): Record<string, string> {
	const values: Record<string, string> = {};
	for (const name of names) {
		const value = given[name];
		if (typeof value !== 'string' || value.trim() === '') throw new BpmFailure({ kind: 'input', field: name, message: `Set ${name} first: this list depends on it` });
		values[name] = value.trim();
	}
	return values;
}

function pageIndex(token: string | undefined): number {
	if (token === undefined || token === '') return 0;
	const index = Number(token);
	if (!Number.isSafeInteger(index) || index < 0 || index > 10_000) throw new BpmFailure({ kind: 'input', field: 'page', message: `The page "${token}" is not a page of this list` });
	return index;
}
