import type { FormReader } from '../../operations/catalogue';
import type { OperationSteps } from '../../operations/operation';
import { asRecord, get, jsonBody, optional, path, WLE, wleData } from './baw-request';
import { resolveProcess } from './startable-process';
import { bpdInputs, dataObjects, taskOutputs, variableFields, type VariableDef } from './variables';

/** The input variables of a startable process (its key), from bpddata of the snapshot the key resolves to now. */
export async function processInputs(steps: OperationSteps, key: string): Promise<VariableDef[]> {
	const process = await resolveProcess(steps, key, 'process');
	const version = process.snapshotId ?? process.branchId;
	return steps.memo(`baw:bpdInputs:${process.bpdId}:${version ?? ''}`, async () => {
		const request = get(WLE + path`/bpddata/${process.bpdId}`, process.snapshotId ? ['snapshotId', process.snapshotId] : optional('branchId', process.branchId));
		return bpdInputs(wleData(await steps.call(request)));
	});
}

/** A task's output variables, from the task read with its data: what its completion may set. */
export function outputsOfTask(steps: OperationSteps, taskId: string): Promise<VariableDef[]> {
	return steps.memo(`baw:taskOutputs:${taskId}`, async () => taskOutputs(asRecord(jsonBody(await steps.call(get(path`bpm/user-tasks/${taskId}`, ['optional_parts', 'data']))))));
}

/** Start: the form's id is the process key; its value is the `input` list /bpm/processes takes. */
export const processInputsForm: FormReader = {
	async fields(steps, key) {
		return variableFields(await processInputs(steps, key));
	},
	async value(steps, key, given) {
		return dataObjects(await processInputs(steps, key), given, 'inputs', `Process ${key}`);
	},
};

/** Complete: the form's id is the task id; its value is the `output` list the completion takes. */
export const taskOutputsForm: FormReader = {
	async fields(steps, taskId) {
		return variableFields(await outputsOfTask(steps, taskId));
	},
	async value(steps, taskId, given) {
		return dataObjects(await outputsOfTask(steps, taskId), given, 'outputs', `Task ${taskId}`);
	},
};
