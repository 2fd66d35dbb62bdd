import type { NodeDef } from './node-red-api';

/**
 * One node's properties as Node-RED sees them: the editor's `defaults` and `credentials`, and the values the
 * runtime uses for a property the flow leaves out. The built editor HTML gets its literal from here
 * (render-editor-properties.ts, run by gulp) and the runtime fills missing properties from the same table, so
 * an imported flow that omits a property means the same in the dialog and in the running node.
 */
export interface NodeProperties {
	defaults: Record<string, PropertyDefault>;
	credentials?: Record<string, CredentialProperty>;
}

export interface PropertyDefault {
	/** An object value (an operation node's parameters) is copied for each node that takes it. */
	value: string | number | boolean | Record<string, unknown>;
	/** A config node type: the property holds the id of such a node. */
	type?: string;
	required?: boolean;
	validate?: Validation;
}

/** What the editor checks before it lets a dialog close; the runtime's own parsing names a bad field again. */
export type Validation = RegExp | 'number' | { integerFrom: number; to: number; blankAllowed: boolean };

export interface CredentialProperty {
	type: 'text' | 'password';
	required?: boolean;
}

/** The editor saves text inputs as strings, so a numeric property may arrive as either. */
type SettingValue<V> = V extends boolean ? boolean : V extends number ? number | string : V extends string ? string : V;

export type Settings<P extends NodeProperties> = NodeDef & { [K in keyof P['defaults']]: SettingValue<P['defaults'][K]['value']> };

/** The node's configuration with every property the flow leaves out set to its default. */
export function withDefaults<P extends NodeProperties>(properties: P, config: NodeDef): Settings<P> {
	const filled: Record<string, unknown> = { ...config };
	for (const [name, property] of Object.entries(properties.defaults)) if (filled[name] === undefined) filled[name] = typeof property.value === 'object' ? structuredClone(property.value) : property.value;
	return filled as Settings<P>;
}
