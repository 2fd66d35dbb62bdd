import { expect } from 'chai';
import {
	buildRequest,
	collectPages,
	collectRequestPages,
	contentRangeTotal,
	nextLink,
	nextPageRequest,
	pageRequestInput,
	parseLinkHeader,
	parsePagingSettings,
	readPage,
	type BpmFailure,
	type Connection,
	type BpmError,
	type FetchPage,
	type HttpResponse,
	type Outcome,
	type PageRequest,
	type PagingSettings,
	type PagingStyle,
} from '../../core';
import { Memo } from '../../core/sessions/memo';

const BONITA = 'http://bonita.test/bonita/API/bpm/humanTask';

function jsonResponse(body: unknown, headers: Record<string, string | string[]> = {}, url = BONITA): HttpResponse {
	return { status: 200, statusText: 'OK', headers, body: { kind: 'json', value: body }, url };
}

const ok = (response: HttpResponse, attempts = 1): Outcome<HttpResponse> => ({ ok: true, value: response, attempts, elapsedMs: 0 });

/** The query a page request sends: its parameters, or those of the URL the server named. */
function sent(request: PageRequest): Record<string, string> {
	return request.kind === 'query' ? { ...request.query } : Object.fromEntries(new URL(request.url).searchParams);
}

/** A fake page fetch that records every request and how many were in flight at once. */
function fakeServer(answer: (query: Record<string, string>, request: PageRequest, page: number) => HttpResponse | Outcome<HttpResponse>, delayMs?: (page: number) => number) {
	const requests: Array<Record<string, string>> = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const fetch: FetchPage = async (request, page) => {
		requests.push(sent(request));
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		try {
			if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs(page)));
			const result = answer(sent(request), request, page);
			return 'ok' in result ? result : ok(result);
		} finally {
			inFlight--;
		}
	};
	return { fetch, requests, maxInFlight: () => maxInFlight };
}

const tasks = (count: number) => Array.from({ length: count }, (_, i) => ({ id: String(i + 1), name: `Task ${i + 1}` }));
const ids = (items: unknown[]) => items.map((item) => Number((item as { id: string }).id));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Bonita's humanTask search: p and c, and the Content-Range the endpoint sends (or none). */
function bonitaServer(total: number, contentRange: ((p: number, c: number, count: number, total: number) => string) | undefined, options: { ignoresPage?: boolean; delayMs?: (page: number) => number } = {}) {
	const all = tasks(total);
	return fakeServer(({ p, c }) => {
		const page = options.ignoresPage ? 0 : Number(p);
		const items = all.slice(page * Number(c), (page + 1) * Number(c));
		return jsonResponse(items, contentRange ? { 'content-range': contentRange(page, Number(c), items.length, total) } : {});
	}, options.delayMs ?? (() => 1));
}

const toolkit = (p: number, c: number, _count: number, total: number) => `${p}-${c}/${total}`;

describe('contentRangeTotal', () => {
	it('reads only the number after the slash, in each form Bonita sends', () => {
		expect(contentRangeTotal('0-10/57'), 'toolkit p-c/total').to.equal(57);
		expect(contentRangeTotal('0-3/57'), 'Spring p-count/total').to.equal(57);
		expect(contentRangeTotal('items 0-10/57'), 'a unit prefix').to.equal(57);
		expect(contentRangeTotal('5-10/57 '), 'trailing space').to.equal(57);
	});

	it('has no total when the header is absent, unknown or has no slash', () => {
		expect(contentRangeTotal(undefined)).to.equal(undefined);
		expect(contentRangeTotal('0-10/*')).to.equal(undefined);
		expect(contentRangeTotal('0-10')).to.equal(undefined);
	});
});

