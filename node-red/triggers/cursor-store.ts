import { parseCursor, type EventCursor } from '../../core';
import type { RuntimeNode } from '../node-red-api';

/** What a watch node keeps: the cursor, and what it was for (another event or filter starts anew). */
interface Kept {
	watch: string;
	cursor: EventCursor;
}

const KEY = 'bpmTriggerCursor';

/**
 * The cursors of the watch nodes that have no persistent store, by node id. Not their memory context: without
 * `contextStorage` in the settings Node-RED deletes a node's context whenever it stops it (a redeploy), which would
 * make the next poll a first one and miss what arrived since the last.
 */
const inProcess = new Map<string, Kept>();

export interface CursorStore {
	read(watch: string): Promise<EventCursor | undefined>;
	write(watch: string, cursor: EventCursor): Promise<void>;
	/** The node was deleted (or disabled): its cursor goes with it. */
	forget(): void;
}

/**
 * Where a watch node keeps its cursor: the first context store of the settings that is not in memory (a localfilesystem
 * store survives restarts), else this process's memory. Written before the messages it covers are sent.
 */
export function cursorStore(node: Pick<RuntimeNode, 'id' | 'context'>, contextStorage: Record<string, unknown> | undefined): CursorStore {
	const persistent = Object.entries(contextStorage ?? {}).find(([, entry]) => typeof entry === 'object' && entry !== null && (entry as { module?: unknown }).module !== 'memory')?.[0];
	if (!persistent) {
		return {
			read: async (watch) => {
				const kept = inProcess.get(node.id);
				return kept?.watch === watch ? kept.cursor : undefined;
			},
			write: async (watch, cursor) => void inProcess.set(node.id, { watch, cursor }),
			forget: () => void inProcess.delete(node.id),
		};
	}
	const context = node.context();
	return {
		read: (watch) =>
			new Promise<EventCursor | undefined>((resolve, reject) =>
				context.get(KEY, persistent, (error, value) => {
					if (error) return reject(error);
					const kept = value as Partial<Kept> | undefined;
					resolve(kept?.watch === watch ? parseCursor(kept.cursor) : undefined);
				}),
			),
		write: (watch, cursor) => new Promise<void>((resolve, reject) => context.set(KEY, { watch, cursor } satisfies Kept, persistent, (error) => (error ? reject(error) : resolve()))),
		// A persistent store keeps the node's context until Node-RED cleans it up with the node.
		forget: () => undefined,
	};
}
