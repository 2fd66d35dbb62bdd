/**
 * The OAuth2 fields both credentials and the OAuth2 Token node read, validated once, so each one is
 * refused with the same message wherever it is typed.
 */
import { inputError } from '../bpm-error';
import { resolveUrl } from '../http/build-request';
import { requireText, requireToken } from '../schemes/scheme-definition';
import type { ClientAuthentication } from './token-request';

/** An http(s) endpoint, kept as typed: a token endpoint's trailing slash may matter to its server. */
export function requireEndpoint(data: Record<string, unknown>, field: string, { query }: { query: boolean }): string {
	const text = requireText(data, field).trim();
	let url: URL;
	try {
		url = resolveUrl(text);
	} catch (error) {
		throw inputError(field, `The credential field "${field}": ${(error as Error).message}`);
	}
	if (url.hash || (!query && url.search)) throw inputError(field, `The credential field "${field}" must be a URL without ${query ? '' : 'query or '}fragment`);
	return text;
}

/** Absent, null and empty all mean "not given", as an empty n8n or Node-RED field arrives. */
export function optionalText(data: Record<string, unknown>, field: string): string | undefined {
	const value = data[field];
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw inputError(field, `The credential field "${field}" must be text`);
	return value;
}

/** Codes, verifiers and refresh tokens are pasted: trimmed, and refused with a space or line break inside. */
export function optionalToken(data: Record<string, unknown>, field: string): string | undefined {
	const value = optionalText(data, field);
	return value === undefined || value.trim() === '' ? undefined : requireToken(data, field);
}

export function parseClientAuthentication(data: Record<string, unknown>): ClientAuthentication {
	const value = data.clientAuthentication;
	if (value === undefined || value === null || value === '' || value === 'basic') return 'basic';
	if (value === 'body') return 'body';
	throw inputError('clientAuthentication', 'The credential field "clientAuthentication" must be "basic" or "body"');
}

/** RFC 6749 §3.3: scope tokens are printable ASCII except space, double quote and backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Space separated, whatever whitespace the user typed between the scopes. */
export function optionalScope(data: Record<string, unknown>, field = 'scope'): string | undefined {
	const scopes = optionalText(data, field)?.split(/\s+/).filter((scope) => scope !== '') ?? [];
	const bad = scopes.find((scope) => !SCOPE_TOKEN.test(scope));
	if (bad !== undefined) throw inputError(field, `The credential field "${field}" holds a scope with a character OAuth2 does not allow: "${bad}"`);
	return scopes.length > 0 ? scopes.join(' ') : undefined;
}

/** Not in RFC 6749: the parameter some servers (Auth0, Okta) need to know which API the token is for. */
export function optionalAudience(data: Record<string, unknown>): string | undefined {
	return optionalText(data, 'audience')?.trim() || undefined;
}

/** RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
export function optionalCodeVerifier(data: Record<string, unknown>): string | undefined {
	const verifier = optionalToken(data, 'codeVerifier');
	if (verifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
		throw inputError('codeVerifier', 'The credential field "codeVerifier" must be 43 to 128 letters, digits, "-", ".", "_" or "~" (RFC 7636)');
	}
	return verifier;
}
