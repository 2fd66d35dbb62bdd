import { claimEvents, pollEvents, type BpmError, type Catalogue, type EventItem, type TriggerEvent } from '../../core';
import type { AuthConfigNode } from '../auth-config-node';
import { callOptionsOf } from '../call-settings';
import type { NodeDef, NodeMessage, NodeRedApi, RuntimeNode } from '../node-red-api';
import { withDefaults, type Settings } from '../node-properties';
import { evaluateParameters } from '../operations/evaluate-parameters';
import { registerOperationEndpoints } from '../operations/operation-endpoints';
import type { TypedValue } from '../operations/typed-value';
import { cursorStore } from './cursor-store';
import { INTERVAL_BOUNDS, watchNodeProperties } from './watch-node-properties';

/** A poll may use most of its interval, and never more than n8n's default budget. */
const MAX_BUDGET_MS = 5 * 60 * 1000;
/** After a failed poll the next one waits longer each time, up to this. */
const MAX_BACKOFF_MS = 15 * 60 * 1000;
/** The first poll, once the flows have started. */
const FIRST_POLL_MS = 100;

/**
 * A vendor's watch node, in the inject style: it polls on its own timer (and on an input message when it has an input),
 * emits one message per new event (msg.payload the object, msg.eventId its id), keeps its cursor in the node's context
 * in the persistent store when there is one (else in the process: cursor-store.ts), written before the messages it
 * covers are sent. Close stops the timer and
 * aborts a poll in flight (its request's socket is closed): nothing of it is written or sent.
 */
export function registerWatchNode(RED: NodeRedApi, type: string, catalogue: Catalogue, configType: string): void {
	const properties = watchNodeProperties(catalogue, configType);
	registerOperationEndpoints(RED, type, catalogue, configType);
	RED.nodes.registerType(type, function (this: RuntimeNode, flowConfig: NodeDef) {
		RED.nodes.createNode(this, flowConfig);
		watchNode(RED, this, withDefaults(properties, flowConfig), catalogue, type);
	});
}

/** One watch node's life: its timer, its polls one at a time, its close. */
function watchNode(RED: NodeRedApi, node: RuntimeNode, config: Settings<ReturnType<typeof watchNodeProperties>>, catalogue: Catalogue, type: string): void {
	const server = config.server ? (RED.nodes.getNode(String(config.server)) as AuthConfigNode | null) : null;
	const event = catalogue.triggers?.find((entry) => entry.list.resource === config.resource && entry.list.operation === config.operation);
	const intervalMs = clamp(Number(config.interval) || 60, INTERVAL_BOUNDS.min, INTERVAL_BOUNDS.max) * 1000;
	const options = callOptionsOf(RED, config);
	const cursors = cursorStore(node, RED.settings.contextStorage);
	const problem = !server?.connection ? (server?.configError ?? `The ${catalogue.displayName} server configuration is missing`) : !event ? `${catalogue.displayName} has no event ${String(config.resource)} ${String(config.operation)}` : undefined;
	if (problem || !event || !server?.connection) {
		node.status({ fill: 'red', shape: 'ring', text: `${type}.status.config-error` });
		node.on('input', (_msg, _send, done) => done(new Error(problem)));
		return;
	}
	const connection = server.connection;
	const closing = new AbortController();
	let polling: Promise<void> | undefined;
	let again = false;
	let timer: NodeJS.Timeout | undefined;
	let failures = 0;

	const schedule = (delayMs: number) => {
		clearTimeout(timer);
		if (!closing.signal.aborted) timer = setTimeout(() => void poll(), delayMs);
	};

	/** One poll at a time: a tick or a message during a poll asks for one more right after it. */
	const poll = (): Promise<void> => {
		if (polling) {
			again = true;
			return polling;
		}
		clearTimeout(timer);
		polling = pollOnce(event)
			.then(
				() => {
					failures = 0;
					return intervalMs;
				},
				(error: BpmError) => {
					// A poll its close cut off is no failure to report.
					if (closing.signal.aborted) return intervalMs;
					failures++;
					// What failed first (the status code), since a long URL in the message would push it out of sight.
					node.status({ fill: 'red', shape: 'ring', text: `${clock()} ${error.status !== undefined ? `HTTP ${error.status}` : (error.code ?? error.kind)}: ${error.message}`.slice(0, 120) });
					node.error(`${event.list.name}: ${error.message}`, { error } as NodeMessage);
					return Math.min(intervalMs * 2 ** Math.min(failures - 1, 10), Math.max(intervalMs, MAX_BACKOFF_MS));
				},
			)
			.then((nextMs) => {
				polling = undefined;
				if (!again || closing.signal.aborted) return schedule(nextMs);
				again = false;
				return poll();
			});
		return polling;
	};

	const pollOnce = async (watched: TriggerEvent): Promise<void> => {
		const values = await evaluateParameters(RED, node, watched.list, (config.parameters ?? {}) as Record<string, TypedValue>, {}).catch((error: Error & { detail?: BpmError }) => {
			throw { kind: 'input', message: error.message, ...(error.detail ?? {}), attempts: 0, elapsedMs: 0 } satisfies BpmError;
		});
		const watch = JSON.stringify([watched.list.resource, watched.list.operation, values]);
		const cursor = await cursors.read(watch);
		const outcome = await pollEvents(connection, catalogue, watched, {
			values,
			cursor,
			includeExisting: config.includeExisting === true,
			budgetMs: Math.min(intervalMs, MAX_BUDGET_MS),
			simplify: config.simplify !== false,
			options,
			signal: closing.signal,
		});
		if (closing.signal.aborted) return;
		if (!outcome.ok) throw outcome.error;
		let events = outcome.value.events;
		const claimed = config.claim === true && watched.claim ? await claimEvents(connection, catalogue, watched, events, options) : undefined;
		if (closing.signal.aborted) return;
		if (claimed) events = claimed.claimed;
		await cursors.write(watch, outcome.value.cursor);
		for (const item of events) node.send(eventMessage(catalogue, watched, item));
		for (const { event: item, error } of claimed?.failed ?? []) node.error(`Claim of ${item.id} failed: ${error.message}`, { ...eventMessage(catalogue, watched, item), error });
		if (outcome.value.gaveUpGap) node.warn(`${watched.list.name}: the list ran ahead of the polls; events in the oldest gap may have been missed`);
		const skipped = claimed ? `, ${claimed.takenByOthers.length} taken by others` : '';
		node.status({ fill: 'green', shape: 'dot', text: `${clock()}: ${events.length} new${skipped}${outcome.value.complete ? '' : ' (more next time)'}` });
	};

	node.on('input', (_msg, _send, done) => {
		poll().then(() => done(), () => done());
	});
	node.on('close', (removed, done) => {
		closing.abort();
		clearTimeout(timer);
		if (removed) cursors.forget();
		done();
	});
	schedule(FIRST_POLL_MS);
}

/** One message per event: the object in msg.payload, its id in msg.eventId, `<vendor>/<event>` in msg.topic. */
function eventMessage(catalogue: Catalogue, event: TriggerEvent, item: EventItem): NodeMessage {
	return { topic: `${catalogue.vendor}/${event.list.operation}`, payload: item.object, eventId: item.eventId, eventStamp: item.stamp };
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, Math.round(value)));
}

function clock(): string {
	return new Date().toTimeString().slice(0, 8);
}
