import type { BpmError } from '../bpm-error';
import type { Operation, OperationSteps, RequestContext, Values } from '../operations/operation';

/**
 * One kind of event a trigger watches for, as data: the n8n trigger's Event option and the Node-RED watch node's.
 * None of the vendors can call out, so an event is an item that appeared in a list the trigger polls, newest first
 * by a server date: built on a list operation of the layer (its parameters, call, paging, session and output).
 */
export interface TriggerEvent {
	/**
	 * The list, sorted newest first by `stampField`. Its keys are the event's (what a saved workflow or flow stores: a
	 * resource and an event such as task / newTask), its name and description the event's, its parameters the filters.
	 */
	list: Operation;
	/** What the item ids are unique within when a parameter decides it (Simplicité's business object): part of the event id. */
	scope?(values: Values): string;
	/** The item's own id (an archived case names its case in `sourceObjectId`). */
	idField: string;
	/**
	 * The server date that made the item an event: its arrival, assignment, end. Items without one are not events yet.
	 * None: the list holds the items now in a state (tasks claimed by me) and no date says when they entered it; an
	 * event is then an item that was not in the list at the last poll (the cursor keeps the ids there, see Present).
	 */
	stampField?: string;
	/** Claim mode (task events): the catalogue operation that takes the task for the current user. */
	claim?: EventClaim;
}

export interface EventClaim {
	resource: string;
	operation: string;
	/** The claim operation's values for the event's item, by its id. */
	values(id: string): Values;
	/** Whether the claim's failure means someone else has the task (skip it), rather than a failure to report. */
	takenByOther(error: BpmError): boolean;
	/**
	 * Where a claim overwrites rather than refuses (Bonita's assignment), whether the task is still the current user's
	 * `settleMs` after the claims: a replica that assigned it afterwards has it, and this one skips it.
	 */
	confirm?(id: string, steps: OperationSteps, context: RequestContext): Promise<boolean>;
	settleMs?: number;
}