describe('Link header (RFC 8288)', () => {
	it('finds next among several relations', () => {
		const header = '<https://api.test/items?page=1>; rel="first", <https://api.test/items?page=3>; rel="next", <https://api.test/items?page=9>; rel="last"';
		expect(nextLink(header, 'https://api.test/items?page=2')).to.equal('https://api.test/items?page=3');
	});

	it('reads quoted relation lists, quoted commas and semicolons, and resolves a relative target against the page URL', () => {
		const header = '<?page=1>; rel="prev first"; title="Page 1, the first; really", </api/items?page=3&size=10>; title="3, of 9"; rel="next last"';
		expect(nextLink(header, 'https://api.test/base/api/items?page=2&size=10')).to.equal('https://api.test/api/items?page=3&size=10');
		const links = parseLinkHeader(header);
		expect(links.map((l) => l.target)).to.deep.equal(['?page=1', '/api/items?page=3&size=10']);
		expect(links[0].params.get('title')).to.equal('Page 1, the first; really');
	});

	it('keeps commas inside the target, reads unquoted and upper-case parameters, and skips a malformed link-value', () => {
		expect(nextLink('garbage; rel=next, <https://api.test/x?ids=1,2,3&page=2>; REL=Next', 'https://api.test/x')).to.equal('https://api.test/x?ids=1,2,3&page=2');
	});

	it("ignores a link about another resource (anchor) and a rel after the first (RFC 8288 §3.3)", () => {
		expect(nextLink('<https://api.test/other?page=2>; rel=next; anchor="#comments", <https://api.test/x?page=2>; rel=next', 'https://api.test/x')).to.equal('https://api.test/x?page=2');
		expect(nextLink('<https://api.test/x?page=0>; rel=prev; rel=next', 'https://api.test/x')).to.equal(undefined);
	});

	it('has no next without a next relation or without a header', () => {
		expect(nextLink('<https://api.test/x?page=1>; rel="prev first"', 'https://api.test/x')).to.equal(undefined);
		expect(nextLink(undefined, 'https://api.test/x')).to.equal(undefined);
	});
});

describe('readPage', () => {
	it('reads Funnelback: results, exact total, next start sent along with num_ranks; its last page names none', () => {
		const search = (summary: Record<string, unknown>, results: unknown[]) => jsonResponse({ question: {}, response: { resultPacket: { resultsSummary: summary, results } }, error: null });
		const request: PageRequest = { kind: 'query', query: { start_rank: '11', num_ranks: '10' } };
		const middle = readPage({ kind: 'funnelback' }, search({ totalMatching: 25, currStart: 11, currEnd: 20, nextStart: 21, estimatedCounts: false }, tasks(10)), request);
		expect(middle.total).to.equal(25);
		expect(middle.next).to.deep.equal({ kind: 'query', query: { start_rank: '21', num_ranks: '10' } });
		const last = readPage({ kind: 'funnelback' }, search({ totalMatching: 25, currStart: 21, currEnd: 25, nextStart: null, estimatedCounts: false }, tasks(5)), request);
		expect(last.next).to.equal(undefined);
		expect(nextPageRequest({ kind: 'funnelback' }, last, { index: 2, firstItem: 20, asked: 10, stride: 10 })).to.equal(undefined);
		const estimated = readPage({ kind: 'funnelback' }, search({ totalMatching: 9000, nextStart: 11, estimatedCounts: true }, tasks(10)), request);
		expect(estimated.total, 'an estimated count is no total').to.equal(undefined);
	});

	it('reads a total sent as a string (Simplicité) and refuses a list that is not one', () => {
		const style: PagingStyle = { kind: 'offset', offsetParameter: 'offset', itemsPath: 'list', totalPath: 'count' };
		expect(readPage(style, jsonResponse({ list: tasks(2), count: '42' }), { kind: 'query', query: {} }).total).to.equal(42);
		expect(readPage(style, jsonResponse({ count: 0 }), { kind: 'query', query: {} }).items, 'an absent list is an empty page').to.deep.equal([]);
		expect(() => readPage(style, jsonResponse({ list: { id: 1 } }), { kind: 'query', query: {} })).to.throw(/object at "list", not a list/);
	});

	it('reads several Link headers, as the engine keeps repeated headers', () => {
		const response = jsonResponse([], { link: ['<https://api.test/x?page=1>; rel="prev"', '<https://api.test/x?page=3>; rel="next"'] }, 'https://api.test/x?page=2');
		expect(readPage({ kind: 'linkHeader' }, response, { kind: 'query', query: {} }).next).to.deep.equal({ kind: 'url', url: 'https://api.test/x?page=3' });
	});
});

