import type { Parameter } from '../../core';

/**
 * A parameter as a Node-RED node stores it: a typedInput's value and type. `form` holds one TypedValue per form
 * field; the other types are typedInput's own (str, num, bool, json, msg, flow, global, env, jsonata).
 */
export interface TypedValue {
	v: unknown;
	vt: string;
}

/** What the editor shows for a parameter the node does not set: the runtime reads the same (so Done changes nothing). */
export function defaultTypedValue(parameter: Parameter): TypedValue {
	switch (parameter.type) {
		case 'form':
			return { v: {}, vt: 'form' };
		case 'file':
			return { v: 'payload', vt: 'msg' };
		case 'number':
			return { v: parameter.default === undefined ? '' : String(parameter.default), vt: 'num' };
		case 'boolean':
			return { v: String(parameter.default === true), vt: 'bool' };
		case 'json':
			return { v: String(parameter.default ?? '{}'), vt: 'json' };
		default:
			return { v: parameter.default === undefined ? '' : String(parameter.default), vt: 'str' };
	}
}
