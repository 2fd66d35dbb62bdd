import { BpmFailure } from '../../bpm-error';
import type { HttpResponse } from '../../http/http-types';
import type { Operation, OperationSteps, ReadBack, RequestContext, Values } from '../../operations/operation';
import type { NextUrlPaging } from '../../paging/paging-style';
import { asRecord, get, jsonBody, optional, path, text, WLE } from './baw-request';
import { instanceParameter, processParameter } from './process';
import { parseProcessKey } from './startable-process';
import { explainTaskFailure } from './task-failure';
import { WLE_TASK_PAGING, wleTaskSearch, type TaskCondition, type WleScope } from './task-search';
import { checkInstance, checkProcess } from './unknown-filter';
import { taskOutputsForm } from './variable-forms';

/** A /bpm task's fields. */
export const USER_TASK_FIELDS = ['tkiid', 'name', 'state', 'owner', 'piid', 'process_name', 'model', 'container', 'assigned_to', 'assigned_to_type', 'priority', 'due_time', 'creation_time', 'completion_time'] as const;
/** A WLE search row's fields: upper-case columns (vendor notes 2.3). */
export const SEARCH_ROW_FIELDS = ['TASK.TKIID', 'TKIID', 'PROCESS_INSTANCE.PIID', 'TAD_DISPLAY_NAME', 'TAS_SUBJECT', 'PI_NAME', 'PT_NAME', 'PROCESS_APP_ACRONYM', 'STATE', 'STATUS', 'OWNER', 'ASSIGNED_TO_ROLE_DISPLAY_NAME', 'PRIORITY', 'DUE', 'IS_AT_RISK', 'COMPLETED'] as const;

export const taskParameter = {
	name: 'taskId',
	displayName: 'Task',
	description: 'The task: pick it from your tasks and the ones available to you, or give its ID (the same in both API families)',
	type: 'reference',
	list: 'tasks',
	required: true,
} as const;

/** /bpm/user-tasks: items under `user_task_instances`, the next page at the `next` URL (vendor notes 2.2). */
export const USER_TASK_PAGING: NextUrlPaging = { kind: 'nextUrl', nextUrlPath: 'next', sizeParameter: 'size', itemsPath: 'user_task_instances' };

const STATES = {
	open: 'ready,claimed',
	ready: 'ready',
	claimed: 'claimed',
	completed: 'completed',
	any: undefined,
} as const;