describe('collectPages', () => {
	describe('Bonita p/c and Content-Range', () => {
		for (const [form, contentRange] of [
			['toolkit 0-10/57', toolkit],
			['Spring 0-3/57', (p: number, _c: number, count: number, total: number) => `${p}-${count}/${total}`],
			['with a unit prefix', (p: number, c: number, _count: number, total: number) => `items ${p}-${c}/${total}`],
		] as const) {
			it(`reads the total from ${form}, fetches the rest concurrently, keeps the order`, async () => {
				const server = bonitaServer(57, contentRange);
				const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
				expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
				if (!outcome.ok) return;
				expect(ids(outcome.value.items)).to.deep.equal(range(1, 57));
				expect(outcome.value).to.include({ pages: 6, total: 57, stoppedBy: 'lastPage' });
				expect(server.requests.map((q) => q.p)).to.have.members(['0', '1', '2', '3', '4', '5']);
				expect(server.requests[0]).to.deep.equal({ p: '0', c: '10' });
				expect(server.maxInFlight()).to.be.greaterThan(1);
			});
		}

		it('without Content-Range, goes page by page and stops at the short page', async () => {
			const server = bonitaServer(57, undefined);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 57));
			expect(server.requests.map((q) => q.p)).to.deep.equal(['0', '1', '2', '3', '4', '5']);
			expect(server.maxInFlight()).to.equal(1);
			expect(outcome.ok && outcome.value).to.not.have.property('total');
		});

		it('without Content-Range and a full last page, stops at the empty page after it', async () => {
			const server = bonitaServer(60, undefined);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && outcome.value).to.include({ pages: 7, stoppedBy: 'lastPage' });
			expect(outcome.ok && outcome.value.items).to.have.length(60);
		});

		it('a single page that holds everything is fetched once', async () => {
			const server = bonitaServer(7, toolkit);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && outcome.value).to.include({ pages: 1, stoppedBy: 'lastPage' });
			expect(server.requests).to.have.length(1);
		});
	});

	describe('Return All off and the limit', () => {
		it("stops at n8n's default limit of 50 with one page, asking for no more than the limit", async () => {
			const server = bonitaServer(57, toolkit);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch);
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 50));
			expect(outcome.ok && outcome.value).to.include({ pages: 1, total: 57, stoppedBy: 'limit' });
			expect(server.requests).to.deep.equal([{ p: '0', c: '50' }]);
		});

		it('fetches only the pages the limit needs when the total is known', async () => {
			const server = bonitaServer(1000, toolkit);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { limit: 120, pageSize: 50 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 120));
			expect(outcome.ok && outcome.value.stoppedBy).to.equal('limit');
			expect(server.requests.map((q) => q.p).sort()).to.deep.equal(['0', '1', '2']);
		});

		it('fetches only the pages the limit needs, one after another, when no total is known', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'meta.next', cursorParameter: 'cursor', itemsPath: 'data' };
			const server = fakeServer(({ cursor = '0' }) => jsonResponse({ data: tasks(100).slice(Number(cursor), Number(cursor) + 10), meta: { next: String(Number(cursor) + 10) } }));
			const outcome = await collectPages(style, server.fetch, { limit: 25 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 25));
			expect(outcome.ok && outcome.value).to.include({ pages: 3, stoppedBy: 'limit' });
			expect(server.requests).to.have.length(3);
		});
	});

	describe('maxPages', () => {
		it('stops a server that never ends and says so', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'next', cursorParameter: 'after' };
			const server = fakeServer((_q, _r, page) => jsonResponse({ items: [page], next: `c${page}` }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true, maxPages: 5 });
			expect(outcome.ok && outcome.value).to.include({ pages: 5, stoppedBy: 'maxPages' });
			expect(server.requests).to.have.length(5);
		});

		it('caps the concurrent pages too', async () => {
			const server = bonitaServer(57, toolkit);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10, maxPages: 3 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 30));
			expect(outcome.ok && outcome.value).to.include({ pages: 3, stoppedBy: 'maxPages' });
			expect(server.requests).to.have.length(3);
		});
	});

	describe('loop guards', () => {
		it('stops with a typed error when a server ignores the page parameter (page by page)', async () => {
			const server = bonitaServer(57, undefined, { ignoresPage: true });
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok).to.equal(false);
			if (outcome.ok) return;
			expect(outcome.error).to.include({ kind: 'http', fault: 'identicalPages', page: 2 });
			expect(outcome.error.message).to.match(/^Page 2: it holds the same items as page 1/);
			expect(server.requests).to.have.length(2);
		});

		it('stops with a typed error when a server ignores the page parameter (concurrently)', async () => {
			const server = bonitaServer(57, toolkit, { ignoresPage: true });
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(!outcome.ok && outcome.error).to.include({ fault: 'identicalPages', page: 2 });
		});

		it('stops with a typed error when a cursor repeats', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'next_cursor', cursorParameter: 'cursor', itemsPath: 'items' };
			const cursors: Record<string, string> = { '': 'a', a: 'b', b: 'a' };
			const server = fakeServer(({ cursor = '' }, _r, page) => jsonResponse({ items: [{ id: String(page) }], next_cursor: cursors[cursor] }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true });
			expect(!outcome.ok && outcome.error).to.include({ kind: 'http', fault: 'repeatedRequest', page: 4 });
			expect(server.requests.map((q) => q.cursor)).to.deep.equal([undefined, 'a', 'b']);
		});

		it('never follows a next link to another origin', async () => {
			const server = fakeServer(() => jsonResponse([{ id: '1' }], { link: '<https://elsewhere.test/items?page=2&token=abcd1234>; rel="next"' }, 'https://api.test/items'));
			const outcome = await collectPages({ kind: 'linkHeader' }, server.fetch, { returnAll: true });
			expect(!outcome.ok && outcome.error).to.include({ fault: 'foreignNextUrl', page: 2 });
			expect(!outcome.ok && outcome.error.message).to.not.include('abcd1234');
			expect(server.requests).to.have.length(1);
		});
	});

	describe('each style against realistic pages', () => {
		it('offset and size with a trusted total (BAW WLE task search) fetches concurrently', async () => {
			const style: PagingStyle = { kind: 'offset', offsetParameter: 'offset', sizeParameter: 'size', itemsPath: 'data.items', totalPath: 'data.totalCount', totalEstimatedPath: 'data.countLimitExceeded' };
			const all = tasks(37);
			const server = fakeServer(({ offset, size }) => {
				const items = all.slice(Number(offset), Number(offset) + Number(size));
				return jsonResponse({ status: '200', data: { offset: Number(offset), size: items.length, totalCount: 37, countLimit: 500, countLimitExceeded: false, items } });
			}, () => 1);
			const outcome = await collectPages(style, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 37));
			expect(server.requests.map((q) => q.offset).sort()).to.deep.equal(['0', '10', '20', '30']);
			expect(server.maxInFlight()).to.be.greaterThan(1);
		});

		it('offset and size past the WLE count limit of 500 goes page by page to the real end', async () => {
			const style: PagingStyle = { kind: 'offset', offsetParameter: 'offset', sizeParameter: 'size', itemsPath: 'data.items', totalPath: 'data.totalCount', totalEstimatedPath: 'data.countLimitExceeded' };
			const all = tasks(520);
			const server = fakeServer(({ offset, size }) => {
				const items = all.slice(Number(offset), Number(offset) + Number(size));
				return jsonResponse({ data: { totalCount: 500, countLimit: 500, countLimitExceeded: true, items } });
			});
			const outcome = await collectPages(style, server.fetch, { returnAll: true, pageSize: 100 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 520));
			expect(server.maxInFlight()).to.equal(1);
		});

		it('offset and size when the server caps the size: offsets follow what it sends, no item is skipped', async () => {
			const style: PagingStyle = { kind: 'offset', offsetParameter: 'offset', sizeParameter: 'limit', itemsPath: 'results', totalPath: 'total' };
			const all = tasks(60);
			const server = fakeServer(({ offset, limit }) => jsonResponse({ results: all.slice(Number(offset), Number(offset) + Math.min(25, Number(limit))), total: 60 }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true, pageSize: 100 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 60));
			expect(server.requests.map((q) => q.offset).sort()).to.deep.equal(['0', '25', '50']);
		});

		it("page index from 0 with the size set by the server (Simplicité's _page)", async () => {
			const style: PagingStyle = { kind: 'pageIndex', pageParameter: '_page', firstPage: 0 };
			const rows = Array.from({ length: 45 }, (_, i) => ({ row_id: String(i + 1), demoPrdName: `Product ${i + 1}` }));
			const server = fakeServer(({ _page }) => jsonResponse(rows.slice(Number(_page) * 20, Number(_page) * 20 + 20)));
			const outcome = await collectPages(style, server.fetch, { returnAll: true });
			expect(outcome.ok && outcome.value.items).to.deep.equal(rows);
			expect(server.requests).to.deep.equal([{ _page: '0' }, { _page: '1' }, { _page: '2' }]);
		});

		it('page index from 1 with a size and a total in the body', async () => {
			const style: PagingStyle = { kind: 'pageIndex', pageParameter: 'page', firstPage: 1, sizeParameter: 'per_page', itemsPath: 'items', totalPath: 'meta.total' };
			const all = tasks(23);
			const server = fakeServer(({ page, per_page }) => jsonResponse({ items: all.slice((Number(page) - 1) * Number(per_page), Number(page) * Number(per_page)), meta: { total: 23 } }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 23));
			expect(server.requests.map((q) => q.page).sort()).to.deep.equal(['1', '2', '3']);
		});

		const funnelback = (total: number, estimated: boolean) =>
			fakeServer(({ start_rank, num_ranks }) => {
				const start = Number(start_rank);
				const size = Number(num_ranks);
				const results = tasks(total).slice(start - 1, start - 1 + size).map((t) => ({ rank: Number(t.id), title: t.name, liveUrl: `https://www.test/${t.id}` }));
				const nextStart = start - 1 + size < total ? start + size : null;
				const resultsSummary = { totalMatching: total, numRanks: size, currStart: start, currEnd: start + results.length - 1, nextStart, estimatedCounts: estimated };
				return jsonResponse({ question: { collection: 'client~sp' }, response: { resultPacket: { resultsSummary, results } }, error: null }, {}, 'http://search.test/s/search.json');
			});
		const ranks = (items: unknown[]) => items.map((item) => (item as { rank: number }).rank);

		it('Funnelback with an exact total asks for every start rank at once, and stops at the last page', async () => {
			const server = funnelback(25, false);
			const outcome = await collectPages({ kind: 'funnelback' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && ranks(outcome.value.items)).to.deep.equal(range(1, 25));
			expect(server.requests.map((q) => q.start_rank).sort()).to.deep.equal(['1', '11', '21']);
			expect(server.requests.every((q) => q.num_ranks === '10')).to.equal(true);
		});

		it('Funnelback with estimated counts follows nextStart until it is null', async () => {
			const server = funnelback(25, true);
			const outcome = await collectPages({ kind: 'funnelback' }, server.fetch, { returnAll: true, pageSize: 10 });
			expect(outcome.ok && ranks(outcome.value.items)).to.deep.equal(range(1, 25));
			expect(server.requests).to.deep.equal([
				{ start_rank: '1', num_ranks: '10' },
				{ start_rank: '11', num_ranks: '10' },
				{ start_rank: '21', num_ranks: '10' },
			]);
		});

		it('Link headers: follows rel="next" (relative) and stops when the last page has none', async () => {
			const base = 'https://api.test/v1/items';
			const server = fakeServer((q) => {
				const page = Number(q.page ?? '1');
				const links = [`<${base}?page=1&per_page=2>; rel="first"`, ...(page < 3 ? [`</v1/items?page=${page + 1}&per_page=2>; rel="next"`] : []), `<${base}?page=3&per_page=2>; rel="last"`];
				return jsonResponse(tasks(5).slice((page - 1) * 2, page * 2), { link: links.join(', ') }, `${base}?page=${page}&per_page=2`);
			});
			const outcome = await collectPages({ kind: 'linkHeader', sizeParameter: 'per_page' }, server.fetch, { returnAll: true, pageSize: 2 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 5));
			expect(server.requests).to.deep.equal([{ per_page: '2' }, { page: '2', per_page: '2' }, { page: '3', per_page: '2' }]);
		});

		it("a next URL in the body (BAW's /bpm/user-tasks), null on the last page", async () => {
			const style: PagingStyle = { kind: 'nextUrl', nextUrlPath: 'next', itemsPath: 'user_task_instances' };
			const all = tasks(5);
			const server = fakeServer((q) => {
				const offset = Number(q.offset ?? '0');
				const next = offset + 2 < all.length ? `/baw/dev/bpm/user-tasks?offset=${offset + 2}&size=2` : null;
				return jsonResponse({ user_task_instances: all.slice(offset, offset + 2), next }, {}, `http://baw.test/baw/dev/bpm/user-tasks?offset=${offset}&size=2`);
			});
			const outcome = await collectPages(style, server.fetch, { returnAll: true });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 5));
			expect(server.requests.map((q) => q.offset)).to.deep.equal([undefined, '2', '4']);
		});

		it('a cursor goes on past an empty page while the server names a next one', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'response_metadata.next_cursor', cursorParameter: 'cursor', sizeParameter: 'limit', itemsPath: 'channels' };
			const pages: Record<string, { channels: unknown[]; next: string }> = { '': { channels: tasks(2), next: 'dGVhbTpD' }, dGVhbTpD: { channels: [], next: 'dGVhbTpE' }, dGVhbTpE: { channels: tasks(3).slice(2), next: '' } };
			const server = fakeServer(({ cursor = '' }) => jsonResponse({ ok: true, channels: pages[cursor].channels, response_metadata: { next_cursor: pages[cursor].next } }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true, pageSize: 2 });
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal([1, 2, 3]);
			expect(server.requests).to.deep.equal([{ limit: '2' }, { limit: '2', cursor: 'dGVhbTpD' }, { limit: '2', cursor: 'dGVhbTpE' }]);
		});

		it('a page whose list is not where the style says fails with a typed error', async () => {
			const style: PagingStyle = { kind: 'offset', offsetParameter: 'offset', itemsPath: 'data' };
			const server = fakeServer(() => jsonResponse({ data: { id: 1 } }));
			const outcome = await collectPages(style, server.fetch);
			expect(!outcome.ok && outcome.error).to.include({ kind: 'http', fault: 'unreadablePage', page: 1 });
		});

		it('completeWhen (n8n\'s "complete when…") ends on the page it names', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'next', cursorParameter: 'after' };
			const server = fakeServer((_q, _r, page) => ({ ...jsonResponse({ items: [page], next: `c${page}` }), status: page === 2 ? 299 : 200 }));
			const outcome = await collectPages(style, server.fetch, { returnAll: true, completeWhen: (response) => response.status === 299 });
			expect(outcome.ok && outcome.value).to.include({ pages: 2, stoppedBy: 'lastPage' });
		});
	});

	describe('concurrency', () => {
		it('runs pages in parallel up to the bound and keeps the order even when later pages answer first', async () => {
			// Later pages answer sooner, so completion order is the reverse of page order.
			const server = bonitaServer(100, toolkit, { delayMs: (page) => (page === 1 ? 0 : 20 + (10 - page) * 10) });
			const started = Date.now();
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10, concurrency: 3 });
			const elapsed = Date.now() - started;
			expect(outcome.ok && ids(outcome.value.items)).to.deep.equal(range(1, 100));
			expect(server.maxInFlight()).to.equal(3);
			const oneByOne = range(2, 10).reduce((sum, page) => sum + 20 + (10 - page) * 10, 0);
			expect(elapsed).to.be.lessThan(oneByOne * 0.8);
		});

		it('keeps to one page at a time with a concurrency of 1', async () => {
			const server = bonitaServer(57, toolkit, { delayMs: () => 2 });
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10, concurrency: 1 });
			expect(outcome.ok && outcome.value.items).to.have.length(57);
			expect(server.maxInFlight()).to.equal(1);
		});
	});

	describe('failures', () => {
		const serverError = (page: number): Outcome<HttpResponse> => {
			const error: BpmError = { kind: 'http', message: `GET ${BONITA}?p=${page - 1}&c=10 answered 500 Internal Server Error`, status: 500, method: 'GET', url: `${BONITA}?p=${page - 1}&c=10`, attempts: 3, elapsedMs: 5 };
			return { ok: false, error };
		};

		it('says which page failed, with the engine error of its fetch, and starts no page after it', async () => {
			const all = tasks(100);
			const server = fakeServer(({ p, c }, _r, page) => (page === 4 ? serverError(page) : jsonResponse(all.slice(Number(p) * Number(c), (Number(p) + 1) * Number(c)), { 'content-range': `${p}-${c}/100` })), () => 5);
			const outcome = await collectPages({ kind: 'bonita' }, server.fetch, { returnAll: true, pageSize: 10, concurrency: 2 });
			expect(outcome.ok).to.equal(false);
			if (outcome.ok) return;
			expect(outcome.error).to.include({ kind: 'http', status: 500, page: 4 });
			expect(outcome.error.message).to.match(/^Page 4: GET .* answered 500/);
			expect(outcome.error).to.not.have.property('fault');
			expect(outcome.error.attempts, 'every exchange of every page fetched').to.be.at.least(3 + 3);
			expect(server.requests.length).to.be.lessThan(10);
		});

		it('says which page failed when going page by page, and counts attempts across pages', async () => {
			const style: PagingStyle = { kind: 'cursor', cursorPath: 'next', cursorParameter: 'after' };
			const server = fakeServer((_q, _r, page) => (page === 3 ? serverError(page) : ok(jsonResponse({ items: [page], next: `c${page}` }), 2)));
			const outcome = await collectPages(style, server.fetch, { returnAll: true });
			expect(!outcome.ok && outcome.error).to.include({ page: 3, status: 500, attempts: 2 + 2 + 3 });
		});

		it('turns a fetch that throws into an error value for its page', async () => {
			const outcome = await collectPages({ kind: 'bonita' }, () => Promise.reject(new Error('socket hang up')));
			expect(!outcome.ok && outcome.error).to.include({ kind: 'network', page: 1 });
			expect(!outcome.ok && outcome.error.message).to.equal('Page 1: Unexpected failure: socket hang up');
		});

		it('refuses bad options and styles before fetching, naming the field', async () => {
			const server = bonitaServer(57, toolkit);
			const zero = await collectPages({ kind: 'bonita' }, server.fetch, { limit: 0 });
			expect(!zero.ok && zero.error).to.include({ kind: 'input', field: 'limit' });
			const fraction = await collectPages({ kind: 'bonita' }, server.fetch, { concurrency: 1.5 });
			expect(!fraction.ok && fraction.error).to.include({ kind: 'input', field: 'concurrency' });
			const nameless = await collectPages({ kind: 'cursor', cursorPath: 'next', cursorParameter: ' ' }, server.fetch);
			expect(!nameless.ok && nameless.error).to.include({ kind: 'input', field: 'cursorParameter' });
			expect(server.requests).to.have.length(0);
		});
	});
});

