import { BpmFailure } from '../../bpm-error';
import type { HttpResponse } from '../../http/http-types';
import type { Operation, OperationSteps, Values } from '../../operations/operation';
import { filter, firstItem, get, order, path } from './bonita-request';
import { contractForm } from './contract-form';
import { processId } from './process';

export const CASE_FIELDS = ['id', 'sourceObjectId', 'name', 'state', 'processDefinitionId', 'rootCaseId', 'started_by', 'start', 'end_date', 'last_update_date', 'archived'] as const;

export const caseId = {
	name: 'caseId',
	displayName: 'Case',
	description: 'The case (process instance): pick it from the list of open cases, or give its ID',
	type: 'reference',
	list: 'cases',
	required: true,
} as const;

const VARIABLE_TYPES = ['String', 'Integer', 'Long', 'Double', 'Boolean', 'Date'] as const;

export const caseOperations: Operation[] = [
	{
		resource: 'case',
		operation: 'start',
		name: 'Start',
		action: 'Start a case',
		description: 'Start a case of a process with its contract inputs; outputs the new case ID. Never sent twice: if the answer is lost, the error says how to check for the case',
		parameters: [
			processId,
			{ name: 'contractInputs', displayName: 'Contract Inputs', description: 'The inputs of the process contract', type: 'form', form: { dependsOn: 'processId', kind: 'processContract' } },
			{ name: 'startFor', displayName: 'Start For User ID', description: 'Start the case on behalf of this user (needs the right to do so); empty: the logged-in user', type: 'reference', list: 'users', optional: true },
		],
		async prepare(values, steps) {
			return { ...values, contractInputs: await contractForm('process').value(steps, String(values.processId), (values.contractInputs ?? {}) as Record<string, unknown>, steps.files) };
		},
		request: (values) => ({
			method: 'POST',
			path: path`API/bpm/process/${values.processId}/instantiation`,
			query: values.startFor ? [['user', String(values.startFor)]] : [],
			json: values.contractInputs ?? {},
		}),
		replay: 'nonIdempotent',
		ambiguousHint: (values) =>
			`A case may have been started: look for it (Case → Get Many, process ${String(values.processId)}, started by me) before starting again`,
		output: { kind: 'result', result: startedCase },
	},
	{
		resource: 'case',
		operation: 'get',
		name: 'Get',
		action: 'Get a case',
		description: 'Get a case by its ID; once the case has finished, its archived record (archived: true)',
		parameters: [caseId],
		request: (values) => get(path`API/bpm/case/${values.caseId}`),
		onNotFound: (values, steps) => archivedCase(steps, String(values.caseId)),
		replay: 'read',
		output: { kind: 'object', simplify: CASE_FIELDS },
	},
	{
		resource: 'case',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many cases',
		description: 'List open cases, or archived (finished) ones, newest first, optionally of one process or started by the logged-in user',
		parameters: [
			{ name: 'archived', displayName: 'Archived', description: 'Whether to list finished (archived) cases instead of open ones', type: 'boolean', default: false },
			{ ...processId, required: false, optional: true, description: 'Only cases of this process' },
			{ name: 'startedByMe', displayName: 'Started by Me', description: 'Whether to list only the cases the logged-in user started', type: 'boolean', default: false, optional: true },
		],
		needs: ['currentUser'],
		request: (values, context) =>
			get(
				values.archived ? 'API/bpm/archivedCase' : 'API/bpm/case',
				order('id DESC'),
				values.processId ? filter('processDefinitionId', String(values.processId)) : undefined,
				values.startedByMe ? filter('started_by', context.currentUser!) : undefined,
			),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list', simplify: CASE_FIELDS },
	},
	{
		resource: 'case',
		operation: 'getVariables',
		name: 'Get Variables',
		action: 'Get the variables of a case',
		description: 'List the process variables of an open case: name, type and value (as text)',
		parameters: [caseId],
		request: (values) => get('API/bpm/caseVariable', filter('case_id', String(values.caseId))),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list' },
	},
	{
		resource: 'case',
		operation: 'updateVariable',
		name: 'Update Variable',
		action: 'Update a case variable',
		description: 'Set one process variable of an open case (String, Integer, Long, Double, Boolean or Date); safe to repeat',
		parameters: [
			caseId,
			{ name: 'variableName', displayName: 'Variable Name', description: 'The process variable to set', type: 'string', required: true },
			{ name: 'variableType', displayName: 'Type', description: 'The variable type in the process definition', type: 'options', default: 'String', choices: VARIABLE_TYPES.map((type) => ({ value: type, name: type })) },
			{ name: 'value', displayName: 'Value', description: 'The new value; a Date as ISO 8601', type: 'string', required: true },
		],
		request: (values) => ({
			method: 'PUT',
			path: path`API/bpm/caseVariable/${values.caseId}/${values.variableName}`,
			json: { type: javaType(String(values.variableType)), value: String(values.value) },
		}),
		replay: 'idempotent',
		output: { kind: 'result', result: (values) => ({ caseId: values.caseId, name: values.variableName, type: values.variableType, value: values.value, updated: true }) },
	},
];

function javaType(type: string): string {
	return type === 'Date' ? 'java.util.Date' : `java.lang.${type}`;
}

/** 200 with a number (the code) or 201 with a string (the published API): the id as text either way. */
function startedCase(values: Values, response: HttpResponse): unknown {
	const body = response.body.kind === 'json' ? (response.body.value as { caseId?: unknown } | null) : null;
	const id = body?.caseId;
	if (typeof id !== 'number' && typeof id !== 'string') throw new BpmFailure({ kind: 'http', status: response.status, message: 'Bonita started the case but did not say its ID (no caseId in the answer)' });
	return { caseId: String(id), processId: values.processId };
}

/** A finished case lives on as an archived case with its own id; `sourceObjectId` is the case id. */
async function archivedCase(steps: OperationSteps, id: string): Promise<unknown> {
	const response = await steps.call(get('API/bpm/archivedCase', ['p', '0'], ['c', '1'], filter('sourceObjectId', id)));
	const found = firstItem(response.body.kind === 'json' ? response.body.value : undefined);
	if (!found) throw new BpmFailure({ kind: 'http', status: 404, statusText: 'Not Found', message: `Case ${id} is neither open nor archived` });
	return { ...found, archived: true };
}
