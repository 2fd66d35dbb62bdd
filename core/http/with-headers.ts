import type { HttpRequest } from './http-types';

/** Sets headers, replacing any the caller gave under another letter case, so a server never sees two. */
export function withHeaders(request: HttpRequest, added: Record<string, string>): HttpRequest {
	const names = new Set(Object.keys(added).map((name) => name.toLowerCase()));
	const kept = Object.entries(request.headers).filter(([name]) => !names.has(name.toLowerCase()));
	return { ...request, headers: { ...Object.fromEntries(kept), ...added } };
}
