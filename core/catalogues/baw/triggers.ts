import type { TriggerEvent } from '../../triggers/trigger-event';
import { get, optional } from './baw-request';
import { processParameter } from './process';
import { parseProcessKey } from './startable-process';
import { SEARCH_ROW_FIELDS, USER_TASK_FIELDS, USER_TASK_PAGING, wleConditions } from './task';
import { WLE_TASK_PAGING, wleTaskSearch } from './task-search';

/**
 * BAW's events: the /bpm user tasks sort on `creation_time` (vendor notes 2.2: `sort=creation_time:desc`), so a new
 * ready task is the newest of that list. Claim mode claims it (409: someone else claimed it first). No list carries the
 * date a task was claimed (the WLE search's columns: vendor notes 2.3), so Task Assigned to Me is an undated event: a
 * task claimed by me that was not at the last poll, dated by the server when a poll first sees it.
 */
export const bawTriggers: TriggerEvent[] = [
	{
		idField: 'tkiid',
		stampField: 'creation_time',
		list: {
			resource: 'task',
			operation: 'newTask',
			name: 'New Task',
			action: 'Watch new tasks',
			description: 'A user task became ready (not claimed yet), optionally of one process; the /bpm list shows every task the user may see',
			parameters: [{ ...processParameter, required: false, description: 'Only tasks of this process (<process app acronym>:<process name>)' }],
			request: (values) => {
				const process = values.process ? parseProcessKey(String(values.process), 'process') : undefined;
				return get('bpm/user-tasks', ['states', 'ready'], ['sort', 'creation_time:desc'], optional('model', process?.name), optional('container', process?.acronym));
			},
			paging: USER_TASK_PAGING,
			replay: 'read',
			output: { kind: 'list', simplify: USER_TASK_FIELDS },
		},
		claim: {
			resource: 'task',
			operation: 'claim',
			values: (id) => ({ taskId: id }),
			takenByOther: (error) => error.status === 409,
		},
	},
	{
		idField: 'TASK.TKIID',
		list: {
			resource: 'task',
			operation: 'taskAssignedToMe',
			name: 'Task Assigned to Me',
			action: 'Watch tasks assigned to me',
			description: 'A task was claimed by me or assigned to me (again, if it was released and came back), optionally of one process; from the WLE task search',
			parameters: [{ ...processParameter, required: false, description: 'Only tasks of this process (<process app acronym>:<process name>)' }],
			request: (values, context) => wleTaskSearch('mine', wleConditions(values), context.pageSize ?? 50),
			paging: WLE_TASK_PAGING,
			replay: 'read',
			output: { kind: 'list', simplify: SEARCH_ROW_FIELDS },
		},
	},
];
