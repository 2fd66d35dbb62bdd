import { BpmFailure } from '../bpm-error';
import type { ResponseBody } from '../http/http-types';
import { valueAt } from './value-at';

/**
 * A page's list: the array at the items path, or the body itself. Nothing there (an empty body, an absent or
 * null list) is an empty page. Without a path, a body that is no array is one item, as n8n's HTTP Request
 * outputs one item per page.
 */
export function pageItems(body: ResponseBody, itemsPath: string | undefined): unknown[] {
	if (body.kind === 'empty') return [];
	if (body.kind !== 'json') {
		if (itemsPath) throw unreadable(`The page is not JSON, so it has no list at "${itemsPath}"`);
		return [body.value];
	}
	const list = valueAt(body.value, itemsPath ?? '');
	if (list === undefined || list === null) return [];
	if (Array.isArray(list)) return list;
	if (itemsPath) throw unreadable(`The page holds ${typeof list} at "${itemsPath}", not a list`);
	return [list];
}

function unreadable(message: string): BpmFailure {
	return new BpmFailure({ kind: 'http', message });
}
