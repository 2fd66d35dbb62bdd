import type { BpmError } from '../bpm-error';
import { failureDetail, redactError } from '../calls/execute-request';
import { NO_FILES, operationSteps, StepFailure } from '../operations/operation-steps';
import type { CallOptions } from '../calls/call-options';
import { findOperation, type Catalogue } from '../operations/catalogue';
import { requestContext } from '../operations/request-context';
import { runOperation } from '../operations/run-operation';
import type { Connection } from '../sessions/connection';
import type { EventItem } from './poll-events';
import type { TriggerEvent } from './trigger-event';

export interface ClaimOutcome {
	/** Taken for the current user: this instance handles them. */
	claimed: EventItem[];
	/** Someone else (another replica, a person) had them first: skipped. */
	takenByOthers: EventItem[];
	/** The claim failed for another reason: handed on as errors, never dropped. */
	failed: Array<{ event: EventItem; error: BpmError }>;
}

/**
 * Claim mode, for replicas that all poll one queue: each new task is taken for the current user before it is emitted,
 * and a task someone else took first is skipped, so that one instance acts on it. One claim at a time, oldest first.
 */
export async function claimEvents(connection: Connection, catalogue: Catalogue, event: TriggerEvent, events: readonly EventItem[], options?: CallOptions): Promise<ClaimOutcome> {
	const claim = event.claim;
	if (!claim) throw new Error(`${event.list.name} has no claim`);
	const operation = findOperation(catalogue, claim.resource, claim.operation);
	if (!operation) throw new Error(`${catalogue.displayName} has no ${claim.resource} ${claim.operation} operation to claim with`);
	const outcome: ClaimOutcome = { claimed: [], takenByOthers: [], failed: [] };
	const taken: EventItem[] = [];
	for (const item of events) {
		const result = await runOperation(connection, catalogue, operation, { values: claim.values(item.id), options });
		if (result.ok) taken.push(item);
		else if (claim.takenByOther(result.error)) outcome.takenByOthers.push(item);
		else outcome.failed.push({ event: item, error: result.error });
	}
	if (!claim.confirm || taken.length === 0) {
		outcome.claimed.push(...taken);
		return outcome;
	}
	// One wait for all the claims of this poll, then each read back.
	await new Promise((resolve) => setTimeout(resolve, claim.settleMs ?? 0));
	const steps = operationSteps(connection, options ?? {}, {}, NO_FILES, () => undefined);
	for (const item of taken) {
		try {
			const mine = await claim.confirm(item.id, steps, await requestContext(connection, catalogue, ['currentUser'], steps));
			(mine ? outcome.claimed : outcome.takenByOthers).push(item);
		} catch (error) {
			outcome.failed.push({ event: item, error: redactError(stepError(error), connection.secrets()) });
		}
	}
	return outcome;
}

function stepError(error: unknown): BpmError {
	return error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts: 0, elapsedMs: 0 };
}
