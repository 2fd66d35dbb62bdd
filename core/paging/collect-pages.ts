import type { BpmError, Outcome } from '../bpm-error';
import { failureDetail } from '../calls/execute-request';
import type { HttpResponse } from '../http/http-types';
import { mapConcurrent } from '../calls/map-concurrent';
import { redactUrl } from '../redact';
import { isLastPage, type PagePosition } from './is-last-page';
import { nextPageRequest } from './next-page-request';
import { firstPageRequest, fullPageSize, pageRequest } from './page-request';
import type { PagingError, PagingFault, PagingOutcome } from './paging-error';
import { checkPagingStyle, pagingOptions, type PagingOptions } from './paging-options';
import { readPage } from './read-page';
import { isAddressable, type AddressablePaging, type PageRead, type PageRequest, type PagingStyle } from './paging-style';

/** Fetches one page: the caller's request with `request` applied (pageRequestInput), through the engine. `page` is 1 for the first. */
export type FetchPage = (request: PageRequest, page: number) => Promise<Outcome<HttpResponse>>;

export interface CollectedPages {
	/** In the server's order, cut at the limit when Return All is off. */
	items: unknown[];
	/** Pages fetched. */
	pages: number;
	/** Items in all, when the first page told an exact count. */
	total?: number;
	/** The last page was reached, the limit was, or maxPages cut the paging short. */
	stoppedBy: 'lastPage' | 'limit' | 'maxPages';
}

/**
 * Fetches a list's pages and returns their items in order; never throws. When the first page tells the total
 * and the style can name any page, the other pages needed are fetched concurrently (at most `concurrency` in
 * flight); otherwise one after another, each asked for as the last one says. Identical pages in a row, or a
 * next page the server names twice, stop the paging with an error rather than loop.
 */
