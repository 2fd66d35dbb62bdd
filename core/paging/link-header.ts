/** One link-value of an RFC 8288 Link header: its target as written, and its parameters (names lower-cased). */
export interface WebLink {
	target: string;
	params: ReadonlyMap<string, string>;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const SPACE = /[ \t]/;

/**
 * Reads every link-value of a Link header (several headers joined with commas read the same). Commas and
 * semicolons inside `<…>` or a quoted string belong to it; a malformed link-value is skipped, not fatal.
 * A parameter repeated in one link keeps its first value (RFC 8288 §3.3).
 */
export function parseLinkHeader(value: string): WebLink[] {
	const links: WebLink[] = [];
	let i = 0;
	const readWhile = (pattern: RegExp): string => {
		const start = i;
		while (i < value.length && pattern.test(value[i])) i++;
		return value.slice(start, i);
	};
	const readQuoted = (): string => {
		let text = '';
		for (i++; i < value.length && value[i] !== '"'; i++) text += value[i] === '\\' && i + 1 < value.length ? value[++i] : value[i];
		i++;
		return text;
	};
	/** Past the rest of a link-value, quoted strings included, up to the comma that ends it. */
	const skipRest = () => {
		while (i < value.length && value[i] !== ',') {
			if (value[i] === '"') readQuoted();
			else i++;
		}
	};
	for (readWhile(/[ \t,]/); i < value.length; readWhile(/[ \t,]/)) {
		const close = value.indexOf('>', i);
		if (value[i] !== '<' || close < 0) {
			skipRest();
			continue;
		}
		const target = value.slice(i + 1, close).trim();
		const params = new Map<string, string>();
		i = close + 1;
		for (readWhile(SPACE); value[i] === ';'; readWhile(SPACE)) {
			i++;
			readWhile(SPACE);
			const name = readWhile(TOKEN).toLowerCase();
			readWhile(SPACE);
			let param = '';
			if (value[i] === '=') {
				i++;
				readWhile(SPACE);
				// Unquoted values in the wild hold more than token characters (`type=text/html`).
				param = value[i] === '"' ? readQuoted() : readWhile(/[^;,\s]/);
			}
			if (name !== '' && !params.has(name)) params.set(name, param);
		}
		links.push({ target, params });
		skipRest();
	}
	return links;
}

/**
 * The absolute URL of the first link whose relation types include `next` (case-insensitive; `rel` may list
 * several), resolved against the URL of the response that carried it. A link with an `anchor` is about another
 * resource, so it is not this page's next.
 */
export function nextLink(header: string | undefined, responseUrl: string): string | undefined {
	if (header === undefined) return undefined;
	for (const link of parseLinkHeader(header)) {
		const relations = (link.params.get('rel') ?? '').toLowerCase().split(/\s+/);
		if (!relations.includes('next') || link.params.has('anchor')) continue;
		try {
			return new URL(link.target, responseUrl).toString();
		} catch {
			// A target that is no URL at all: look further.
		}
	}
	return undefined;
}
