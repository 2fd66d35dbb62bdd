/**
 * At most `size` exchanges on the wire at once; the others wait here, before any timer starts. Without
 * it, a burst larger than the agents' socket pool would wait inside the agent with its timeout already
 * running, and a healthy server would look slow.
 */
export function createExchangeSlots(size: number) {
	let free = size;
	const waiting: Array<() => void> = [];
	return async function withSlot<T>(exchange: () => Promise<T>): Promise<T> {
		if (free > 0) free--;
		else await new Promise<void>((resolve) => waiting.push(resolve));
		try {
			return await exchange();
		} finally {
			// A waiting exchange inherits the slot; only with nobody waiting does it become free.
			const next = waiting.shift();
			if (next) next();
			else free++;
		}
	};
}
