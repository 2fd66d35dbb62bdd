/**
 * Facts a session learns once and that do not change while it lasts: the logged-in user's id, the contract of a
 * deployed process version or of a task. Bounded (the oldest goes first); a failed lookup is not kept.
 */
export class Memo {
	private readonly entries = new Map<string, Promise<unknown>>();

	constructor(private readonly capacity = 256) {}

	get<T>(key: string, compute: () => Promise<T>): Promise<T> {
		const known = this.entries.get(key);
		if (known) return known as Promise<T>;
		const value = compute();
		this.entries.set(key, value);
		value.catch(() => this.entries.get(key) === value && this.entries.delete(key));
		if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
		return value;
	}

	clear(): void {
		this.entries.clear();
	}
}
