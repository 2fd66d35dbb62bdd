import { BpmFailure, type Outcome } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { executeRequest, failureDetail, redactError } from '../calls/execute-request';
import { headerValue } from '../http/http-types';
import { firstPageRequest, fullPageSize } from '../paging/page-request';
import { nextPageRequest } from '../paging/next-page-request';
import { pageRequestInput } from '../paging/page-request-input';
import { readPage } from '../paging/read-page';
import type { PageRequest, PagingStyle } from '../paging/paging-style';
import type { Connection } from '../sessions/connection';
import type { Catalogue } from '../operations/catalogue';
import { checkValues } from '../operations/check-values';
import { NO_FILES, operationSteps, requestInput, StepFailure } from '../operations/operation-steps';
import { outputItems } from '../operations/output-items';
import { requestContext } from '../operations/request-context';
import { cover, EMPTY_CURSOR, isDone, MAX_SPANS, reachesBottom, type EventCursor, type Stamped } from './event-cursor';
import { eventStamp } from './event-stamp';
import type { TriggerEvent } from './trigger-event';

export interface PollInput {
	/** The trigger's filters as the runtime read them; checked here, errors naming the field. */
	values: Readonly<Record<string, unknown>>;
	/** What the runtime kept from the last poll; undefined on the first. */
	cursor: EventCursor | undefined;
	/** On the first poll, emit what is already in the list; otherwise start from the newest item there. */
	includeExisting?: boolean;
	/** sample: one recent event for a test run (n8n's Fetch Test Event), the cursor left as it was. */
	mode?: 'poll' | 'sample';
	/** Stop reading pages after this long and carry on next time (n8n's getPollBudgetMs). */
	budgetMs?: number;
	/** Items per page: a poll that finds nothing reads one page. */
	pageSize?: number;
	simplify?: boolean;
	options?: CallOptions;
	/** A closing node's: the page being read is cut off and the poll fails, keeping nothing. */
	signal?: AbortSignal;
	now?(): number;
}

/** One event: the object as the operation nodes output it, and an id that stays the same however often it is polled. */
export interface EventItem {
	/** `<vendor>:<event>:[<scope>/]<id>:<stamp>` (`bonita:newTask:20004:…`): a downstream step can dedupe on it too. */
	eventId: string;
	/** The server's date that made the item an event, as the server wrote it. */
	stamp: string;
	/** The item's own id. */
	id: string;
	object: Record<string, unknown>;
}

export interface PollResult {
	/** Oldest first. */
	events: EventItem[];
	/** What to keep for the next poll: store it before the events are handed on. */
	cursor: EventCursor;
	pages: number;
	/** False when the time budget cut the read short: the rest comes next time. */
	complete: boolean;
	/** The list ran ahead of the polls and the oldest gap was given up: events in it may have been missed. */
	gaveUpGap?: boolean;
}

const DEFAULT_PAGE_SIZE = 50;
/** A poll reads no further than this: a list that keeps repeating pages is not read for ever. */
const MAX_PAGES = 10_000;

/**
 * One poll of a trigger: reads the event's list newest first, page by page, until it reaches what the cursor says was
 * emitted (usually on the first page: one small request when nothing is new), and returns the new items oldest first
 * with the cursor that covers them. Sessions, retries and redaction are the connection's, as for any operation. Never
 * throws.
 */
