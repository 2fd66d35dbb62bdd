/** Removes secrets from text before it leaves the engine (error messages, body excerpts, URLs). */

const MASK = '***';
const SECRET_QUERY_NAME = /token|key|secret|password|passwd|sig|auth|session/i;
/** Shorter values are too likely to match ordinary text to be worth masking. */
const MIN_SECRET_LENGTH = 4;

export function redactText(text: string, secrets: Iterable<string>): string {
	let out = text;
	const ordered = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
	for (const secret of ordered) {
		out = out.split(secret).join(MASK);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) out = out.split(encoded).join(MASK);
	}
	return out;
}

export function redactUrl(url: string, secrets: Iterable<string> = []): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return redactText(url, secrets);
	}
	if (parsed.username) parsed.username = MASK;
	if (parsed.password) parsed.password = MASK;
	for (const name of new Set(parsed.searchParams.keys())) {
		if (SECRET_QUERY_NAME.test(name)) parsed.searchParams.set(name, MASK);
	}
	return redactText(parsed.toString(), secrets);
}
