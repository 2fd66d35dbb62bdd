import { parseCursor, type EventCursor } from '../../core';
import type { NodeContext } from '../node-red-api';

/** What a watch node keeps: the cursor, and what it was for (another event or filter starts anew). */
interface Kept {
	watch: string;
	cursor: EventCursor;
}

const KEY = 'bpmTriggerCursor';

/**
 * Where a watch node keeps its cursor: the first context store of the settings that is not in memory (a localfilesystem
 * store survives restarts), else the default store. Written before the messages it covers are sent.
 */
export function cursorStore(context: NodeContext, contextStorage: Record<string, unknown> | undefined) {
	const store = Object.entries(contextStorage ?? {}).find(([name, entry]) => name !== 'default' && typeof entry === 'object' && (entry as { module?: unknown }).module !== 'memory')?.[0];
	return {
		store: store ?? 'default',
		read: (watch: string) =>
			new Promise<EventCursor | undefined>((resolve, reject) =>
				context.get(KEY, store, (error, value) => {
					if (error) return reject(error);
					const kept = value as Partial<Kept> | undefined;
					resolve(kept?.watch === watch ? parseCursor(kept.cursor) : undefined);
				}),
			),
		write: (watch: string, cursor: EventCursor) => new Promise<void>((resolve, reject) => context.set(KEY, { watch, cursor } satisfies Kept, store, (error) => (error ? reject(error) : resolve()))),
	};
}
