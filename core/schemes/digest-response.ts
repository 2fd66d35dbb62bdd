import { createHash, randomBytes } from 'node:crypto';
import type { DigestChallenge } from './digest-challenge';

/**
 * The Digest computation of RFC 7616 §3.4 and the Authorization value that carries it. Pure but for
 * createCnonce: the caller passes nc and cnonce, so the maths can be checked against the RFC's examples.
 */

/** Node hash names, strongest first. SHA-512-256 is FIPS 180-4 SHA-512/256, not a truncated SHA-512. */
const HASHES = [
	['SHA-512-256', 'sha512-256'],
	['SHA-256', 'sha256'],
	['MD5', 'md5'],
] as const;

export const SUPPORTED_ALGORITHMS = HASHES.map(([name]) => name);

export interface DigestCredentials {
	user: string;
	password: string;
}

export interface DigestCall {
	method: string;
	/** The request-target exactly as sent: path and query. */
	uri: string;
	/** How many requests have used this nonce, this one included. */
	nc: number;
	cnonce: string;
}

interface Algorithm {
	hash: string;
	session: boolean;
	/** Index in HASHES: lower is stronger. */
	rank: number;
}

/**
 * The challenge to answer: the strongest supported algorithm, the server's order breaking ties.
 * With qop offered, "auth" must be among the options (auth-int needs the body hashed, which streaming
 * uploads cannot give); without qop it is a legacy RFC 2069 challenge, which has no cnonce and so no -sess.
 */
export function chooseChallenge(challenges: readonly DigestChallenge[]): DigestChallenge | undefined {
	let best: { challenge: DigestChallenge; rank: number } | undefined;
	for (const challenge of challenges) {
		const algorithm = algorithmOf(challenge.algorithm);
		if (!algorithm) continue;
		const legacy = challenge.qop.length === 0;
		if (legacy ? algorithm.session : !challenge.qop.includes('auth')) continue;
		if (!best || algorithm.rank < best.rank) best = { challenge, rank: algorithm.rank };
	}
	return best?.challenge;
}

/** The Authorization header value answering `challenge` for one request. */
export function digestAuthorization(credentials: DigestCredentials, challenge: DigestChallenge, call: DigestCall): string {
	const algorithm = algorithmOf(challenge.algorithm);
	if (!algorithm) throw new Error(`Unsupported Digest algorithm ${challenge.algorithm ?? ''}`);
	const hash = (text: string) => createHash(algorithm.hash).update(text, 'utf8').digest('hex');
	const { user, password } = credentials;
	const { realm, nonce } = challenge;
	const secret = hash(`${user}:${realm}:${password}`);
	const ha1 = algorithm.session ? hash(`${secret}:${nonce}:${call.cnonce}`) : secret;
	const ha2 = hash(`${call.method}:${call.uri}`);
	const qop = challenge.qop.length > 0;
	const nc = call.nc.toString(16).padStart(8, '0');
	const response = qop ? hash(`${ha1}:${nonce}:${nc}:${call.cnonce}:auth:${ha2}`) : hash(`${ha1}:${nonce}:${ha2}`);
	const fields = [
		usernameField(user, realm, challenge.userhash, hash),
		`realm=${quote(realm)}`,
		`uri=${quote(call.uri)}`,
		// Echoed as the server spelled it; left out when the server left it out (legacy servers).
		...(challenge.algorithm ? [`algorithm=${challenge.algorithm}`] : []),
		`nonce=${quote(nonce)}`,
		...(qop ? [`nc=${nc}`, `cnonce=${quote(call.cnonce)}`, 'qop=auth'] : []),
		`response=${quote(response)}`,
		...(challenge.opaque !== undefined ? [`opaque=${quote(challenge.opaque)}`] : []),
		...(challenge.userhash ? ['userhash=true'] : []),
	];
	return `Digest ${fields.join(', ')}`;
}

/** 128 random bits, hex: the client's contribution against chosen-plaintext attacks. */
export function createCnonce(): string {
	return randomBytes(16).toString('hex');
}

function algorithmOf(name = 'MD5'): Algorithm | undefined {
	const upper = name.toUpperCase();
	const session = upper.endsWith('-SESS');
	const base = session ? upper.slice(0, -'-SESS'.length) : upper;
	const rank = HASHES.findIndex(([known]) => known === base);
	return rank === -1 ? undefined : { hash: HASHES[rank][1], session, rank };
}

/**
 * userhash hides the name; otherwise a name that a quoted-string cannot carry (non-ASCII or control
 * characters) travels as username* in RFC 8187 form, which forbids userhash alongside it.
 */
function usernameField(user: string, realm: string, userhash: boolean, hash: (text: string) => string): string {
	if (userhash) return `username=${quote(hash(`${user}:${realm}`))}`;
	if (/^[\x20-\x7e]*$/.test(user)) return `username=${quote(user)}`;
	return `username*=UTF-8''${encodeExtValue(user)}`;
}

function quote(text: string): string {
	return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** RFC 8187 value-chars: attr-char kept, every other UTF-8 byte percent-encoded. */
function encodeExtValue(text: string): string {
	return [...Buffer.from(text, 'utf8')]
		.map((byte) => {
			const char = String.fromCharCode(byte);
			return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
		})
		.join('');
}
