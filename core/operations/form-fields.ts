import { BpmFailure, type Outcome } from '../bpm-error';
import type { CallOptions } from '../calls/call-options';
import { failureDetail, redactError } from '../calls/execute-request';
import type { Connection } from '../sessions/connection';
import type { Catalogue } from './catalogue';
import type { FormField } from './form-field';
import type { Operation } from './operation';
import { NO_FILES, operationSteps, StepFailure } from './operation-steps';

/** The fields of an operation's form parameter (a contract), for the form identified by `id` (the process or the task). Never throws. */
export async function formFields(connection: Connection, catalogue: Catalogue, operation: Operation, parameterName: string, id: string, options: CallOptions = {}): Promise<Outcome<FormField[]>> {
	const started = Date.now();
	let attempts = 0;
	try {
		const parameter = operation.parameters.find((p) => p.name === parameterName && p.type === 'form');
		const form = parameter?.form;
		const reader = form ? catalogue.forms[form.kind] : undefined;
		if (!form || !reader) throw new BpmFailure({ kind: 'input', field: parameterName, message: `${operation.action} has no form "${parameterName}"` });
		const trimmed = id.trim();
		if (trimmed === '' || /[/\\?#]/.test(trimmed)) throw new BpmFailure({ kind: 'input', field: form.dependsOn, message: `Pick a valid ${form.dependsOn} first` });
		const fields = await reader.fields(operationSteps(connection, options, {}, NO_FILES, (count) => (attempts += count)), trimmed);
		return { ok: true, value: fields, attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		const detail = error instanceof StepFailure ? error.error : { ...failureDetail(error, {}), attempts, elapsedMs: 0 };
		return { ok: false, error: redactError({ ...detail, attempts, elapsedMs: Date.now() - started }, connection.secrets()) };
	}
}
