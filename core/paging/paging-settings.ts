import { inputError } from '../bpm-error';
import { parseStatusCodes } from '../calls/status-policy';
import type { PagingOptions } from './paging-options';
import type { PagingStyle } from './paging-style';

/**
 * Paging as the request nodes show it (n8n's BPM Request, Node-RED's bpm-request): flat values, read once here
 * so both runtimes mean the same. `style` is 'off' or one of the paging styles: the vendors' presets (Bonita,
 * Funnelback) and the shapes of any other API (offset, page number, Link header, next URL or cursor in the body).
 */
export interface PagingSettings {
	style?: string;
	returnAll?: boolean;
	limit?: number | string;
	pageSize?: number | string;
	maxPages?: number | string;
	itemsPath?: string;
	totalPath?: string;
	offsetParameter?: string;
	sizeParameter?: string;
	pageParameter?: string;
	firstPage?: number | string;
	nextUrlPath?: string;
	cursorPath?: string;
	cursorParameter?: string;
	/** n8n's "complete when: receive specific status codes": an answer with one of these ends the paging, adding nothing. */
	completeOnStatus?: string;
}

/** A request node's paging: the style, the collector's options, and the statuses that end it. */
export interface RequestPaging {
	style: PagingStyle;
	options: Partial<PagingOptions>;
	completeOnStatus: readonly number[];
}

export const PAGING_STYLES = ['off', 'bonita', 'offset', 'pageIndex', 'funnelback', 'linkHeader', 'nextUrl', 'cursor'] as const;

/** The style and options the settings name; undefined when paging is off. A bad value is refused, naming its field. */
export function parsePagingSettings(settings: PagingSettings): RequestPaging | undefined {
	const kind = settings.style || 'off';
	if (!(PAGING_STYLES as readonly string[]).includes(kind)) throw inputError('pagination', `Pagination must be one of ${PAGING_STYLES.join(', ')}, not "${kind}"`);
	if (kind === 'off') return undefined;
	const text = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
	const list = { itemsPath: text(settings.itemsPath) };
	const shape = { ...list, totalPath: text(settings.totalPath) };
	const size = { sizeParameter: text(settings.sizeParameter) };
	const styles: Record<Exclude<(typeof PAGING_STYLES)[number], 'off'>, () => PagingStyle> = {
		bonita: () => ({ kind: 'bonita' }),
		funnelback: () => ({ kind: 'funnelback' }),
		offset: () => ({ kind: 'offset', offsetParameter: text(settings.offsetParameter) ?? '', ...size, ...shape }),
		pageIndex: () => ({ kind: 'pageIndex', pageParameter: text(settings.pageParameter) ?? '', firstPage: firstPage(settings.firstPage), ...size, ...shape }),
		linkHeader: () => ({ kind: 'linkHeader', ...size, ...list }),
		nextUrl: () => ({ kind: 'nextUrl', nextUrlPath: text(settings.nextUrlPath) ?? '', ...size, ...list }),
		cursor: () => ({ kind: 'cursor', cursorPath: text(settings.cursorPath) ?? '', cursorParameter: text(settings.cursorParameter) ?? '', ...size, ...list }),
	};
	const style = styles[kind as keyof typeof styles]();
	return {
		style: withoutUndefined(style),
		options: withoutUndefined({ returnAll: settings.returnAll === true, limit: count(settings.limit), pageSize: count(settings.pageSize), maxPages: count(settings.maxPages) }),
		completeOnStatus: parseStatusCodes(settings.completeOnStatus, 'completeOnStatus'),
	};
}

function firstPage(value: number | string | undefined): 0 | 1 {
	if (value === undefined || value === '') return 0;
	const page = Number(value);
	if (page !== 0 && page !== 1) throw inputError('firstPage', `The first page is 0 or 1, not "${String(value)}"`);
	return page;
}

/** Checked by pagingOptions, which names the field; blank means the default. */
function count(value: number | string | undefined): number | undefined {
	return value === undefined || value === '' ? undefined : Number(value);
}

function withoutUndefined<T extends object>(object: T): T {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}
