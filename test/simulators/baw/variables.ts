/**
 * Declared variables as the simulator checks and describes them: the BPD inputs a start takes, the task
 * outputs a completion takes, and the bpddata answer. The JSON shape of bpddata is [I]: IBM documents only
 * an XML schema for it; the simulator answers each variable list as an object keyed by variable name with
 * {type, isList, description}, the shape IBM documents for a service's dataModel (serviceModel, parts=dataModel).
 */
import type { BpdRecord, SnapshotRecord, VariableDef } from './data';

/** `{name, data}` pairs as /bpm sends and takes them (`input`, `output`). */
export interface DataObject {
  name: string;
  data: unknown;
}

/** Why `value` does not fit the declared variable, or undefined when it does (null always does). */
export function typeError(def: VariableDef, value: unknown): string | undefined {
  if (value === null) return undefined;
  if (def.isList) {
    if (!Array.isArray(value)) return `a list of ${def.type} is expected`;
    for (const item of value) {
      const problem = typeError({ ...def, isList: false }, item);
      if (problem) return problem;
    }
    return undefined;
  }
  switch (def.type) {
    case 'String':
      return typeof value === 'string' ? undefined : 'a String is expected';
    case 'Integer':
      return Number.isInteger(value) ? undefined : 'an Integer is expected';
    case 'Decimal':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'a Decimal is expected';
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : 'a Boolean is expected';
    case 'Date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'an ISO 8601 Date is expected';
    default:
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `a ${def.type} object is expected`;
  }
}

/**
 * The `{name, data}` items of a /bpm body checked against the declared variables: the values by name, or the
 * reason the first bad item is refused (its message and the parameter it names).
 */
export function readDataObjects(items: unknown, defs: readonly VariableDef[], what: 'input' | 'output'): { values: Record<string, unknown> } | { error: string; parameter: string } {
  if (items === undefined || items === null) return { values: {} };
  if (!Array.isArray(items)) return { error: `The parameter '${what}' is invalid: an array is expected.`, parameter: what };
  const values: Record<string, unknown> = {};
  for (const item of items) {
    if (typeof item !== 'object' || item === null || typeof (item as DataObject).name !== 'string' || (item as DataObject).name === '') {
      return { error: `The parameter '${what}' is invalid: every item needs a name.`, parameter: what };
    }
    const { name, data } = item as DataObject;
    const def = defs.find((d) => d.name === name);
    if (!def) return { error: `The ${what} variable '${name}' is not declared (declared: ${defs.map((d) => d.name).join(', ')}).`, parameter: name };
    const problem = typeError(def, data === undefined ? null : data);
    if (problem) return { error: `The ${what} variable '${name}' is invalid: ${problem}.`, parameter: name };
    values[name] = data === undefined ? null : data;
  }
  return { values };
}

/** The variables as `{name, data}` items, in declared order. */
export function dataObjects(defs: readonly VariableDef[], values: Readonly<Record<string, unknown>>): DataObject[] {
  return defs.map((def) => ({ name: def.name, data: values[def.name] ?? null }));
}

/** GET bpddata/{bpdId}: the BPD's variables as the simulator describes them (see the module comment). */
export function bpdData(bpd: BpdRecord, snapshot: SnapshotRecord): Record<string, unknown> {
  const keyed = (defs: readonly VariableDef[]) =>
    Object.fromEntries(defs.map((def) => [def.name, { type: def.type, isList: def.isList ?? false, ...(def.description ? { description: def.description } : {}) }]));
  return { bpdId: bpd.bpdId, name: bpd.name, snapshotId: snapshot.id, inputs: keyed(bpd.inputs), outputs: {}, privates: {}, activities: [] };
}
