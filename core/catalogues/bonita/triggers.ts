import type { TriggerEvent } from '../../triggers/trigger-event';
import { CASE_FIELDS } from './case';
import { filter, get, order, path } from './bonita-request';
import { processId } from './process';
import { TASK_FIELDS } from './task';

const process = { ...processId, required: false, description: 'Only events of this process (leave empty for every process)' };
const TASK_EVENT_FIELDS = [...TASK_FIELDS, 'reached_state_date', 'assigned_date'];

/** How long a claim waits before reading its assignment back: longer than one round trip of a replica that assigns after it. */
const CLAIM_SETTLE_MS = 250;

/**
 * Ready-task events are claimed with Assign (to me), which leaves a task someone else holds alone. Bonita's assignment
 * overwrites (vendor notes 1.4): two replicas that both saw the task free may both assign it, the later one winning;
 * so the claim reads the task back a moment later, and only the replica it is still assigned to handles it [I].
 */
const claimTask: TriggerEvent['claim'] = {
	resource: 'task',
	operation: 'assign',
	values: (id) => ({ taskId: id, assignee: 'me' }),
	takenByOther: (error) => error.field === 'takeOver' || error.status === 404,
	settleMs: CLAIM_SETTLE_MS,
	async confirm(id, steps, context) {
		const response = await steps.call(get(path`API/bpm/humanTask/${id}`), { allowNotFound: true });
		return response.status !== 404 && response.body.kind === 'json' && String((response.body.value as Record<string, unknown>).assigned_id) === context.currentUser;
	},
};

/**
 * Bonita's events (vendor notes 1.3, 1.4): its searches sort on a date attribute (`o=<attribute> DESC`) and filter by
 * equality only, so each event is its list newest first. A task's `reached_state_date` is when it became ready; its
 * `assigned_date`, when it was assigned; a case's `start`; an archived case's `end_date` [I: the attributes as the
 * items carry them, used as sort keys].
 */
export const bonitaTriggers: TriggerEvent[] = [
	{
		idField: 'id',
		stampField: 'reached_state_date',
		list: {
			resource: 'task',
			operation: 'newTask',
			name: 'New Task',
			action: 'Watch new tasks',
			description: 'A human task became ready for me (assigned to me, or unassigned and mine to take), optionally of one process',
			parameters: [process],
			needs: ['currentUser'],
			request: (values, context) => get('API/bpm/humanTask', order('reached_state_date DESC'), filter('user_id', context.currentUser!), values.processId ? filter('processId', String(values.processId)) : undefined),
			paging: { kind: 'bonita' },
			replay: 'read',
			output: { kind: 'list', simplify: TASK_EVENT_FIELDS },
		},
		claim: claimTask,
	},
	{
		idField: 'id',
		stampField: 'assigned_date',
		list: {
			resource: 'task',
			operation: 'taskAssignedToMe',
			name: 'Task Assigned to Me',
			action: 'Watch tasks assigned to me',
			description: 'A human task was assigned to me (again, if it was taken back and given anew)',
			parameters: [],
			needs: ['currentUser'],
			request: (_values, context) => get('API/bpm/humanTask', order('assigned_date DESC'), filter('assigned_id', context.currentUser!)),
			paging: { kind: 'bonita' },
			replay: 'read',
			output: { kind: 'list', simplify: TASK_EVENT_FIELDS },
		},
	},
	caseEvent({
		operation: 'caseStarted',
		name: 'Case Started',
		description: 'A case (process instance) started, optionally of one process. A case that ends between two polls is only seen by Case Completed',
		path: 'API/bpm/case',
		idField: 'id',
		stampField: 'start',
	}),
	caseEvent({
		operation: 'caseCompleted',
		name: 'Case Completed',
		description: 'A case ended (it moved to the archived cases), optionally of one process; the event names the case by its own id',
		path: 'API/bpm/archivedCase',
		idField: 'sourceObjectId',
		stampField: 'end_date',
	}),
];

/** A case event: the open or the archived cases of a process, newest first by the date that made the event. */
function caseEvent(event: { operation: string; name: string; description: string; path: string; idField: string; stampField: string }): TriggerEvent {
	const { operation, name, description, path: list, idField, stampField } = event;
	return {
		idField,
		stampField,
		list: {
			resource: 'case',
			operation,
			name,
			action: `Watch ${name.toLowerCase().replace('case ', '')} cases`,
			description,
			parameters: [process],
			request: (values) => get(list, order(`${stampField} DESC`), values.processId ? filter('processDefinitionId', String(values.processId)) : undefined),
			paging: { kind: 'bonita' },
			replay: 'read',
			output: { kind: 'list', simplify: CASE_FIELDS },
		},
	};
}
