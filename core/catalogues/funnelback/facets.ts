import { isObject } from './funnelback-request';

/** How to select a facet value: the query parameter and its value, as the Facet Filters parameter takes them. */
export interface FacetSelection {
	parameter: string;
	value: string;
}

const VALUE_FIELDS = ['label', 'data', 'count', 'selected'] as const;

/**
 * `response.facets[]` with each value's selection added (`parameter`, `value`); simplified, only the facet's name,
 * selection type and values with their label, data, count and selected flag.
 */
export function pageFacets(given: unknown, simplify: boolean): Array<Record<string, unknown>> {
	if (!Array.isArray(given)) return [];
	return given.filter(isObject).map((facet) => {
		const values = (Array.isArray(facet.allValues) ? facet.allValues : []).filter(isObject).map((value) => {
			const selection = facetSelection(String(facet.name ?? ''), value);
			const kept = simplify ? pick(value, VALUE_FIELDS) : value;
			return { ...kept, ...selection };
		});
		if (!simplify) return { ...facet, allValues: values };
		return { ...pick(facet, ['name', 'selectionType'] as const), values };
	});
}

/**
 * Search.json leaves queryStringParamName and queryStringParamValue out on some versions (vendor notes 6): the
 * selection is read from them when present, else from queryStringParam (`f.Location|X=Sydney`), else from the
 * value's toggle URL (which adds the parameter when the value is not selected), else built from the facet name, the
 * value's constraint (its metadata class) and its data.
 */
export function facetSelection(facetName: string, value: Record<string, unknown>): FacetSelection | undefined {
	const data = typeof value.data === 'string' ? value.data : undefined;
	if (typeof value.queryStringParamName === 'string' && typeof value.queryStringParamValue === 'string') {
		return { parameter: value.queryStringParamName, value: value.queryStringParamValue };
	}
	const fromParam = typeof value.queryStringParam === 'string' ? facetParameters(value.queryStringParam)[0] : undefined;
	if (fromParam) return fromParam;
	const fromToggle = typeof value.toggleUrl === 'string' ? facetParameters(value.toggleUrl).find((pair) => pair.value === data) : undefined;
	if (fromToggle) return fromToggle;
	if (data !== undefined && typeof value.constraint === 'string' && facetName !== '') return { parameter: `f.${facetName}|${value.constraint}`, value: data };
	return undefined;
}

/** The `f.*` parameters of a query string or of a URL's query. */
function facetParameters(text: string): FacetSelection[] {
	const query = text.includes('?') ? text.slice(text.indexOf('?') + 1) : text;
	return [...new URLSearchParams(query)].filter(([name]) => name.startsWith('f.')).map(([parameter, value]) => ({ parameter, value }));
}

function pick(item: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of keys) if (key in item) out[key] = item[key];
	return out;
}
