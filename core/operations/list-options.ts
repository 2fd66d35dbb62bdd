import { BpmFailure, type Outcome } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { failureDetail, redactError } from '../calls/execute-request';
import { firstPageRequest, pageRequest, sendsSize } from '../paging/page-request';
import { readPage } from '../paging/read-page';
import { isAddressable, type PageRequest, type PagingStyle } from '../paging/paging-style';
import type { Connection } from '../sessions/connection';
import type { Catalogue, ListOption } from './catalogue';
import type { OperationRequest } from './operation';
import { NO_FILES, operationSteps, StepFailure } from './operation-steps';
import { requestContext } from './request-context';

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
		const context = await requestContext(connection, catalogue, source.needs, steps);
		const filter = query.filter?.trim() ?? '';
		const request = source.request(filter, { ...context, pageSize: LIST_PAGE_SIZE }, values);
		if (source.items) {
			const response = await steps.call(request);
			const items = objects(source.items(response.body.kind === 'json' ? response.body.value : undefined, filter, values));
			return { ok: true, value: { options: items.map((item) => source.option(item)) }, attempts, elapsedMs: Date.now() - started };
		}
		const index = pageIndex(query.page);
		const style = source.paging;
		const page = isAddressable(style) ? pageRequest(style, index, { asked: LIST_PAGE_SIZE, stride: LIST_PAGE_SIZE }) : firstPageRequest(style, LIST_PAGE_SIZE);
		const response = await steps.call(withPageQuery(request, page));
		const read = readPage(style, response, page);
		const items = objects(read.items);
		return { ok: true, value: { options: items.map((item) => source.option(item)), ...(hasMore(style, index, items.length, read.total) ? { next: String(index + 1) } : {}) }, attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		const detail = error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts, elapsedMs: 0 };
		return { ok: false, error: redactError({ ...detail, attempts, elapsedMs: Date.now() - started }, connection.secrets()) };
	}
}

function objects(items: unknown[]): Array<Record<string, unknown>> {
	return items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

/** The page's query parameters set on the list's request, replacing any of the same name; its method and body kept. */
function withPageQuery(request: OperationRequest, page: PageRequest): OperationRequest {
	if (page.kind === 'url') return request;
	const names = new Set(Object.keys(page.query));
	return { ...request, query: [...(request.query ?? []).filter(([name]) => !names.has(name)), ...Object.entries(page.query)] };
}

/**
 * Whether a next page may hold more: a full page short of the total, or, where the server sets the page size
 * (Simplicité's `_page`), any page that was not empty: the next one, empty, ends the list.
 */
function hasMore(style: PagingStyle, index: number, count: number, total: number | undefined): boolean {
	if (!isAddressable(style)) return false;
	if (total !== undefined && (index + 1) * LIST_PAGE_SIZE >= total) return false;
	return sendsSize(style) ? count >= LIST_PAGE_SIZE : count > 0;
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
