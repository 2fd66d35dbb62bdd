import { findOperation, runOperation, type Catalogue, type Connection, type Operation, type OperationInput } from '../../core';

export type CallInput = Partial<OperationInput> & { values: OperationInput['values'] };

/** One catalogue's operations called by resource and name, on the connection the test holds at the time (or another). */
export function operationCalls(catalogue: Catalogue, current: () => Connection) {
	const operation = (resource: string, name: string): Operation => {
		const found = findOperation(catalogue, resource, name);
		if (!found) throw new Error(`${catalogue.displayName} has no ${resource}.${name}`);
		return found;
	};
	const run = (resource: string, name: string, input: CallInput, on: Connection = current()) => runOperation(on, catalogue, operation(resource, name), input);
	/** The result, or a thrown error with the operation's message. */
	const value = async (resource: string, name: string, input: CallInput, on: Connection = current()) => {
		const outcome = await run(resource, name, input, on);
		if (!outcome.ok) throw new Error(`${resource}.${name}: ${outcome.error.message}`);
		return outcome.value;
	};
	/** The items' JSON. */
	const json = async (resource: string, name: string, values: CallInput['values'], extra: Partial<OperationInput> = {}, on: Connection = current()) =>
		(await value(resource, name, { values, ...extra }, on)).items.map((item) => item.json);
	/** The error value of a call expected to fail. */
	const failure = async (resource: string, name: string, input: CallInput, on: Connection = current()) => {
		const outcome = await run(resource, name, input, on);
		if (outcome.ok) throw new Error(`${resource}.${name} succeeded: ${JSON.stringify(outcome.value.items)}`);
		return outcome.error;
	};
	return { operation, run, value, json, failure };
}
