import type { Catalogue } from '../../core';
import type { NodeProperties } from '../node-properties';

/** A vendor operation node's properties: its server, the operation, the parameters (a TypedValue each), paging and retries. */
export function operationNodeProperties(catalogue: Catalogue, configType: string) {
	const [first] = catalogue.operations;
	return {
		defaults: {
			name: { value: '' },
			server: { value: '', type: configType, required: true },
			resource: { value: first.resource, required: true },
			operation: { value: first.operation, required: true },
			parameters: { value: {} },
			returnAll: { value: false },
			limit: { value: 50, validate: { integerFrom: 1, to: 1_000_000, blankAllowed: false } },
			simplify: { value: true },
			maxAttempts: { value: 1, validate: { integerFrom: 1, to: 20, blankAllowed: false } },
			retryDelayMs: { value: 500, validate: 'number' },
			/** Blank: the engine's 30 s to the first byte. */
			timeoutMs: { value: '', validate: /^\d*$/ },
			tls: { value: '', type: 'tls-config', required: false },
			proxy: { value: '', type: 'http proxy', required: false },
		},
	} satisfies NodeProperties;
}
