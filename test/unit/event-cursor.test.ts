import { expect } from 'chai';
import { cover, EMPTY_CURSOR, eventStamp, isDone, parseCursor, reachesBottom, type EventCursor, type Stamped } from '../../core';

const at = (id: string, stamp: number): Stamped => ({ id, stamp });

describe('Trigger cursor (high-water marks with the ids at each edge)', () => {
	it('starting from the newest item: everything at or below it is done, an item sharing its stamp that arrives later is not', () => {
		const cursor = cover(EMPTY_CURSOR, [at('3', 30), at('2', 20), at('1', 20)], true);
		expect(cursor).to.deep.equal({ done: [{ from: null, to: { stamp: 30, ids: ['3'] } }] });
		expect(isDone(cursor, at('1', 20))).to.equal(true);
		expect(isDone(cursor, at('3', 30))).to.equal(true);
		expect(isDone(cursor, at('4', 30)), 'same stamp as the mark, not seen').to.equal(false);
		expect(isDone(cursor, at('5', 31))).to.equal(false);
		expect(reachesBottom(cursor, at('4', 30))).to.equal(false);
		expect(reachesBottom(cursor, at('3', 30)), 'another item at the mark may follow it').to.equal(false);
		expect(reachesBottom(cursor, at('2', 29))).to.equal(true);
	});

	it('a read down to the bottom moves the mark and keeps only the ids at the new one (bounded, whatever was seen before)', () => {
		let cursor: EventCursor = cover(EMPTY_CURSOR, [at('a', 10)], true);
		for (let stamp = 11; stamp < 1000; stamp++) cursor = cover(cursor, [at(`x${stamp}`, stamp), at(`y${stamp}`, stamp)], true);
		expect(cursor.done).to.have.length(1);
		expect(cursor.done[0].to).to.deep.equal({ stamp: 999, ids: ['x999', 'y999'] });
		expect(JSON.stringify(cursor).length).to.be.below(100);
	});

	it('ids at an unchanged mark accumulate only while items share that stamp', () => {
		let cursor = cover(EMPTY_CURSOR, [at('1', 50)], true);
		cursor = cover(cursor, [at('2', 50), at('1', 50)], true);
		expect(cursor.done[0].to).to.deep.equal({ stamp: 50, ids: ['2', '1'] });
		cursor = cover(cursor, [at('3', 51)], true);
		expect(cursor.done[0].to).to.deep.equal({ stamp: 51, ids: ['3'] });
	});

	it('a read cut short leaves a gap: items below it are still new, items in it are done; the next read closes it', () => {
		const start = cover(EMPTY_CURSOR, [at('1', 10)], true);
		const cut = cover(start, [at('9', 90), at('8', 80), at('7', 70)], false);
		expect(cut.done).to.have.length(2);
		expect(isDone(cut, at('8', 80))).to.equal(true);
		expect(isDone(cut, at('6', 60)), 'in the gap').to.equal(false);
		expect(isDone(cut, at('7b', 70)), 'at the gap edge, not read').to.equal(false);
		expect(reachesBottom(cut, at('8', 80)), 'a read goes on through the upper stretch').to.equal(false);
		const closed = cover(cut, [at('10', 100), at('9', 90), at('8', 80), at('7', 70), at('7b', 70), at('6', 60)], true);
		expect(closed).to.deep.equal({ done: [{ from: null, to: { stamp: 100, ids: ['10'] } }] });
	});

	it('stored and read back: a well-formed cursor is kept, anything else is refused rather than guessed', () => {
		const cursor = cover(cover(EMPTY_CURSOR, [at('1', 10)], true), [at('5', 50)], false);
		expect(parseCursor(JSON.parse(JSON.stringify(cursor)))).to.deep.equal(cursor);
		expect(parseCursor({ lastTimeChecked: '2024-01-01' })).to.equal(undefined);
		expect(parseCursor({ done: [{ from: null, to: { stamp: 'x', ids: [] } }] })).to.equal(undefined);
		expect(parseCursor(null)).to.equal(undefined);
		const present: EventCursor = { done: [], present: [{ id: '2078.1', since: '2026-12-04T10:00:00.000Z' }] };
		expect(parseCursor(JSON.parse(JSON.stringify(present)))).to.deep.equal(present);
		expect(parseCursor({ done: [], present: [{ id: 7, since: '2026-12-04T10:00:00.000Z' }] })).to.equal(undefined);
		expect(parseCursor({ done: [], present: 'all' })).to.equal(undefined);
	});

	it('reads the vendors\' dates in their order: Bonita and Simplicité without a zone, BAW ISO with one, epoch ms', () => {
		expect(eventStamp('2024-03-01 10:00:00.001')! - eventStamp('2024-03-01 10:00:00.000')!).to.equal(1);
		expect(eventStamp('2024-03-01 10:00:01')! - eventStamp('2024-03-01 10:00:00.999')!).to.equal(1);
		expect(eventStamp('2024-03-01T10:00:00Z')).to.equal(Date.UTC(2024, 2, 1, 10));
		expect(eventStamp('2024-03-01T12:00:00.000+02:00')).to.equal(Date.UTC(2024, 2, 1, 10));
		expect(eventStamp(1709287200000)).to.equal(1709287200000);
		for (const bad of ['', 'yesterday', null, undefined, {}, '2024-13']) expect(eventStamp(bad), String(bad)).to.equal(undefined);
	});
});