export async function collectPages(style: PagingStyle, fetchPage: FetchPage, options: Partial<PagingOptions> = {}): Promise<PagingOutcome<CollectedPages>> {
	const started = Date.now();
	let collector: PageCollector | undefined;
	try {
		checkPagingStyle(style);
		collector = new PageCollector(style, fetchPage, pagingOptions(options));
		const value = await collector.collect();
		return { ok: true, value, attempts: collector.attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		return { ok: false, error: pagingError(error, collector?.attempts ?? 0, Date.now() - started) };
	}
}

/** A failure that belongs to one page; becomes a PagingError at the edge. */
class PageFailure extends Error {
	constructor(
		readonly page: number,
		readonly detail: Omit<BpmError, 'attempts' | 'elapsedMs'>,
		readonly fault?: PagingFault,
	) {
		super(detail.message);
	}
}

function pagingError(error: unknown, attempts: number, elapsedMs: number): PagingError {
	if (!(error instanceof PageFailure)) return { ...failureDetail(error, {}), attempts, elapsedMs };
	const { page, detail, fault } = error;
	return { ...detail, message: `Page ${page}: ${detail.message}`, page, ...(fault ? { fault } : {}), attempts, elapsedMs };
}

interface FetchedPage extends PageRead {
	request: PageRequest;
	url: string;
	/** completeWhen said so. */
	complete: boolean;
}

class PageCollector {
	attempts = 0;
	private readonly want: number;
	private readonly asked: number;

	constructor(
		private readonly style: PagingStyle,
		private readonly fetchPage: FetchPage,
		private readonly options: PagingOptions,
	) {
		this.want = options.returnAll ? Infinity : options.limit;
		this.asked = Math.min(options.pageSize, this.want);
	}

	async collect(): Promise<CollectedPages> {
		const first = await this.fetch(firstPageRequest(this.style, this.asked), 1);
		const stride = fullPageSize(this.style, this.asked, first.items.length, first.total);
		if (isAddressable(this.style) && first.total !== undefined && stride !== undefined && !this.isLast(first, 0, stride)) {
			return this.collectConcurrently(this.style, first, first.total, stride);
		}
		return this.collectSequentially(first, stride);
	}

	private async collectConcurrently(style: AddressablePaging, first: FetchedPage, total: number, stride: number): Promise<CollectedPages> {
		const needed = Math.ceil(Math.min(total, this.want) / stride);
		const indexes = Array.from({ length: Math.min(needed, this.options.maxPages) - 1 }, (_, i) => i + 1);
		const failures: unknown[] = [];
		const rest = await mapConcurrent(indexes, this.options.concurrency, async (index) => {
			// After a failure, pages not yet started are not fetched: the paging has failed anyway.
			if (failures.length > 0) return undefined;
			try {
				return await this.fetch(pageRequest(style, index, { asked: this.asked, stride }), index + 1);
			} catch (error) {
				failures.push(error);
				return undefined;
			}
		});
		if (failures.length > 0) throw earliest(failures);
		const pages = [first, ...(rest as FetchedPage[])];
		for (let index = 1; index < pages.length; index++) this.checkNotIdentical(pages[index - 1], pages[index], index + 1);
		// The list may have shrunk since the first page counted it, or completeWhen ends it early.
		const last = pages.findIndex((page, index) => this.isLast(page, index, stride));
		if (last >= 0) return this.result(pages.slice(0, last + 1), 'lastPage');
		return this.result(pages, needed > this.options.maxPages ? 'maxPages' : 'limit');
	}

	private async collectSequentially(first: FetchedPage, stride: number | undefined): Promise<CollectedPages> {
		const pages = [first];
		const requested = new Set([requestKey(first.request)]);
		let firstItem = 0;
		for (let current = first; ; ) {
			const next = current.complete ? undefined : nextPageRequest(this.style, current, this.position(pages.length - 1, firstItem, stride));
			if (next === undefined) return this.result(pages, 'lastPage');
			firstItem += current.items.length;
			if (firstItem >= this.want) return this.result(pages, 'limit');
			if (pages.length >= this.options.maxPages) return this.result(pages, 'maxPages');
			const number = pages.length + 1;
			this.checkNewRequest(next, requested, first.url, number);
			requested.add(requestKey(next));
			const page = await this.fetch(next, number);
			this.checkNotIdentical(current, page, number);
			pages.push(page);
			current = page;
		}
	}

	private isLast(page: FetchedPage, index: number, stride: number | undefined): boolean {
		return page.complete || isLastPage(this.style, page, this.position(index, index * (stride ?? 0), stride));
	}

	private position(index: number, firstItem: number, stride: number | undefined): PagePosition {
		return { index, firstItem, asked: this.asked, stride };
	}

	private async fetch(request: PageRequest, number: number): Promise<FetchedPage> {
		let outcome: Outcome<HttpResponse>;
		try {
			outcome = await this.fetchPage(request, number);
		} catch (error) {
			this.attempts++;
			throw new PageFailure(number, failureDetail(error, {}));
		}
		if (!outcome.ok) {
			this.attempts += outcome.error.attempts;
			throw new PageFailure(number, outcome.error);
		}
		this.attempts += outcome.attempts;
		const response = outcome.value;
		let read: PageRead;
		try {
			read = readPage(this.style, response, request);
		} catch (error) {
			throw new PageFailure(number, failureDetail(error, { url: redactUrl(response.url) }), 'unreadablePage');
		}
		return { ...read, request, url: response.url, complete: this.options.completeWhen?.(response, number) ?? false };
	}

	private checkNotIdentical(previous: FetchedPage, page: FetchedPage, number: number): void {
		if (page.items.length === 0 || page.items.length !== previous.items.length) return;
		if (JSON.stringify(page.items) !== JSON.stringify(previous.items)) return;
		const message = `it holds the same items as page ${number - 1}: the server ignores the paging parameters, or this paging style does not fit the endpoint`;
		throw new PageFailure(number, { kind: 'http', message, url: redactUrl(page.url) }, 'identicalPages');
	}

	/** A next page named twice would loop; one on another origin would receive this call's credentials. */
	private checkNewRequest(next: PageRequest, requested: ReadonlySet<string>, firstUrl: string, number: number): void {
		if (requested.has(requestKey(next))) {
			throw new PageFailure(number, { kind: 'http', message: 'the server named a page already fetched (the same next link or cursor again)' }, 'repeatedRequest');
		}
		if (next.kind === 'url' && origin(next.url) !== origin(firstUrl)) {
			const message = `the server's next page ${redactUrl(next.url)} is on another origin than ${origin(firstUrl)}, which would receive this call's credentials`;
			throw new PageFailure(number, { kind: 'http', message }, 'foreignNextUrl');
		}
	}

	private result(pages: FetchedPage[], stoppedBy: CollectedPages['stoppedBy']): CollectedPages {
		const items = pages.flatMap((page) => page.items);
		const total = pages[0].total;
		return { items: items.length > this.want ? items.slice(0, this.want) : items, pages: pages.length, ...(total === undefined ? {} : { total }), stoppedBy };
	}
}

function requestKey(request: PageRequest): string {
	return request.kind === 'url' ? `url ${request.url}` : `query ${JSON.stringify(Object.entries(request.query).sort())}`;
}

function origin(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return url;
	}
}

/** The failure of the lowest page: what a one-by-one paging would have met first. */
function earliest(failures: unknown[]): unknown {
	const pageOf = (error: unknown) => (error instanceof PageFailure ? error.page : Infinity);
	return failures.reduce((a, b) => (pageOf(b) < pageOf(a) ? b : a));
}
