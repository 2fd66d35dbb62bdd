import type { IExecuteFunctions } from 'n8n-workflow';

/** getNodeParameter for one item, with the node's parameters already read once where that is safe. */
export type ItemParameters = <T>(name: string, index: number, fallback?: T) => T;

/**
 * n8n resolves a parameter per item because an expression may read the item. One without an expression has
 * the same value for every item, and each getNodeParameter call costs a node type lookup, a deep copy and a
 * schema check: BPM Request read nine per item, a third of its time in n8n's CPU profile. Such values are
 * read for the first item and shared, frozen, with the others.
 */
export function itemParameters(context: IExecuteFunctions): ItemParameters {
	const raw = context.getNode().parameters;
	const shared = new Map<string, unknown>();
	return <T>(name: string, index: number, fallback?: T): T => {
		if (shared.has(name)) return shared.get(name) as T;
		const value = context.getNodeParameter(name, index, fallback) as T;
		if (!holdsExpression(rawParameter(raw, name))) shared.set(name, deepFreeze(value));
		return value;
	};
}

/** The value as saved in the workflow, by the dotted path getNodeParameter takes ("headerParameters.parameters"). */
function rawParameter(parameters: object, name: string): unknown {
	return name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], parameters);
}

/** n8n's rule: a string parameter starting with "=" is an expression, at any depth of a collection. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const inner of Object.values(value)) deepFreeze(inner);
	}
	return value;
}
