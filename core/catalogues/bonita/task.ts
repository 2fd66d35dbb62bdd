import { BpmFailure, inputError } from '../../bpm-error';
import type { Operation, OperationSteps, ReadBack, RequestContext, Values } from '../../operations/operation';
import { filter, firstItem, get, order, path } from './bonita-request';
import { contractForm } from './contract-form';
import { caseId } from './case';
import { processId } from './process';

export const TASK_FIELDS = ['id', 'sourceObjectId', 'name', 'displayName', 'state', 'caseId', 'rootCaseId', 'processId', 'assigned_id', 'priority', 'dueDate', 'description', 'last_update_date', 'archived'] as const;

export const taskId = {
	name: 'taskId',
	displayName: 'Task',
	description: 'The human task: pick it from the tasks available to you, or give its ID',
	type: 'reference',
	list: 'tasks',
	required: true,
} as const;

const SCOPES = [
	{ value: 'availableToMe', name: 'Available to Me', description: 'Tasks assigned to me and unassigned tasks I may take' },
	{ value: 'assignedToMe', name: 'Assigned to Me', description: 'Tasks assigned to me' },
	{ value: 'unassigned', name: 'Unassigned (Pool)', description: 'Unassigned tasks I may take' },
	{ value: 'allReady', name: 'All Ready Tasks', description: 'Every ready task, whoever may do it (needs an administrator profile)' },
] as const;

export const taskOperations: Operation[] = [
	{
		resource: 'task',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many tasks',
		description: 'List human tasks that are ready: available to me, assigned to me, or the unassigned pool, optionally of one case or one process, highest priority first',
		parameters: [
			{ name: 'scope', displayName: 'Tasks', description: 'Whose tasks to list', type: 'options', default: 'availableToMe', choices: SCOPES },
			{ ...caseId, required: false, optional: true, description: 'Only tasks of this case' },
			{ ...processId, required: false, optional: true, description: 'Only tasks of this process' },
		],
		needs: ['currentUser'],
		request: (values, context) => get('API/bpm/humanTask', order('priority DESC'), ...scopeFilters(values, context)),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list', simplify: TASK_FIELDS },
	},
	{
		resource: 'task',
		operation: 'get',
		name: 'Get',
		action: 'Get a task',
		description: 'Get a human task by its ID; once executed, its archived record (archived: true)',
		parameters: [taskId],
		request: (values) => get(path`API/bpm/humanTask/${values.taskId}`),
		onNotFound: async (values, steps) => {
			const archived = await archivedTask(steps, String(values.taskId));
			if (!archived) throw new BpmFailure({ kind: 'http', status: 404, statusText: 'Not Found', message: `Task ${String(values.taskId)} is neither ready nor archived` });
			return archived;
		},
		replay: 'read',
		output: { kind: 'object', simplify: TASK_FIELDS },
	},
	{
		resource: 'task',
		operation: 'assign',
		name: 'Assign',
		action: 'Assign a task',
		description: 'Assign a task to me or to a user. A task someone else holds is left alone (an error says who holds it) unless Take Over is on',
		parameters: [
			taskId,
			{
				name: 'assignee',
				displayName: 'Assign To',
				description: 'Who takes the task',
				type: 'options',
				default: 'me',
				choices: [
					{ value: 'me', name: 'Me', description: 'The logged-in user' },
					{ value: 'user', name: 'A User', description: 'A user picked from the list' },
				],
			},
			{ name: 'userId', displayName: 'User', description: 'The user who takes the task', type: 'reference', list: 'users', required: true, showWhen: { assignee: ['user'] } },
			{ name: 'takeOver', displayName: 'Take Over', description: 'Whether to reassign a task that another user already holds', type: 'boolean', default: false, optional: true },
		],
		needs: ['currentUser'],
		async prepare(values, steps, context) {
			const assignee = values.assignee === 'user' ? String(values.userId) : context.currentUser!;
			const task = await liveTask(steps, String(values.taskId));
			if (!task) throw new BpmFailure({ kind: 'http', status: 404, statusText: 'Not Found', message: `Task ${String(values.taskId)} is not ready any more (executed, or unknown)` });
			const holder = String(task.assigned_id ?? '');
			if (holder !== '' && holder !== '0' && holder !== assignee && !values.takeOver) {
				throw inputError('takeOver', `Task ${String(values.taskId)} is assigned to user ${holder}; turn on Take Over to reassign it`);
			}
			return { ...values, assignTo: assignee };
		},
		request: (values) => ({ method: 'PUT', path: path`API/bpm/humanTask/${values.taskId}`, json: { assigned_id: values.assignTo } }),
		replay: 'idempotent',
		output: { kind: 'result', result: (values) => ({ taskId: values.taskId, assigned_id: values.assignTo, assigned: true }) },
	},
	{
		resource: 'task',
		operation: 'unassign',
		name: 'Unassign',
		action: 'Unassign a task',
		description: 'Put a task back in the pool of the users who may do it',
		parameters: [taskId],
		request: (values) => ({ method: 'PUT', path: path`API/bpm/humanTask/${values.taskId}`, json: { assigned_id: '' } }),
		replay: 'idempotent',
		output: { kind: 'result', result: (values) => ({ taskId: values.taskId, assigned_id: '', unassigned: true }) },
	},
	{
		resource: 'task',
		operation: 'execute',
		name: 'Execute',
		action: 'Execute a task',
		description:
			'Complete a human task with its contract inputs. If the answer is lost, the task is looked up: executed means done, still ready means it is sent once more. Execution is asynchronous: the next task may appear a moment later',
		parameters: [
			taskId,
			{ name: 'contractInputs', displayName: 'Contract Inputs', description: 'The inputs of the task contract', type: 'form', form: { dependsOn: 'taskId', kind: 'taskContract' } },
			{ name: 'assign', displayName: 'Assign on Execute', description: 'Whether to assign the task to the executing user first (an unassigned task cannot be executed otherwise)', type: 'boolean', default: true, optional: true },
		],
		async prepare(values, steps) {
			return { ...values, contractInputs: await contractForm('userTask').value(steps, String(values.taskId), (values.contractInputs ?? {}) as Record<string, unknown>, steps.files) };
		},
		request: (values) => ({
			method: 'POST',
			path: path`API/bpm/userTask/${values.taskId}/execution`,
			query: values.assign === false ? [] : [['assign', 'true']],
			json: values.contractInputs ?? {},
		}),
		replay: 'nonIdempotent',
		readBack: executedTask,
		output: { kind: 'result', result: (values) => ({ taskId: values.taskId, executed: true }) },
	},
	{
		resource: 'task',
		operation: 'getContract',
		name: 'Get Contract',
		action: 'Get the contract of a task',
		description: 'Get the inputs this task must be executed with: their names, types and constraints',
		parameters: [taskId],
		request: (values) => get(path`API/bpm/userTask/${values.taskId}/contract`),
		replay: 'read',
		output: { kind: 'object' },
	},
];

