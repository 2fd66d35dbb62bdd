import type { TriggerEvent } from '../../triggers/trigger-event';
import { get, optional } from './baw-request';
import { processParameter } from './process';
import { parseProcessKey } from './startable-process';
import { USER_TASK_FIELDS, USER_TASK_PAGING } from './task';

/**
 * BAW's events: the /bpm user tasks sort on `creation_time` (vendor notes 2.2: `sort=creation_time:desc`), so a new
 * ready task is the newest of that list. Claim mode claims it (409: someone else claimed it first).
 */
export const bawTriggers: TriggerEvent[] = [
	{
		object: 'task',
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
];