export const taskOperations: Operation[] = [
	{
		resource: 'task',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many tasks',
		description:
			'List tasks, from the task search (WLE: the tasks claimed by me and/or available to me, due date first) or from the /bpm user tasks (by state: every task you may see), optionally of one process or one process instance',
		parameters: [
			{
				name: 'api',
				displayName: 'API',
				description: 'Which BAW API lists the tasks',
				type: 'options',
				default: 'wle',
				choices: [
					{ value: 'wle', name: 'Task Search (WLE)', description: 'PUT rest/bpm/wle/v1/tasks: scoped to the logged-in user, at most 500 counted' },
					{ value: 'bpm', name: 'User Tasks (/bpm)', description: 'GET bpm/user-tasks: by state, every task the user may see' },
				],
			},
			{
				name: 'scope',
				displayName: 'Tasks',
				description: 'Whose tasks to list',
				type: 'options',
				default: 'both',
				showWhen: { api: ['wle'] },
				choices: [
					{ value: 'both', name: 'Claimed by Me and Available to Me' },
					{ value: 'mine', name: 'Claimed by Me' },
					{ value: 'available', name: 'Available to Me', description: 'Not claimed yet, offered to a team I belong to' },
				],
			},
			{
				name: 'states',
				displayName: 'State',
				description: 'Which tasks to list by their state',
				type: 'options',
				default: 'open',
				showWhen: { api: ['bpm'] },
				choices: [
					{ value: 'open', name: 'Open (Ready or Claimed)' },
					{ value: 'ready', name: 'Ready' },
					{ value: 'claimed', name: 'Claimed' },
					{ value: 'completed', name: 'Completed' },
					{ value: 'any', name: 'Any' },
				],
			},
			{ ...processParameter, required: false, optional: true, description: 'Only tasks of this process (<process app acronym>:<process name>)' },
			{ ...instanceParameter, required: false, optional: true, description: 'Only tasks of this process instance' },
		],
		request: (values, context) => (values.api === 'bpm' ? userTaskList(values) : wleTaskSearch(values.scope as WleScope, wleConditions(values), context.pageSize ?? 25)),
		paging: (values) => (values.api === 'bpm' ? USER_TASK_PAGING : WLE_TASK_PAGING),
		async explainEmpty(values, steps) {
			if (values.process) await checkProcess(steps, String(values.process), 'process');
			if (values.instanceId) await checkInstance(steps, String(values.instanceId), 'instanceId');
		},
		replay: 'read',
		output: { kind: 'list', simplify: [...USER_TASK_FIELDS, ...SEARCH_ROW_FIELDS] },
	},
	{
		resource: 'task',
		operation: 'get',
		name: 'Get',
		action: 'Get a task',
		description: 'Get a task by its ID with its data (input and output variables) and the actions you may take on it',
		parameters: [taskParameter],
		request: (values) => get(path`bpm/user-tasks/${values.taskId}`, ['optional_parts', 'data,actions']),
		explainFailure: explainTaskFailure('read'),
		replay: 'read',
		output: { kind: 'object', simplify: [...USER_TASK_FIELDS, 'data', 'actions'] },
	},
	{
		resource: 'task',
		operation: 'claim',
		name: 'Claim',
		action: 'Claim a task',
		description: 'Claim a task for the logged-in user. If someone else claimed or completed it first, the error says so; claiming a task you already hold is harmless',
		parameters: [taskParameter],
		request: (values) => ({ method: 'POST', path: path`bpm/user-tasks/${values.taskId}/claim` }),
		explainFailure: explainTaskFailure('claim'),
		replay: 'idempotent',
		output: { kind: 'object', simplify: USER_TASK_FIELDS },
	},
	{
		resource: 'task',
		operation: 'release',
		name: 'Release',
		action: 'Release a task',
		description: 'Give a claimed task back to its team, unclaimed, for anyone of the team to claim',
		parameters: [taskParameter],
		request: (values) => ({ method: 'PUT', path: WLE + path`/task/${values.taskId}`, query: [['action', 'assign'], ['back', 'true'], ['parts', 'none']] }),
		explainFailure: explainTaskFailure('release'),
		replay: 'idempotent',
		output: { kind: 'result', result: (values) => ({ taskId: values.taskId, released: true }) },
	},
	{
		resource: 'task',
		operation: 'complete',
		name: 'Complete',
		action: 'Complete a task',
		description:
			'Complete a task with its output variables. If the answer is lost, the task is read: completed by me means done, still open means it is sent once more. Someone else claiming or completing it first gives an error saying so',
		parameters: [taskParameter, { name: 'outputs', displayName: 'Output Variables', description: 'The output variables of the task', type: 'form', form: { dependsOn: 'taskId', kind: 'taskOutputs' } }],
		needs: ['currentUser'],
		async prepare(values, steps) {
			return { ...values, output: await taskOutputsForm.value(steps, String(values.taskId), (values.outputs ?? {}) as Record<string, unknown>, steps.files) };
		},
		request: (values) => ({ method: 'POST', path: path`bpm/user-tasks/${values.taskId}/complete`, json: { output: values.output } }),
		replay: 'nonIdempotent',
		readBack: completedByMe,
		explainFailure: explainTaskFailure('complete'),
		output: { kind: 'result', result: completed },
	},
];

function userTaskList(values: Values) {
	const process = values.process ? parseProcessKey(String(values.process), 'process') : undefined;
	return get(
		'bpm/user-tasks',
		optional('states', STATES[values.states as keyof typeof STATES]),
		optional('model', process?.name),
		optional('container', process?.acronym),
		optional('process_id', values.instanceId),
	);
}

/** [I] The search's condition fields for a process and an instance: PPB verified only `taskActivityType`. */
export function wleConditions(values: Values): TaskCondition[] {
	const process = values.process ? parseProcessKey(String(values.process), 'process') : undefined;
	const equals = (field: string, value: string): TaskCondition => ({ field, operator: 'Equals', value });
	return [
		...(process ? [equals('processAppAcronym', process.acronym), equals('bpdName', process.name)] : []),
		...(values.instanceId ? [equals('instanceId', String(values.instanceId))] : []),
	];
}

function completed(values: Values, response: HttpResponse): unknown {
	return { taskId: values.taskId, completed: true, state: text(asRecord(jsonBody(response)).state) || 'completed' };
}

/**
 * After a lost answer: completed and owned by me means the first attempt took effect; still ready or claimed means it
 * did not (sent once more). Completed by someone else is said as such, not sent again.
 */
async function completedByMe(values: Values, steps: OperationSteps, context: RequestContext): Promise<ReadBack> {
	const id = String(values.taskId);
	const task = asRecord(jsonBody(await steps.call(get(path`bpm/user-tasks/${id}`))));
	const state = text(task.state);
	if (state === 'ready' || state === 'claimed') return { tookEffect: false };
	const owner = text(task.owner);
	if (state === 'completed' && owner === context.currentUser) return { tookEffect: true, value: { taskId: id, completed: true, state, confirmedByReadBack: true } };
	const by = owner ? ` by ${owner}` : '';
	throw new BpmFailure({ kind: 'http', field: 'taskId', message: `Task ${id} is ${state || 'gone'}${by}: the completion sent had no answer, and the task shows it was not this one` });
}