/** The notes' table (vendor notes 1.4): the filters behind each choice. The process filter key is `processId`. */
function scopeFilters(values: Values, context: RequestContext): Array<readonly [string, string]> {
	const me = context.currentUser!;
	const scope: Array<readonly [string, string]> = {
		availableToMe: [filter('user_id', me)],
		assignedToMe: [filter('assigned_id', me)],
		unassigned: [filter('user_id', me), filter('assigned_id', '')],
		allReady: [filter('state', 'ready')],
	}[String(values.scope) as (typeof SCOPES)[number]['value']];
	return [...scope, ...(values.caseId ? [filter('caseId', String(values.caseId))] : []), ...(values.processId ? [filter('processId', String(values.processId))] : [])];
}

async function liveTask(steps: OperationSteps, id: string): Promise<Record<string, unknown> | undefined> {
	const response = await steps.call(get(path`API/bpm/humanTask/${id}`), { allowNotFound: true });
	return response.status === 404 || response.body.kind !== 'json' ? undefined : (response.body.value as Record<string, unknown>);
}

async function archivedTask(steps: OperationSteps, id: string): Promise<Record<string, unknown> | undefined> {
	const response = await steps.call(get('API/bpm/archivedHumanTask', ['p', '0'], ['c', '1'], filter('sourceObjectId', id)));
	const found = firstItem(response.body.kind === 'json' ? response.body.value : undefined);
	return found ? { ...found, archived: true } : undefined;
}

/** Executed (archived, or no longer ready) means the first attempt took effect; still ready means it did not. */
async function executedTask(values: Values, steps: OperationSteps): Promise<ReadBack> {
	const id = String(values.taskId);
	const live = await liveTask(steps, id);
	// The output says so: the first attempt's answer was lost, and the task shows it took effect.
	if (live) return live.state === 'ready' ? { tookEffect: false } : { tookEffect: true, value: { taskId: id, executed: true, confirmedByReadBack: true, state: live.state } };
	return (await archivedTask(steps, id)) ? { tookEffect: true, value: { taskId: id, executed: true, confirmedByReadBack: true } } : { tookEffect: false };
}