export async function pollEvents(connection: Connection, catalogue: Catalogue, event: TriggerEvent, input: PollInput): Promise<Outcome<PollResult>> {
	const now = input.now ?? Date.now;
	const started = now();
	let attempts = 0;
	let idPrefix = '';
	try {
		const operation = event.list;
		const values = await checkValues(operation, input.values, NO_FILES);
		idPrefix = `${catalogue.vendor}:${operation.operation}:${event.scope ? `${event.scope(values)}/` : ''}`;
		const options = { ...input.options, failOn4xx: true, failOn5xx: true, exceptCodes: '', safeToRepeat: true };
		const steps = operationSteps(connection, options, {}, NO_FILES, (count) => (attempts += count));
		const context = await requestContext(connection, catalogue, operation.needs, steps);
		const style = typeof operation.paging === 'function' ? operation.paging(values) : operation.paging;
		if (!style) throw new BpmFailure({ kind: 'input', message: `${event.list.name}: its list has no paging` });
		const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
		const first = { ...requestInput(operation.request(values, { ...context, pageSize }), options), signal: input.signal };
		const fetchPage = async (page: PageRequest) => {
			const outcome = await executeRequest(connection, pageRequestInput(first, page), {});
			attempts += outcome.ok ? outcome.attempts : outcome.error.attempts;
			if (!outcome.ok) throw new StepFailure(outcome.error);
			if (operation.checkAnswer && outcome.value.body.kind === 'json') operation.checkAnswer(outcome.value.body.value, values, outcome.value.status);
			return { read: readPage(style, outcome.value, page), serverDate: headerValue(outcome.value, 'date') };
		};
		const reader = new PagedList(event, style, pageSize, fetchPage, now);

		if (input.mode === 'sample') {
			const newest = (await reader.page()).items.slice(0, 1);
			return done(input.cursor ?? EMPTY_CURSOR, toEvents(newest), reader.pages, true);
		}
		if (!event.stampField) {
			const read = await readPresence(reader, input, started, now);
			return done(read.cursor, toEvents(read.fresh), reader.pages, read.complete);
		}
		if (input.cursor === undefined && !input.includeExisting) {
			// The trigger starts from the newest item there now (the server's date, not the client's clock): one page.
			const read = await reader.page();
			return done(cover(EMPTY_CURSOR, read.items, true), [], reader.pages, true);
		}

		const cursor = input.cursor ?? EMPTY_CURSOR;
		const seen: Stamped[] = [];
		const fresh = new Map<string, ReadItem>();
		let toBottom = false;
		for (;;) {
			stopIfAborted(input.signal);
			const read = await reader.page();
			for (const item of read.items) {
				if (reachesBottom(cursor, item)) {
					toBottom = true;
					break;
				}
				seen.push(item);
				// A list that moved while it was read shows an item twice: it is one event.
				if (!isDone(cursor, item)) fresh.set(`${item.id}@${item.stamp}`, item);
			}
			if (toBottom || read.last) {
				toBottom = true;
				break;
			}
			// Past the budget, a poll stops once it has found something: walking through what earlier polls emitted always goes on.
			if (input.budgetMs !== undefined && fresh.size > 0 && now() - started >= input.budgetMs) break;
			if (reader.pages >= MAX_PAGES) break;
		}
		let next = cover(cursor, seen, toBottom);
		let gaveUpGap = false;
		if (next.done.length > MAX_SPANS) {
			next = giveUpOldestGap(next);
			gaveUpGap = true;
		}
		const events = [...fresh.values()].sort((a, b) => a.stamp - b.stamp || compareIds(a.id, b.id));
		return done(next, toEvents(events), reader.pages, toBottom, gaveUpGap);
	} catch (error) {
		const detail = error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts, elapsedMs: 0 };
		return { ok: false, error: redactError({ ...detail, attempts, elapsedMs: now() - started }, connection.secrets()) };
	}

	function toEvents(items: ReadItem[]): EventItem[] {
		return items.map((item) => {
			const [object] = outputItems(event.list, {}, undefined, input.simplify ?? true, [item.raw]);
			return { eventId: `${idPrefix}${item.id}:${item.stampText}`, stamp: item.stampText, id: item.id, object: object.json };
		});
	}

	function done(cursor: EventCursor, events: EventItem[], pages: number, complete: boolean, gaveUpGap = false): Outcome<PollResult> {
		return { ok: true, value: { events, cursor, pages, complete, ...(gaveUpGap ? { gaveUpGap } : {}) }, attempts, elapsedMs: now() - started };
	}
}

interface ReadItem extends Stamped {
	stampText: string;
	raw: Record<string, unknown>;
}

/**
 * An undated event's poll: every page of the list (the items now in the state), each item not there last time an event,
 * dated by the server when first seen and keeping that date while it stays. The first poll only takes the list in
 * (unless Include Existing). A read the budget cuts short keeps what it did not reach as it was.
 */