describe('pageRequestInput', () => {
	it('sets the page parameters once, also over those typed in the URL, leaving the rest byte for byte', () => {
		const input = { method: 'GET', url: 'API/bpm/humanTask?p=0&c=10&o=priority%20DESC&f=user_id%3D4', baseUrl: 'http://bonita.test/bonita', query: [{ name: 'c', value: '5' }, { name: 'f', value: 'state=ready' }] };
		const page = pageRequestInput(input, { kind: 'query', query: { p: '3', c: '10' } });
		expect(page.url).to.equal('API/bpm/humanTask?o=priority%20DESC&f=user_id%3D4');
		const sentQuery = new URL(buildRequest(page).url).searchParams;
		expect([...sentQuery]).to.deep.equal([
			['o', 'priority DESC'],
			['f', 'user_id=4'],
			['f', 'state=ready'],
			['p', '3'],
			['c', '10'],
		]);
	});

	it("requests the server's URL as it is", () => {
		const input = { method: 'GET', url: 'bpm/user-tasks', baseUrl: 'http://baw.test/baw/dev', query: [{ name: 'size', value: '2' }], headers: [{ name: 'Accept', value: 'application/json' }] };
		const page = pageRequestInput(input, { kind: 'url', url: 'http://baw.test/baw/dev/bpm/user-tasks?offset=2&size=2' });
		expect(buildRequest(page)).to.include({ url: 'http://baw.test/baw/dev/bpm/user-tasks?offset=2&size=2' });
		expect(page.headers).to.deep.equal(input.headers);
	});
});

