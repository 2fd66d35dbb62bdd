/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date (IMF-fixdate, and the obsolete RFC 850
 * and asctime forms, which Date.parse reads). Returns milliseconds from `now`, or undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// asctime carries no zone, but HTTP dates are always GMT; Date.parse would read it as local time.
	const date = Date.parse(/GMT|UTC|[+-]\d{4}$/i.test(text) ? text : `${text} GMT`);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
