import { BpmFailure } from '../bpm-error';
import type { HttpRequest } from './http-types';

/** Headers that may follow a redirect to another origin: nothing that could carry a credential. */
const CROSS_ORIGIN_SAFE = new Set(['accept', 'accept-language', 'accept-encoding', 'content-type', 'user-agent', 'cache-control']);

export function isRedirect(status: number): boolean {
	return [301, 302, 303, 307, 308].includes(status);
}

/**
 * The request to send for a redirect, as browsers do: 303 (and 301/302 after a POST) becomes a bodyless
 * GET; 307/308 keep method and body. Crossing origins keeps only CROSS_ORIGIN_SAFE headers, so an
 * Authorization, a vendor token or a user's own API key never reaches another host. https → http is refused.
 */
export function followRedirect(request: HttpRequest, status: number, location: string): HttpRequest {
	const from = new URL(request.url);
	const to = new URL(location, from);
	if (from.protocol === 'https:' && to.protocol !== 'https:') {
		throw new BpmFailure({ kind: 'network', message: `Refused a redirect from https to ${to.protocol.replace(':', '')} (${to.origin})` });
	}
	const keepsBody = status === 307 || status === 308;
	const becomesGet = !keepsBody && (status === 303 || request.method === 'POST');
	const sameOrigin = from.origin === to.origin;
	const headers = Object.fromEntries(
		Object.entries(request.headers).filter(([name]) => (sameOrigin || CROSS_ORIGIN_SAFE.has(name.toLowerCase())) && !(becomesGet && name.toLowerCase() === 'content-type')),
	);
	return {
		...request,
		method: becomesGet && request.method !== 'HEAD' ? 'GET' : request.method,
		url: to.toString(),
		headers,
		body: becomesGet ? undefined : request.body,
	};
}
