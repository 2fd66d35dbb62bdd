import { inputError } from '../../bpm-error';
import type { FileResolver, FormReader } from '../../operations/catalogue';
import type { FormField } from '../../operations/form-field';
import type { OperationSteps } from '../../operations/operation';
import { constraintHelp, isComplex, readContract, requiredInputs, unknownInput, type Contract, type ContractInput } from './contract';
import { contractValue } from './contract-value';
import { path } from './bonita-request';

/** Reads the contract of a process (`process`) or a user task (`userTask`); a deployed contract never changes, so a session reads it once. */
export function contractForm(owner: 'process' | 'userTask'): FormReader {
	const read = (steps: OperationSteps, id: string) => steps.memo(`bonita:${owner}Contract:${id}`, async () => readContract(await steps.call({ method: 'GET', path: path`API/bpm/${owner}/${id}/contract` })));
	return {
		async fields(steps, id) {
			return contractFields(await read(steps, id));
		},
		async value(steps, id, given, files) {
			return contractValues(await read(steps, id), given, files, steps);
		},
	};
}

export function contractFields(contract: Contract): FormField[] {
	const required = requiredInputs(contract);
	return contract.inputs.map((input) => {
		const help = [input.description ?? '', ...constraintHelp(contract, input.name)].filter((text) => text !== '');
		return { id: input.name, displayName: input.name, type: fieldType(input), required: required.has(input.name), ...(help.length > 0 ? { description: help.join(' ') } : {}) };
	});
}

function fieldType(input: ContractInput): FormField['type'] {
	if (input.multiple) return 'list';
	if (isComplex(input)) return 'object';
	switch (input.type) {
		case 'BOOLEAN':
			return 'boolean';
		case 'INTEGER':
		case 'LONG':
		case 'DECIMAL':
			return 'number';
		case 'LOCALDATE':
			return 'date';
		case 'DATE':
		case 'LOCALDATETIME':
		case 'OFFSETDATETIME':
			return 'dateTime';
		case 'FILE':
			return 'file';
		default:
			return 'string';
	}
}

/** The contract map the server takes, from the user's values: every input present (null when empty), required ones checked, types converted, files uploaded. */
export async function contractValues(contract: Contract, given: Readonly<Record<string, unknown>>, files: FileResolver, steps: OperationSteps, field = 'contractInputs'): Promise<Record<string, unknown>> {
	const required = requiredInputs(contract);
	const known = new Set(contract.inputs.map((input) => input.name));
	for (const name of Object.keys(given)) if (!known.has(name)) throw unknownInput(field, name, contract);
	const out: Record<string, unknown> = {};
	for (const input of contract.inputs) {
		const value = given[input.name];
		if (value === undefined || value === null || value === '') {
			if (required.has(input.name)) throw inputError(`${field}.${input.name}`, `The contract input "${input.name}" is required`);
			// Bonita refuses a body that leaves a declared input out: an empty one is sent as null (vendor notes 6).
			out[input.name] = null;
			continue;
		}
		out[input.name] = await contractValue(input, value, `${field}.${input.name}`, files, steps);
	}
	return out;
}
