/**
 * Bonita contracts: definitions, their REST JSON, and the engine's validation of the inputs a client sends
 * (structure, then types as ContractTypeConverter reads them; vendor-operations.md 1.7).
 */

export type ContractInputType =
  | 'TEXT'
  | 'BOOLEAN'
  | 'INTEGER'
  | 'DECIMAL'
  | 'LONG'
  | 'DATE'
  | 'LOCALDATE'
  | 'LOCALDATETIME'
  | 'OFFSETDATETIME'
  | 'FILE'
  | 'COMPLEX';

export interface ContractInput {
  description: string;
  name: string;
  multiple: boolean;
  type: ContractInputType;
  inputs: ContractInput[];
}

export interface ContractConstraint {
  name: string;
  expression: string;
  explanation: string;
  inputNames: string[];
  constraintType: 'MANDATORY' | 'CUSTOM';
}

export interface Contract {
  constraints: ContractConstraint[];
  inputs: ContractInput[];
}

export const EMPTY_CONTRACT: Contract = { constraints: [], inputs: [] };

export function input(name: string, type: ContractInputType, description = ''): ContractInput {
  return { description, name, multiple: false, type, inputs: [] };
}

export function multiple(def: ContractInput): ContractInput {
  return { ...def, multiple: true };
}

export function complex(name: string, inputs: ContractInput[], description = ''): ContractInput {
  return { description, name, multiple: false, type: 'COMPLEX', inputs };
}

function mandatory(name: string): ContractConstraint {
  return {
    name,
    expression: `${name} != null`,
    explanation: `input ${name} is mandatory`,
    inputNames: [name],
    constraintType: 'MANDATORY',
  };
}

/** A contract whose inputs are all mandatory. */
export function contractOf(...inputs: ContractInput[]): Contract {
  return contractWith(inputs, inputs.map((i) => i.name));
}

/** A contract with MANDATORY constraints on the named inputs only. */
export function contractWith(inputs: ContractInput[], mandatoryNames: string[]): Contract {
  return { inputs, constraints: mandatoryNames.map(mandatory) };
}

/** FILE inputs as the REST layer shows them: the engine's BYTE_ARRAY child replaced by tempPath. */
const FILE_CHILDREN: ContractInput[] = [input('filename', 'TEXT'), input('tempPath', 'TEXT'), input('contentType', 'TEXT'), input('id', 'TEXT')];

function inputJson(def: ContractInput): unknown {
  return {
    description: def.description,
    name: def.name,
    multiple: def.multiple,
    type: def.type === 'COMPLEX' ? null : def.type,
    inputs: (def.type === 'FILE' ? FILE_CHILDREN : def.inputs).map(inputJson),
  };
}

/** GET …/contract body: complex inputs have `type: null`, as Bonita sends them. */
export function contractJson(c: Contract): unknown {
  return { constraints: c.constraints, inputs: c.inputs.map(inputJson) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** tempPath of every FILE value in the inputs (the REST layer reads these files before calling the engine). */
export function fileTempPaths(defs: ContractInput[], inputs: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const def of defs) {
    const values = def.multiple && Array.isArray(inputs[def.name]) ? (inputs[def.name] as unknown[]) : [inputs[def.name]];
    for (const v of values) {
      if (!isObject(v)) continue;
      if (def.type === 'FILE' && typeof v.tempPath === 'string') out.push(v.tempPath);
      if (def.type === 'COMPLEX') out.push(...fileTempPaths(def.inputs, v));
    }
  }
  return out;
}

/** Validate contract inputs as the engine does; returns the explanations (empty = valid). */
export function validateContract(contract: Contract, inputs: Record<string, unknown>): string[] {
  const required = new Set(contract.constraints.filter((c) => c.constraintType === 'MANDATORY').flatMap((c) => c.inputNames));
  return validateInputs(contract.inputs, inputs, required);
}

/** Every declared key must be present (vendor-operations.md 6); null is refused only for a MANDATORY input. */
function validateInputs(defs: ContractInput[], inputs: Record<string, unknown>, required: Set<string>): string[] {
  const explanations: string[] = [];
  for (const def of defs) {
    const value = inputs[def.name];
    if (value === undefined || (value === null && required.has(def.name))) {
      explanations.push(`Expected input [${def.name}] is missing`);
      continue;
    }
    if (value === null) continue;
    const values = def.multiple ? (Array.isArray(value) ? value : undefined) : [value];
    if (values === undefined) {
      explanations.push(`${JSON.stringify(value)} cannot be assigned to a multiple ${def.type}`);
      continue;
    }
    for (const v of values) {
      // Constraints name top-level inputs only: a complex input's fields follow the presence rule, null allowed.
      if (def.type === 'COMPLEX' && isObject(v)) explanations.push(...validateInputs(def.inputs, v, new Set()));
      else if (!typeMatches(def.type, v)) explanations.push(`${JSON.stringify(v)} cannot be assigned to ${def.type}`);
    }
  }
  return explanations;
}

const INTEGER = /^-?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}(\.\d{3})?Z|T\d{2}:\d{2}:\d{2})?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?/;
const OFFSET_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})(\[[^\]]+\])?$/;

function integerIn(value: unknown, min: bigint, max: bigint): boolean {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!INTEGER.test(text)) return false;
  const n = BigInt(text);
  return n >= min && n <= max;
}

/** A real calendar day (2024-02-30 is refused, as java.time does). */
function validDay(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function typeMatches(type: ContractInputType, value: unknown): boolean {
  switch (type) {
    case 'TEXT':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'INTEGER':
      return integerIn(value, -(2n ** 31n), 2n ** 31n - 1n);
    case 'LONG':
      return integerIn(value, -(2n ** 63n), 2n ** 63n - 1n);
    case 'DECIMAL':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
    case 'DATE':
      return typeof value === 'string' && DATE.test(value) && validDay(value);
    case 'LOCALDATE':
      return typeof value === 'string' && LOCAL_DATE.test(value) && validDay(value);
    case 'LOCALDATETIME':
      return typeof value === 'string' && LOCAL_DATE_TIME.test(value) && validDay(value);
    case 'OFFSETDATETIME':
      return typeof value === 'string' && OFFSET_DATE_TIME.test(value) && validDay(value);
    case 'FILE':
      return isObject(value) && (typeof value.tempPath === 'string' || typeof value.id === 'string' || typeof value.id === 'number');
    case 'COMPLEX':
      return isObject(value);
  }
}
