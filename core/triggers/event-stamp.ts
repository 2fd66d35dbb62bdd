/**
 * A server date as milliseconds, for ordering the server's own events (never compared with the client's clock).
 * Bonita's "yyyy-MM-dd HH:mm:ss.SSS" and Simplicité's "yyyy-MM-dd HH:mm:ss" carry no zone: they are read as UTC,
 * which keeps their order (every stamp of one server is in the same zone). ISO dates with a zone (BAW) and epoch
 * milliseconds are read as they are. Undefined for anything else: the item is then not an event the trigger can place.
 */
export function eventStamp(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text);
	if (local) {
		const [, year, month, day, hour, minute, second = '0', fraction = '0'] = local;
		return Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Math.floor(Number(`0.${fraction}`) * 1000));
	}
	if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return /^\d{10,}$/.test(text) ? Number(text) : undefined;
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? undefined : parsed;
}