async function readPresence(reader: PagedList, input: PollInput, started: number, now: () => number): Promise<{ fresh: ReadItem[]; cursor: EventCursor; complete: boolean }> {
	const before = new Map((input.cursor?.present ?? []).map((entry) => [entry.id, entry.since]));
	const emit = input.cursor !== undefined || input.includeExisting === true;
	const seen = new Map<string, string>();
	const fresh: ReadItem[] = [];
	let complete = false;
	for (;;) {
		stopIfAborted(input.signal);
		const read = await reader.page();
		for (const item of read.items) {
			if (seen.has(item.id)) continue;
			const since = before.get(item.id);
			seen.set(item.id, since ?? item.stampText);
			if (since === undefined && emit) fresh.push(item);
		}
		if (read.last) {
			complete = true;
			break;
		}
		if (input.budgetMs !== undefined && fresh.length > 0 && now() - started >= input.budgetMs) break;
		if (reader.pages >= MAX_PAGES) break;
	}
	const kept = complete ? seen : new Map([...before, ...seen]);
	return { fresh, cursor: { done: [], present: [...kept].map(([id, since]) => ({ id, since })) }, complete };
}

/** The list's pages one after another (newest first for a dated event), each item placed by its id and date. */
class PagedList {
	pages = 0;
	private next: PageRequest | undefined;
	private firstItem = 0;
	/** Items a full page holds: learnt from the first page when the server sets the size (Simplicité). */
	private stride: number | undefined;

	constructor(
		private readonly event: TriggerEvent,
		private readonly style: PagingStyle,
		private readonly pageSize: number,
		private readonly fetch: (page: PageRequest) => Promise<{ read: ReturnType<typeof readPage>; serverDate?: string }>,
		private readonly now: () => number,
	) {
		this.next = firstPageRequest(style, pageSize);
	}

	async page(): Promise<{ items: ReadItem[]; last: boolean }> {
		if (!this.next) return { items: [], last: true };
		const { read, serverDate } = await this.fetch(this.next);
		const index = this.pages++;
		if (index === 0) this.stride = fullPageSize(this.style, this.pageSize, read.items.length, read.total);
		this.next = nextPageRequest(this.style, read, { index, firstItem: this.firstItem, asked: this.pageSize, stride: this.stride ?? this.pageSize });
		this.firstItem += read.items.length;
		// An undated event's items take the server's date of the page that shows them (the client's clock if it sent none).
		const sent = serverDate === undefined ? NaN : Date.parse(serverDate);
		const pageDate = this.event.stampField ? undefined : new Date(Number.isNaN(sent) ? this.now() : sent).toISOString();
		const items = read.items.flatMap((item) => this.placed(item, pageDate));
		if (this.event.stampField) checkNewestFirst(this.event, items);
		return { items, last: this.next === undefined };
	}

	/** Items without a date yet (an archived case still running) are not events; an item without an id is a misfit list. */
	private placed(value: unknown, pageDate: string | undefined): ReadItem[] {
		const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
		const stampText = this.event.stampField ? raw[this.event.stampField] : pageDate;
		const stamp = eventStamp(stampText);
		if (stamp === undefined) return [];
		const id = raw[this.event.idField];
		if (id === undefined || id === null || id === '') throw new BpmFailure({ kind: 'http', message: `${this.event.list.name}: an item of the list has no ${this.event.idField}` });
		return [{ id: String(id), stamp, stampText: String(stampText), raw }];
	}
}

/**
 * A dated event's page must come newest first: a server that ignored the sort (Simplicité's `order__`, taken on
 * inference) would make the trigger take old items for new and stop short of new ones. Refused, never guessed.
 */
function checkNewestFirst(event: TriggerEvent, items: readonly ReadItem[]): void {
	const later = items.findIndex((item, index) => index > 0 && item.stamp > items[index - 1]!.stamp);
	if (later < 0) return;
	const [before, after] = [items[later - 1]!, items[later]!];
	throw new BpmFailure({
		kind: 'http',
		message: `${event.list.name}: the server did not list the items newest first by ${event.stampField} (${after.stampText} came after ${before.stampText}), so the trigger cannot tell which are new`,
	});
}

/** Between two pages: a closing node's poll ends there (the page in flight was cut off by the same signal). */
function stopIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new BpmFailure({ kind: 'network', code: 'ABORTED', message: 'The poll was stopped' });
}

/** The two oldest stretches merged: the gap between them is taken as done. */
function giveUpOldestGap(cursor: EventCursor): EventCursor {
	const done = [...cursor.done];
	const oldest = done.pop()!;
	const older = done.pop()!;
	done.push({ from: oldest.from, to: older.to });
	return { done };
}

function compareIds(a: string, b: string): number {
	return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
