/** The value at a dotted path (`response.resultPacket.results`; empty: the value itself), own properties only; undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: string): unknown {
	if (path === '') return value;
	let current = value;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}
