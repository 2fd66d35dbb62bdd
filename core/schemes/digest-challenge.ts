/**
 * WWW-Authenticate parsing (RFC 9110 §11.6.1). Node joins repeated header fields with ", ", and some
 * servers put several challenges in one field anyway, so challenges are split inside a value: a token
 * followed by "=" is a parameter of the current challenge, any other token starts a new challenge.
 */

/** One challenge as sent: parameter names lower-cased, values unquoted. */
export interface AuthChallenge {
	/** As the server spelled it; compare case-insensitively. */
	scheme: string;
	params: Record<string, string>;
	/** The opaque blob some schemes send instead of parameters (`Negotiate abc==`). */
	token68?: string;
}

/** A Digest challenge with the fields the response needs, already normalised. */
export interface DigestChallenge {
	realm: string;
	nonce: string;
	opaque?: string;
	/** As the server spelled it (echoed back); absent means MD5 (RFC 7616 §3.3). */
	algorithm?: string;
	/** Lower-case qop options; empty for a legacy RFC 2069 challenge. */
	qop: string[];
	stale: boolean;
	userhash: boolean;
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;
/** A bare parameter value: the grammar says token, but reading up to the next comma also takes a base64 nonce sent unquoted. */
const BARE_VALUE = /[^\s,"]*/y;
const TOKEN68 = /[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/y;
const SPACE = /[ \t]*/y;

/** Every challenge in one header value, in the server's order (its order of preference). */
export function parseAuthenticate(value: string): AuthChallenge[] {
	const challenges: AuthChallenge[] = [];
	let current: AuthChallenge | undefined;
	let at = 0;
	const match = (pattern: RegExp): string | undefined => {
		pattern.lastIndex = at;
		const found = pattern.exec(value)?.[0];
		if (found !== undefined) at += found.length;
		return found;
	};
	while (at < value.length) {
		if (/[\s,]/.test(value[at])) {
			at++;
			continue;
		}
		const token = match(TOKEN);
		if (token === undefined) {
			// Not a token: skip to the next list element rather than give up on the whole field.
			at = nextComma(value, at);
			continue;
		}
		match(SPACE);
		if (value[at] === '=' && current) {
			at++;
			match(SPACE);
			let text: string;
			if (value[at] === '"') ({ text, end: at } = quotedString(value, at));
			else text = match(BARE_VALUE) ?? '';
			const name = token.toLowerCase();
			// RFC 9110: a parameter appears once per challenge; keep the first of duplicates.
			if (!Object.hasOwn(current.params, name)) current.params[name] = text;
			continue;
		}
		current = { scheme: token, params: {} };
		challenges.push(current);
		const token68 = match(TOKEN68);
		if (token68 !== undefined) current.token68 = token68;
	}
	return challenges;
}

/** Challenges from a response header as stored (one string, or one string per field line). */
export function parseAuthenticateHeader(header: string | string[] | undefined): AuthChallenge[] {
	return [header ?? []].flat().flatMap(parseAuthenticate);
}

/** The Digest challenges of a header, skipping any without the realm and nonce that every response needs. */
export function digestChallenges(header: string | string[] | undefined): DigestChallenge[] {
	return parseAuthenticateHeader(header).flatMap(({ scheme, params }) => {
		if (scheme.toLowerCase() !== 'digest' || params.realm === undefined || !params.nonce) return [];
		const challenge: DigestChallenge = {
			realm: params.realm,
			nonce: params.nonce,
			qop: (params.qop ?? '')
				.split(',')
				.map((option) => option.trim().toLowerCase())
				.filter((option) => option !== ''),
			stale: params.stale?.toLowerCase() === 'true',
			userhash: params.userhash?.toLowerCase() === 'true',
		};
		if (params.algorithm) challenge.algorithm = params.algorithm;
		if (params.opaque !== undefined) challenge.opaque = params.opaque;
		return [challenge];
	});
}

/** A quoted-string starting at `start` (the opening quote), unescaped; an unterminated one runs to the end. */
function quotedString(value: string, start: number): { text: string; end: number } {
	let text = '';
	let at = start + 1;
	while (at < value.length && value[at] !== '"') {
		if (value[at] === '\\' && at + 1 < value.length) at++;
		text += value[at++];
	}
	return { text, end: at + 1 };
}

function nextComma(value: string, from: number): number {
	const comma = value.indexOf(',', from);
	return comma === -1 ? value.length : comma + 1;
}
