import { BpmFailure } from '../../bpm-error';
import type { OperationSteps } from '../../operations/operation';
import { get, WLE, wleData } from './baw-request';

/** The logged-in user's name (vendor notes 2.3, WLE user/current): who "me" is when a task is read back. */
export async function currentUser(steps: OperationSteps): Promise<string> {
	const name = wleData(await steps.call(get(`${WLE}/user/current`, ['parts', 'none']))).userName;
	if (typeof name !== 'string' || name === '') {
		throw new BpmFailure({ kind: 'http', message: `IBM BAW did not name the logged-in user (no userName in ${WLE}/user/current)` });
	}
	return name;
}
