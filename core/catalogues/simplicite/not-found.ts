import { BpmFailure } from '../../bpm-error';
import type { OperationSteps, Values } from '../../operations/operation';
import { objectFields } from './object-fields';
import { get, objectPath } from './simplicite-request';

/**
 * What a 404 on a record was about. Simplicité answers 404 for an unknown object too: the object is looked up
 * first (an unknown one fails there with its own 404, which explainFailure words), then the record is the one
 * missing.
 */
export async function missingRecord(values: Values, steps: OperationSteps): Promise<never> {
	await objectFields(steps, String(values.object));
	throw recordNotFound(values);
}

/** A 404 on a custom action or publication: the object, then the record (when one was named), else the action or publication itself. */
export function missingCustom(kind: 'action' | 'publication') {
	return async (values: Values, steps: OperationSteps): Promise<never> => {
		await objectFields(steps, String(values.object));
		if (values.rowId !== undefined) {
			const record = await steps.call(get(objectPath(values.object, values.rowId)), { allowNotFound: true });
			if (record.status === 404) throw recordNotFound(values);
		}
		throw new BpmFailure({ kind: 'http', status: 404, statusText: 'Not Found', field: kind, message: `The business object ${String(values.object)} has no ${kind} "${String(values[kind])}"` });
	};
}

function recordNotFound(values: Values): BpmFailure {
	return new BpmFailure({ kind: 'http', status: 404, statusText: 'Not Found', field: 'rowId', message: `${String(values.object)} has no record with row ID ${String(values.rowId)}` });
}
