import type { AuthScheme } from './auth-scheme';
import { inputError } from '../bpm-error';
import { resolveUrl } from '../http/build-request';

/**
 * Everything the adapters need to know about one scheme, a vendor's or a generic one. A scheme file
 * exports one of these; the n8n credential and the Node-RED config node only name it.
 */
export interface SchemeDefinition<C = unknown> {
	id: string;
	displayName: string;
	/** The n8n credential type name: ours, or n8n's own for the generic schemes that need nothing more. */
	n8nCredential: string;
	/** The Node-RED config node type: one per vendor, bpm-auth for every generic scheme. */
	nodeRedConfig: string;
	/** Validates raw credential fields (n8n credential data, Node-RED config plus credentials). */
	parseConfig(data: Record<string, unknown>): C;
	createScheme(config: C): AuthScheme;
}

export function requireText(data: Record<string, unknown>, field: string): string {
	const value = data[field];
	if (typeof value !== 'string' || value === '') throw inputError(field, `The credential field "${field}" is empty`);
	return value;
}

export function requireUrl(data: Record<string, unknown>, field: string): string {
	const text = requireText(data, field);
	let url: URL;
	try {
		url = resolveUrl(text);
	} catch (error) {
		throw inputError(field, `The credential field "${field}": ${(error as Error).message}`);
	}
	if (url.search || url.hash) throw inputError(field, `The credential field "${field}" must be a base URL without query or fragment`);
	return text.trim().replace(/\/+$/, '');
}

/** An optional base URL: absent or empty means the scheme applies to every URL the node calls. */
export function optionalUrl(data: Record<string, unknown>, field: string): string | undefined {
	const value = data[field];
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') ? undefined : requireUrl(data, field);
}

/** A pasted token often carries a line break, which no HTTP header may hold. */
export function requireToken(data: Record<string, unknown>, field: string): string {
	const token = requireText(data, field).trim();
	if (token === '') throw inputError(field, `The credential field "${field}" is empty`);
	if (/[\s\u0000-\u001f\u007f]/.test(token)) throw inputError(field, `The credential field "${field}" holds spaces or control characters`);
	return token;
}
