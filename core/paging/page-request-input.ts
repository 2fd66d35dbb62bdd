import type { RequestInput } from '../http/build-request';
import type { PageRequest } from './paging-style';

/**
 * The caller's request for one page: its query parameters set (replacing those of the same name, in the URL
 * as typed too, so `p=0` in a pasted URL does not travel twice), or the URL the server named, which carries
 * its own query. Method, headers, body and options stay as they are.
 */
export function pageRequestInput(input: RequestInput, page: PageRequest): RequestInput {
	if (page.kind === 'url') return { ...input, url: page.url, query: [] };
	const names = new Set(Object.keys(page.query));
	const kept = (input.query ?? []).filter(({ name }) => !names.has(name));
	const set = Object.entries(page.query).map(([name, value]) => ({ name, value }));
	return { ...input, url: withoutParameters(input.url, names), query: [...kept, ...set] };
}

/** The URL with the named query parameters taken out; every other byte as typed (no re-encoding of `%20` into `+`). */
function withoutParameters(url: string, names: ReadonlySet<string>): string {
	const hash = url.indexOf('#');
	const beforeHash = hash < 0 ? url : url.slice(0, hash);
	const question = beforeHash.indexOf('?');
	if (question < 0) return url;
	const kept = beforeHash
		.slice(question + 1)
		.split('&')
		.filter((pair) => pair !== '' && !names.has(decodeName(pair.split('=')[0])));
	return `${beforeHash.slice(0, question)}${kept.length > 0 ? `?${kept.join('&')}` : ''}${hash < 0 ? '' : url.slice(hash)}`;
}

function decodeName(name: string): string {
	try {
		return decodeURIComponent(name.replace(/\+/g, ' '));
	} catch {
		return name;
	}
}
