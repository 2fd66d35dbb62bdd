import type { Catalogue } from '../../core';
import { callSettingsDefaults } from '../call-settings';
import type { NodeProperties } from '../node-properties';

/** Seconds between polls: at least 5 (a vendor is not hammered), at most a day (Node-RED's timers stop at 2^31-1 ms). */
export const INTERVAL_BOUNDS = { min: 5, max: 86_400 } as const;

/**
 * A vendor watch node's properties: its server, the event (a resource and an event of it, as an operation node stores a
 * resource and an operation), the filters (a TypedValue each), how often to poll, Include Existing, claim mode, and the
 * retries, TLS and proxy of every call. `inputs` 1 adds an input that polls on demand.
 */
export function watchNodeProperties(catalogue: Catalogue, configType: string) {
	const [first] = catalogue.triggers ?? [];
	if (!first) throw new Error(`${catalogue.displayName} has no trigger events`);
	return {
		defaults: {
			name: { value: '' },
			server: { value: '', type: configType, required: true },
			resource: { value: first.list.resource, required: true },
			operation: { value: first.list.operation, required: true },
			parameters: { value: {} },
			interval: { value: 60, validate: { integerFrom: INTERVAL_BOUNDS.min, to: INTERVAL_BOUNDS.max, blankAllowed: false } },
			inputs: { value: 0 },
			includeExisting: { value: false },
			claim: { value: false },
			simplify: { value: true },
			...callSettingsDefaults(3),
		},
	} satisfies NodeProperties;
}
