/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date (IMF-fixdate, and the obsolete RFC 850
 * and asctime forms, which Date.parse reads), and Java's Date.toString, which Bonita sends. Returns
 * milliseconds from `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	// asctime carries no zone, but HTTP dates are always GMT; Date.parse would read it as local time.
	const date = Date.parse(/GMT|UTC|[+-]\d{4}$/i.test(text) ? text : `${text} GMT`);
	if (!Number.isNaN(date)) return Math.max(0, date - now);
	// Java's Date.toString (Bonita's Spring endpoints): "Tue Nov 12 10:00:00 CET 2024". Its zone is an abbreviation
	// Date.parse cannot read; read as GMT, off by the zone's hours at most, which no quota wait minds.
	const java = /^(\w{3} \w{3} \d{1,2} \d{2}:\d{2}:\d{2}) [A-Za-z]{2,5} (\d{4})$/.exec(text);
	const javaDate = java ? Date.parse(`${java[1]} ${java[2]} GMT`) : Number.NaN;
	return Number.isNaN(javaDate) ? undefined : Math.max(0, javaDate - now);
}
