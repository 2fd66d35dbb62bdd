import { BpmFailure } from '../../bpm-error';
import type { OperationRequest, OperationSteps } from '../../operations/operation';
import { isRecord } from './json-values';
import { fieldsFromMetadata } from './metadata-fields';
import type { ObjectField } from './object-field';
import { fieldsFromOpenApi } from './openapi-document';
import { get, jsonBody, objectPath } from './simplicite-request';

/**
 * The fields of a business object, read once per session: its `_metadata`, or, where the answer has no field
 * list (a server that ignores the parameter answers a search), the schema of its OpenAPI document. An unknown or
 * forbidden object fails here with the server's 404 or 403.
 */
export function objectFields(steps: OperationSteps, object: string): Promise<ObjectField[]> {
	return steps.memo(`simplicite:fields:${object}`, async () => {
		const metadata = fieldsFromMetadata(jsonBody(await steps.call(get(objectPath(object), ['_metadata', 'true']))));
		if (metadata && metadata.length > 0) return metadata;
		const described = fieldsFromOpenApi(await openApiDocument(steps, object), object);
		if (described && described.length > 0) return described;
		throw new BpmFailure({ kind: 'http', message: `Simplicité describes no fields for the business object "${object}", neither in its metadata nor in its OpenAPI document` });
	});
}

/** The object's OpenAPI document (4.0+), read once per session. */
function openApiDocument(steps: OperationSteps, object: string): Promise<Record<string, unknown>> {
	return steps.memo(`simplicite:openapi:${object}`, async () => {
		const body = jsonBody(await steps.call(openApiRequest(object)));
		if (!isRecord(body)) throw new BpmFailure({ kind: 'http', message: `Simplicité did not answer the OpenAPI document of "${object}" as JSON` });
		return body;
	});
}

export function openApiRequest(object: string): OperationRequest {
	return { ...get(objectPath(object), ['_doc', 'true'], ['_output', 'openapi']), headers: [['Accept', 'application/json']] };
}
