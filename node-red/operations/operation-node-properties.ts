import type { Catalogue } from '../../core';
import { callSettingsDefaults } from '../call-settings';
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
			...callSettingsDefaults(1),
		},
	} satisfies NodeProperties;
}
