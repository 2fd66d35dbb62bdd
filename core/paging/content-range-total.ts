/**
 * The total of a Bonita Content-Range: the number after the `/`, whatever precedes it. Toolkit searches send
 * `p-c/total` (c the size asked for), the 2026 Spring endpoints `p-count/total` (count the items returned), and
 * Restlet resources may add a unit (`items 0-10/57`). Undefined when absent or unknown (`0-10/*`).
 */
export function contentRangeTotal(value: string | undefined): number | undefined {
	const match = value === undefined ? null : /\/\s*(\d+)\s*$/.exec(value);
	return match ? Number(match[1]) : undefined;
}
