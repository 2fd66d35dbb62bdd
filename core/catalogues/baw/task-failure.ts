import type { BpmError } from '../../bpm-error';
import type { Operation } from '../../operations/operation';
import { asRecord } from './baw-request';

type TaskAction = 'read' | 'claim' | 'complete' | 'release';

/** Claim and complete races are normal (vendor notes 2.2, 2.4): what the refusal means, in words, naming the task. */
const REFUSALS: Record<TaskAction, Partial<Record<number, (id: string) => string>>> = {
	read: {
		404: (id) => `Task ${id} does not exist (404)`,
	},
	claim: {
		403: (id) => `You may not claim task ${id}: you are not one of its potential owners (403)`,
		404: (id) => `Task ${id} does not exist (404)`,
		409: (id) => `Task ${id} cannot be claimed: someone else claimed it first, or it is already completed (409)`,
	},
	complete: {
		403: (id) => `You may not complete task ${id}: it is not claimed by you, or you are not one of its potential owners (403)`,
		404: (id) => `Task ${id} does not exist (404)`,
		409: (id) => `Task ${id} cannot be completed: it is already completed, or someone else claimed it first (409)`,
	},
	release: {
		403: (id) => `You may not release task ${id} (403)`,
		404: (id) => `Task ${id} does not exist (404)`,
		409: (id) => `Task ${id} cannot be released: it is already completed (409)`,
	},
};

/** explainFailure for a task action: the refusal in words, with the server's own message (it may name who holds the task). */
export function explainTaskFailure(action: TaskAction): NonNullable<Operation['explainFailure']> {
	return (error, values) => {
		const words = error.status === undefined ? undefined : REFUSALS[action][error.status];
		if (!words) return undefined;
		const said = serverMessage(error);
		return { ...error, field: 'taskId', message: `${words(String(values.taskId ?? ''))}${said ? `. IBM BAW says: ${said}` : ''}` };
	};
}

/** The message of a /bpm exception (error_message) or a WLE error (Data.errorMessage), from the error's body excerpt. */
export function serverMessage(error: BpmError): string | undefined {
	if (!error.body) return undefined;
	let body: Record<string, unknown>;
	try {
		body = asRecord(JSON.parse(error.body));
	} catch {
		// A cut excerpt is no longer JSON: its message is still near the start.
		return /"(?:error_message|errorMessage)"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(error.body)?.[1];
	}
	const wle = asRecord(body.Data ?? body.data);
	const message = body.error_message ?? wle.errorMessage ?? wle.error_message;
	return typeof message === 'string' && message !== '' ? message : undefined;
}