describe('Request node paging settings (parsePagingSettings)', () => {
	const refused = (settings: PagingSettings) => {
		try {
			parsePagingSettings(settings);
		} catch (error) {
			return (error as BpmFailure).detail;
		}
		throw new Error('expected a refusal');
	};

	it('is off unless a style is chosen', () => {
		expect(parsePagingSettings({})).to.equal(undefined);
		expect(parsePagingSettings({ style: 'off', itemsPath: 'x' })).to.equal(undefined);
	});

	it('reads the fields of the chosen style only, blanks as defaults, numbers given as text', () => {
		expect(parsePagingSettings({ style: 'offset', offsetParameter: ' start ', sizeParameter: 'count', itemsPath: 'data', totalPath: '', cursorPath: 'ignored', returnAll: true, limit: '', pageSize: '25', maxPages: '' })).to.deep.equal({
			style: { kind: 'offset', offsetParameter: 'start', sizeParameter: 'count', itemsPath: 'data' },
			options: { returnAll: true, pageSize: 25 },
			completeOnStatus: [],
		});
		expect(parsePagingSettings({ style: 'pageIndex', pageParameter: '_page', firstPage: '1' })?.style).to.deep.equal({ kind: 'pageIndex', pageParameter: '_page', firstPage: 1 });
		expect(parsePagingSettings({ style: 'bonita', limit: 7, completeOnStatus: '404, 416' })).to.deep.equal({ style: { kind: 'bonita' }, options: { returnAll: false, limit: 7 }, completeOnStatus: [404, 416] });
	});

	it('refuses an unknown style or first page, naming the field; collectPages names a missing parameter', async () => {
		expect(refused({ style: 'everything' })).to.include({ field: 'pagination' });
		expect(refused({ style: 'pageIndex', pageParameter: 'p', firstPage: '2' })).to.include({ field: 'firstPage' });
		expect(refused({ style: 'bonita', completeOnStatus: '404, soon' })).to.include({ field: 'completeOnStatus' });
		const paging = parsePagingSettings({ style: 'cursor', cursorPath: 'next' })!;
		const outcome = await collectPages(paging.style, async () => ok(jsonResponse([])), paging.options);
		expect(!outcome.ok && outcome.error).to.include({ kind: 'input', field: 'cursorParameter' });
	});
});

