/**
 * Where a trigger is in a list of events, as plain data a runtime keeps between polls (n8n's static data, Node-RED's
 * context): the stretches of the server's stamps that have been emitted, each bounded by its two edges and the ids
 * seen exactly at an edge. Never a set of every id seen: its size is the items that share an edge's stamp.
 *
 * Stamps are the server's own (milliseconds read from its dates), never the client's clock: a clock skew between
 * the two cannot hide or repeat an event.
 */
export interface EventCursor {
	/** Newest first, disjoint. The last one usually reaches back to the beginning (`from` null). */
	done: Span[];
	/** An event without a date (trigger-event.ts): the items in its list at the last poll. Its size is the list's. */
	present?: Present[];
}

/** An item in an undated event's list, and the server's date when a poll first saw it there (part of its event id). */
export interface Present {
	id: string;
	since: string;
}

/** Every item stamped after `from` (or at it, with its id listed) and before `to` (or at it, with its id listed). */
export interface Span {
	/** Null: since the beginning of the list. */
	from: Edge | null;
	to: Edge;
}

export interface Edge {
	stamp: number;
	/** The ids emitted at exactly this stamp: another item may share it and arrive later. */
	ids: string[];
}

/** An item of the list as the cursor sees it. */
export interface Stamped {
	id: string;
	stamp: number;
}

/**
 * At most this many stretches: a poll that stops early (its time budget) leaves a gap below what it read; a poll that
 * cannot even reach the newest stretch is outrun by the list, and the oldest gap is then given up with an error.
 */
export const MAX_SPANS = 4;

/** Nothing emitted yet: every item is new (Include Existing, or a list that was empty when the trigger started). */
export const EMPTY_CURSOR: EventCursor = { done: [] };

/** Whether the item has been emitted. */
export function isDone(cursor: EventCursor, item: Stamped): boolean {
	return cursor.done.some((span) => inSpan(span, item));
}

function inSpan(span: Span, item: Stamped): boolean {
	const afterFrom = span.from === null || item.stamp > span.from.stamp || (item.stamp === span.from.stamp && span.from.ids.includes(item.id));
	const beforeTo = item.stamp < span.to.stamp || (item.stamp === span.to.stamp && span.to.ids.includes(item.id));
	return afterFrom && beforeTo;
}

/**
 * Whether a read going down the list (newest first) has nothing more to find from this item on: it lies strictly
 * below the top of the stretch that reaches back to the beginning. Items at that top's stamp are read on, since one
 * not seen yet may sort after one seen. Items below any other stretch (a gap a poll left) are still new.
 */
export function reachesBottom(cursor: EventCursor, item: Stamped): boolean {
	const bottom = cursor.done.find((span) => span.from === null);
	return bottom !== undefined && item.stamp < bottom.to.stamp;
}

/**
 * The cursor once a read has covered, without a gap, every item from its newest to its oldest (`items`, all of them:
 * new and already done). `toBottom`: the read went on to the end of the list or into the stretch that reaches back
 * to the beginning, so everything below is done too. Stretches the read overlaps merge into one.
 */
export function cover(cursor: EventCursor, items: readonly Stamped[], toBottom: boolean): EventCursor {
	if (items.length === 0 && !toBottom) return cursor;
	const read: Span | undefined = items.length === 0 ? undefined : { from: toBottom ? null : lowEdge(items), to: highEdge(items) };
	let merged: Span | undefined = read;
	const kept: Span[] = [];
	for (const span of cursor.done) {
		if (merged && overlaps(merged, span)) merged = union(merged, span);
		else if (!merged && toBottom && span.from === null) merged = span; // an empty read to the end: the bottom stays
		else kept.push(span);
	}
	if (!merged) return { done: kept };
	const done = [...kept, merged].sort((a, b) => b.to.stamp - a.to.stamp);
	return { done };
}

/** Edges share ids only at one stamp; a read that found items at an edge's stamp adds them. */
function highEdge(items: readonly Stamped[]): Edge {
	const stamp = Math.max(...items.map((item) => item.stamp));
	return { stamp, ids: idsAt(items, stamp) };
}

function lowEdge(items: readonly Stamped[]): Edge {
	const stamp = Math.min(...items.map((item) => item.stamp));
	return { stamp, ids: idsAt(items, stamp) };
}

function idsAt(items: readonly Stamped[], stamp: number): string[] {
	return [...new Set(items.filter((item) => item.stamp === stamp).map((item) => item.id))];
}

/** Two stretches touch when one's range of stamps meets the other's (an edge stamp in common counts). */
function overlaps(a: Span, b: Span): boolean {
	const aFrom = a.from?.stamp ?? -Infinity;
	const bFrom = b.from?.stamp ?? -Infinity;
	return aFrom <= b.to.stamp && bFrom <= a.to.stamp;
}

function union(a: Span, b: Span): Span {
	return { from: lowerFrom(a.from, b.from), to: higherTo(a.to, b.to) };
}

function lowerFrom(a: Edge | null, b: Edge | null): Edge | null {
	if (a === null || b === null) return null;
	if (a.stamp !== b.stamp) return a.stamp < b.stamp ? a : b;
	return { stamp: a.stamp, ids: [...new Set([...a.ids, ...b.ids])] };
}

function higherTo(a: Edge, b: Edge): Edge {
	if (a.stamp !== b.stamp) return a.stamp > b.stamp ? a : b;
	return { stamp: a.stamp, ids: [...new Set([...a.ids, ...b.ids])] };
}

/** A cursor read back from storage, checked: anything else (an older format, a hand edit) is refused, never guessed. */
export function parseCursor(value: unknown): EventCursor | undefined {
	if (typeof value !== 'object' || value === null || !Array.isArray((value as EventCursor).done)) return undefined;
	const done = (value as EventCursor).done;
	const edge = (e: unknown): e is Edge => typeof e === 'object' && e !== null && Number.isFinite((e as Edge).stamp) && Array.isArray((e as Edge).ids) && (e as Edge).ids.every((id) => typeof id === 'string');
	if (!done.every((span) => typeof span === 'object' && span !== null && (span.from === null || edge(span.from)) && edge(span.to))) return undefined;
	const present = (value as EventCursor).present;
	const entry = (e: unknown): e is Present => typeof e === 'object' && e !== null && typeof (e as Present).id === 'string' && typeof (e as Present).since === 'string';
	if (present !== undefined && !(Array.isArray(present) && present.every(entry))) return undefined;
	return {
		done: done.map((span) => ({ from: span.from && { stamp: span.from.stamp, ids: [...span.from.ids] }, to: { stamp: span.to.stamp, ids: [...span.to.ids] } })),
		...(present ? { present: present.map(({ id, since }) => ({ id, since })) } : {}),
	};
}
