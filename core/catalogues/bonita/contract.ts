import { BpmFailure, inputError } from '../../bpm-error';
import type { HttpResponse } from '../../http/http-types';

/** A Bonita contract (`…/contract` of a process or a user task), as the server describes it (vendor notes 1.7). */
export interface Contract {
	inputs: ContractInput[];
	constraints: ContractConstraint[];
}

export interface ContractInput {
	name: string;
	description?: string | null;
	/** Null, or absent, for a complex input: its fields are in `inputs`. */
	type?: ContractType | null;
	multiple?: boolean;
	inputs?: ContractInput[];
}

export type ContractType = 'TEXT' | 'BOOLEAN' | 'INTEGER' | 'LONG' | 'DECIMAL' | 'DATE' | 'LOCALDATE' | 'LOCALDATETIME' | 'OFFSETDATETIME' | 'FILE' | 'BYTE_ARRAY';

export interface ContractConstraint {
	name?: string;
	explanation?: string;
	inputNames?: string[];
	constraintType?: 'MANDATORY' | 'CUSTOM';
}

export function readContract(response: HttpResponse): Contract {
	const body = response.body.kind === 'json' ? (response.body.value as Partial<Contract> | null) : null;
	if (!body || !Array.isArray(body.inputs)) throw new BpmFailure({ kind: 'http', message: 'Bonita answered something other than a contract (no inputs list)' });
	return { inputs: body.inputs, constraints: Array.isArray(body.constraints) ? body.constraints : [] };
}

export function isComplex(input: ContractInput): boolean {
	return !input.type || (input.inputs?.length ?? 0) > 0 && input.type !== 'FILE';
}

/** Inputs a MANDATORY constraint names: the only required flag a contract carries. */
export function requiredInputs(contract: Contract): Set<string> {
	return new Set(contract.constraints.filter((c) => c.constraintType === 'MANDATORY').flatMap((c) => c.inputNames ?? []));
}

/** The explanations of the other constraints on an input, as help text. */
export function constraintHelp(contract: Contract, name: string): string[] {
	return contract.constraints.filter((c) => c.constraintType !== 'MANDATORY' && c.inputNames?.includes(name) && c.explanation).map((c) => c.explanation!);
}

export function unknownInput(field: string, name: string, contract: Contract): BpmFailure {
	return inputError(`${field}.${name}`, `The contract has no input "${name}"; its inputs are ${contract.inputs.map((i) => i.name).join(', ') || 'none'}`);
}