describe('Request node paging on a connection (collectRequestPages)', () => {
	it('ends at an answer with one of the completing status codes, which adds no item, in any style', async () => {
		for (const style of ['pageIndex', 'nextUrl'] as const) {
			const sent: string[] = [];
			const connection: Connection = {
				memo: new Memo(),
				secrets: () => [],
				async send(request) {
					sent.push(request.url);
					const page = Number(new URL(request.url).searchParams.get('page') ?? '0');
					const body = page < 2 ? { items: [page * 2, page * 2 + 1], next: `http://api.test/list?page=${page + 1}` } : { error: 'no such page' };
					return { response: { status: page < 2 ? 200 : 404, statusText: '', headers: {}, url: request.url, body: { kind: 'json', value: body } }, attempts: 1 };
				},
			};
			const paging = parsePagingSettings({ style, pageParameter: 'page', nextUrlPath: 'next', itemsPath: 'items', returnAll: true, completeOnStatus: '404' })!;
			const outcome = await collectRequestPages(connection, { method: 'GET', url: 'http://api.test/list' }, paging);
			expect(outcome.ok && outcome.value.items, style).to.deep.equal([0, 1, 2, 3]);
			expect(sent, style).to.have.length(3);
			const strict = await collectRequestPages(connection, { method: 'GET', url: 'http://api.test/list' }, { ...paging, completeOnStatus: [] });
			expect(!strict.ok && strict.error, style).to.include({ status: 404, page: 3 });
		}
	});
});
