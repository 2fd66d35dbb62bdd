import type { AuthScheme } from './auth-scheme';
import { inputError } from './bpm-error';
import { resolveUrl } from './build-request';

/**
 * Everything the adapters need to know about one vendor. A scheme file exports one of these; the n8n
 * credential and the Node-RED config node only name it.
 */
export interface VendorDefinition<C = unknown> {
	id: string;
	displayName: string;
	/** The n8n credential type name. */
	n8nCredential: string;
	/** The Node-RED config node type. */
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
	const url = resolveUrl(text);
	if (url.search || url.hash) throw inputError(field, `The credential field "${field}" must be a base URL without query or fragment`);
	return text.trim().replace(/\/+$/, '');
}
