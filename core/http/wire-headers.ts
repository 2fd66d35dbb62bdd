import type { EncodedBody } from './encode-body';

/** What a REST client sends unless told otherwise; compressed answers are decoded in sendExchange. */
const DEFAULT_HEADERS: ReadonlyArray<readonly [string, string]> = [
	['Accept', 'application/json, text/plain, */*'],
	['Accept-Encoding', 'gzip, deflate, br'],
	['User-Agent', 'bpm-connect'],
];

/** Methods whose servers expect a length even for an empty body (Node would otherwise send it chunked). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The header lines of one request as Node's flat raw list ([name, value, name, value…]), which Node
 * writes without building its own header map: the caller's headers, the session's cookies added to
 * theirs, then the defaults and the body's type and length where the caller set none.
 */
export function wireHeaders(host: string, method: string, headers: Record<string, string>, jarCookies: string, body: EncodedBody): string[] {
	const lines: string[] = [];
	const seen = new Set<string>();
	for (const name of Object.keys(headers)) {
		const lower = name.toLowerCase();
		// The length is the body's, never a caller's guess; a multipart type must name the boundary sent.
		if (lower === 'content-length' || (lower === 'content-type' && body.typeIsBinding)) continue;
		seen.add(lower);
		lines.push(name, lower === 'cookie' && jarCookies ? `${headers[name]}; ${jarCookies}` : headers[name]);
	}
	if (!seen.has('host')) lines.push('Host', host);
	for (const [name, value] of DEFAULT_HEADERS) if (!seen.has(name.toLowerCase())) lines.push(name, value);
	if (jarCookies && !seen.has('cookie')) lines.push('Cookie', jarCookies);
	if (body.contentType && !seen.has('content-type')) lines.push('Content-Type', body.contentType);
	if (body.length !== undefined) lines.push('Content-Length', String(body.length));
	else if (BODY_METHODS.has(method) && body.data === undefined) lines.push('Content-Length', '0');
	return lines;
}
