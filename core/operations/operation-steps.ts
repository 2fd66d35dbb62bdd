import { BpmFailure, type BpmError } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { executeRequest, type CallHooks } from '../calls/execute-request';
import type { RequestInput } from '../http/build-request';
import type { Connection } from '../sessions/connection';
import type { FileResolver } from './catalogue';
import type { OperationRequest, OperationSteps } from './operation';

/** Where no file can be given (a dropdown, a form's fields). */
export const NO_FILES: FileResolver = async (_reference, field) => {
	throw new BpmFailure({ kind: 'input', field, message: `${field} needs a file, and none can be given here` });
};

/** A failed call's error value, carried through an operation's steps unchanged. */
export class StepFailure extends Error {
	constructor(readonly error: BpmError) {
		super(error.message);
	}
}

/**
 * The calls an operation's steps make (an upload, a read-back, a lookup), and the ones a dropdown or a form makes:
 * through the same connection and options. Any answer but a success (or a 404, when allowed) throws a StepFailure.
 */
export function operationSteps(connection: Connection, options: CallOptions, hooks: CallHooks, files: FileResolver, countAttempts: (attempts: number) => void): OperationSteps {
	return {
		options,
		files,
		memo: (key, compute) => connection.memo.get(key, compute),
		async call(request, { allowNotFound = false } = {}) {
			const outcome = await executeRequest(connection, requestInput(request, { ...options, failOn4xx: true, failOn5xx: true, exceptCodes: allowNotFound ? '404' : '' }), hooks);
			countAttempts(outcome.ok ? outcome.attempts : outcome.error.attempts);
			if (!outcome.ok) throw new StepFailure(outcome.error);
			return outcome.value;
		},
	};
}

export function requestInput(request: OperationRequest, options: CallOptions): RequestInput {
	return {
		method: request.method,
		url: request.path,
		query: (request.query ?? []).map(([name, value]) => ({ name, value })),
		...(request.json !== undefined ? { json: request.json } : {}),
		...(request.form ? { form: request.form.map(([name, value]) => ({ name, value })) } : {}),
		...(request.headers ? { headers: request.headers.map(([name, value]) => ({ name, value })) } : {}),
		...(request.content ? ('file' in request.content ? { file: { source: request.content.file } } : { raw: { data: request.content.text, contentType: request.content.contentType } }) : {}),
		...(request.multipart ? { file: { source: request.multipart.file, multipartField: request.multipart.fieldName } } : {}),
		options: request.responseFormat ? { ...options, responseFormat: request.responseFormat } : options,
	};
}
