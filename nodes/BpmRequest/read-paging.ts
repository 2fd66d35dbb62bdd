import type { PagingSettings } from '../../core';
import type { ItemParameters } from '../shared/item-parameters';
import { PAGING_PARAMETERS } from './pagination-properties';

/** The item's pagination settings; those the chosen style hides read as blank (their defaults). */
export function readPaging(param: ItemParameters, index: number): PagingSettings {
	const style = param<string>('pagination', index, 'off');
	if (style === 'off') return { style };
	return { style, ...Object.fromEntries(PAGING_PARAMETERS.map((name) => [name, param(name, index, '')])) };
}
