import type { BpmError } from '../../bpm-error';

/** Where an operation's refusals point: the parameter a 400 is about, and the words for what was refused. */
export interface FailureWords {
	/** "create the record", "run the action": what Simplicité refused. */
	what: string;
	/** The parameter a 400 blames (the record's fields, the search filters). */
	badRequestField?: string;
}

/**
 * Simplicité's own message, from its error body `{"error":"<message>","status":<code>}` (vendor notes 3, the
 * generated OpenAPI's Error4xx/500 schemas); the body is an excerpt, so a cut one is read as far as it goes.
 */
function serverMessage(error: BpmError): string | undefined {
	if (!error.body) return undefined;
	try {
		const body = JSON.parse(error.body) as { error?: unknown };
		return typeof body?.error === 'string' && body.error.trim() !== '' ? body.error.trim() : undefined;
	} catch {
		return /"error"\s*:\s*"((?:[^"\\]|\\.)*)/.exec(error.body)?.[1];
	}
}

/**
 * The operation's failure in Simplicité's words. A 404 that reaches here is about the object: the operations turn
 * a missing record into their own error (onNotFound) first. Errors that already name a field, and writes whose
 * outcome is unknown, keep their message.
 */
export function explainFailure(words: FailureWords) {
	return (error: BpmError, values: Readonly<Record<string, unknown>>): BpmError | undefined => {
		if (error.kind !== 'http' || error.status === undefined || error.field || error.mayHaveTakenEffect) return undefined;
		const said = serverMessage(error);
		const because = said ? `: ${said}` : '';
		const object = typeof values.object === 'string' ? values.object.trim() : String(values.object ?? '');
		switch (error.status) {
			case 404:
				return { ...error, field: 'object', message: `Simplicité has no business object "${object}" that this user can see (404)${because}` };
			case 403:
				return { ...error, field: 'object', message: `This user may not use the business object "${object}" (403)${because}` };
			case 400:
				return { ...error, ...(words.badRequestField ? { field: words.badRequestField } : {}), message: `Simplicité refused to ${words.what} (400)${because}` };
			default:
				return said ? { ...error, message: `Simplicité could not ${words.what} (${error.status})${because}` } : undefined;
		}
	};
}
