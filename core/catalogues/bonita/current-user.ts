import { BpmFailure } from '../../bpm-error';
import type { OperationSteps } from '../../operations/operation';

/** The logged-in user's id, from the session resource (shared notes A.4): what "me" means in task and case filters. */
export async function currentUser(steps: OperationSteps): Promise<string> {
	const response = await steps.call({ method: 'GET', path: 'API/system/session/unusedId' });
	const body = response.body.kind === 'json' ? (response.body.value as Record<string, unknown> | null) : null;
	const id = body?.user_id;
	if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
		throw new BpmFailure({ kind: 'http', message: 'Bonita did not name the logged-in user (no user_id in API/system/session/unusedId)' });
	}
	return String(id);
}
