import type { OperationRequest } from '../../operations/operation';
import type { OffsetPaging } from '../../paging/paging-style';
import { WLE } from './baw-request';

/** Whose tasks the WLE search returns (its `interaction`): the search is scoped to the logged-in user. */
export const WLE_SCOPES = {
	both: 'claimed_and_available',
	mine: 'claimed',
	available: 'available',
} as const;

export type WleScope = keyof typeof WLE_SCOPES;

export interface TaskCondition {
	field: string;
	operator: 'Equals';
	value: string;
}

/**
 * The WLE task search: a read sent as PUT (vendor notes 2.3). `offset` travels in the query, set by the paging; the
 * page size in the body (a SavedSearchDefinition, whose every other property is refused with 400 CWTBG0618E).
 * The body is the one PPB captured live: only human tasks, due date first, the fields it verified.
 */
export function wleTaskSearch(scope: WleScope, conditions: readonly TaskCondition[], size: number): OperationRequest {
	return {
		method: 'PUT',
		path: `${WLE}/tasks`,
		json: {
			organization: 'byTask',
			shared: false,
			teams: [],
			interaction: WLE_SCOPES[scope],
			conditions: [{ field: 'taskActivityType', operator: 'Equals', value: 'USER_TASK' }, ...conditions],
			fields: ['taskSubject', 'instanceName', 'taskStatus', 'taskPriority', 'taskDueDate', 'assignedToRoleDisplayName', 'taskClosedDate', 'taskIsAtRisk'],
			sort: [{ field: 'taskDueDate', order: 'ASC' }],
			aliases: [],
			size,
		},
	};
}

/**
 * Offset in the query, size in the body; `totalCount` is cut at `countLimit` (500), and then not trusted: pages are read
 * one after another until a short one.
 */
export const WLE_TASK_PAGING: OffsetPaging = {
	kind: 'offset',
	offsetParameter: 'offset',
	itemsPath: 'data.items',
	totalPath: 'data.totalCount',
	totalEstimatedPath: 'data.countLimitExceeded',
};

/** A task's id in either family's list: /bpm's `tkiid`, the WLE search's `TASK.TKIID` (older answers: `TKIID`). */
export function taskIdOf(item: Record<string, unknown>): string {
	const id = item.tkiid ?? item['TASK.TKIID'] ?? item.TKIID ?? item.id;
	return id === undefined || id === null ? '' : String(id);
}
