import { BpmFailure, type BpmError } from '../../bpm-error';
import { isObject } from './funnelback-request';

/**
 * Funnelback's `error` node (SearchError: a reason and additional data), set when a search failed. The HTTP
 * status that comes with it is unverified (vendor notes 4.1): a 200 answer is checked as well as a 4xx.
 */
export interface SearchErrorNode {
	reason: string;
	detail?: string;
}

export function searchErrorNode(body: unknown): SearchErrorNode | undefined {
	const error = isObject(body) ? body.error : undefined;
	if (!isObject(error) || typeof error.reason !== 'string') return undefined;
	const data = error.additionalData;
	const detail = typeof data === 'string' ? data : isObject(data) && typeof data.message === 'string' ? data.message : undefined;
	return { reason: error.reason, ...(detail ? { detail } : {}) };
}

/** A failed answer's error node, from the excerpt an error value keeps: the whole body when it fits (layer requests). */
function excerptErrorNode(excerpt: string | undefined): SearchErrorNode | undefined {
	try {
		return searchErrorNode(JSON.parse(excerpt ?? ''));
	} catch {
		return undefined;
	}
}

/** The parameter at fault: the collection for InvalidCollection; for MissingParameter the one named, else the query. */
function faultyField(node: SearchErrorNode): string | undefined {
	if (node.reason === 'InvalidCollection') return 'collection';
	if (node.reason === 'MissingParameter') return /collection/i.test(node.detail ?? '') ? 'collection' : 'query';
	return undefined;
}

function describe(node: SearchErrorNode, values: Readonly<Record<string, unknown>>): string {
	switch (node.reason) {
		case 'InvalidCollection':
			return `Funnelback has no collection "${String(values.collection ?? node.detail ?? '')}" (InvalidCollection): check the search package or data source ID`;
		case 'MissingParameter':
			return `Funnelback says the ${faultyField(node)} parameter is missing (MissingParameter)`;
		default:
			return `Funnelback could not run the search (${node.reason}${node.detail ? `: ${node.detail}` : ''})`;
	}
}

/** Throws when a search answer that came back as a success holds an error node. */
export function failIfSearchFailed(body: unknown, values: Readonly<Record<string, unknown>>, status: number): void {
	const node = searchErrorNode(body);
	if (!node) return;
	const field = faultyField(node);
	throw new BpmFailure({ kind: field ? 'input' : 'http', status, message: describe(node, values), ...(field ? { field } : {}) });
}

/** A failed search's error in Funnelback's words, the field at fault named; kind and status kept. */
export function explainSearchFailure(error: BpmError, values: Readonly<Record<string, unknown>>): BpmError | undefined {
	if (error.kind !== 'http') return undefined;
	const node = excerptErrorNode(error.body);
	if (!node) return undefined;
	const field = faultyField(node);
	return { ...error, message: `${describe(node, values)}${error.status ? ` (HTTP ${error.status})` : ''}`, ...(field ? { field } : {}) };
}
