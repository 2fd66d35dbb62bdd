import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { outputBody, outputHeaders, type HttpResponse } from '../../core';

/** One response as one item: status, headers and body in json; a binary body as n8n binary data. */
export async function toItem(context: IExecuteFunctions, response: HttpResponse, secrets: string[], index: number): Promise<INodeExecutionData> {
	const json: IDataObject = {
		statusCode: response.status,
		statusMessage: response.statusText,
		headers: outputHeaders(response, secrets),
	};
	if (response.body.kind === 'binary') {
		const binary = await context.helpers.prepareBinaryData(response.body.value, undefined, response.body.contentType);
		return { json, binary: { data: binary }, pairedItem: { item: index } };
	}
	json.body = outputBody(response) as IDataObject;
	return { json, pairedItem: { item: index } };
}
