import { createHash } from 'node:crypto';
import type { Session } from './session';

/**
 * Sessions shared across executions of a long-lived process (n8n), keyed by what identifies a
 * credential's content, so an edited credential gets a new session. Bounded: the least recently
 * used session is logged out when the bound is reached.
 */
export class SessionRegistry {
	private readonly sessions = new Map<string, Session>();

	constructor(private readonly capacity = 64) {}

	get(identity: unknown, create: () => Session): Session {
		const key = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
		const existing = this.sessions.get(key);
		if (existing) {
			this.sessions.delete(key);
			this.sessions.set(key, existing);
			return existing;
		}
		const session = create();
		this.sessions.set(key, session);
		if (this.sessions.size > this.capacity) {
			const [oldestKey, oldest] = this.sessions.entries().next().value as [string, Session];
			this.sessions.delete(oldestKey);
			void oldest.logout().finally(() => oldest.close());
		}
		return session;
	}
}
