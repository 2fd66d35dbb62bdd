import { NodeApiError, type IDataObject, type INodeExecutionData, type IPollFunctions, type JsonObject } from 'n8n-workflow';
import { parseCursor, pollEvents, type Catalogue } from '../../../core';
import { locatorValue } from '../operations/execute-operations';
import { requestOptions, vendorConnection } from '../operations/vendor-connection';
import { triggersOf } from './trigger-properties';

/** What the trigger keeps in the workflow's static data: the cursor, and what it was for (another event or filter starts anew). */
interface TriggerState {
	watch?: string;
	cursor?: unknown;
}

/**
 * A vendor trigger's poll: core's pollEvents with the cursor kept in the node's static data. The cursor is written before
 * the events are returned, and n8n saves static data when a poll emits; the one change made without emitting is the
 * first poll's starting point (nothing to emit), which a restart before the first event simply takes again.
 */
export async function pollTrigger(context: IPollFunctions, catalogue: Catalogue): Promise<INodeExecutionData[][] | null> {
	const name = context.getNodeParameter('event') as string;
	const event = triggersOf(catalogue).find((entry) => entry.list.operation === name);
	if (!event) throw new NodeApiError(context.getNode(), { message: `${catalogue.displayName} has no event ${name}` } as JsonObject);
	const values = Object.fromEntries(event.list.parameters.map((parameter) => [parameter.name, locatorValue(context.getNodeParameter(parameter.name, ''))]));
	const read = (parameter: string, fallback: unknown) => context.getNodeParameter(parameter, fallback);
	const state = context.getWorkflowStaticData('node') as TriggerState;
	const watch = JSON.stringify([name, values]);
	const manual = context.getMode() === 'manual';
	const outcome = await pollEvents(await vendorConnection(context, catalogue), catalogue, event, {
		values,
		cursor: state.watch === watch ? parseCursor(state.cursor) : undefined,
		includeExisting: context.getNodeParameter('includeExisting', false) === true,
		mode: manual ? 'sample' : 'poll',
		// n8n 1.x has no budget: a poll then reads on to what it emitted last.
		budgetMs: typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : undefined,
		simplify: context.getNodeParameter('simplify', true) !== false,
		options: await requestOptions(context, read),
	});
	if (!outcome.ok) throw new NodeApiError(context.getNode(), outcome.error as unknown as JsonObject, { message: outcome.error.message, httpCode: outcome.error.status ? String(outcome.error.status) : undefined });
	if (!manual) {
		state.watch = watch;
		state.cursor = outcome.value.cursor;
	}
	const events = outcome.value.events;
	if (events.length === 0) return null;
	return [events.map((item) => ({ json: { eventId: item.eventId, ...item.object } as IDataObject }))];
}
