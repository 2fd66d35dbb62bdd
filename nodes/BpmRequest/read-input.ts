import type { IExecuteFunctions } from 'n8n-workflow';
import { ACCESS_TOKEN_AUTH, NO_AUTH } from './connection';
import { connectionCredential } from '../shared/connection-credential';
import type { ItemParameters } from '../shared/item-parameters';
import { binaryFile } from '../shared/binary-file';
import type { BpmError, CallOptions, RequestInput } from '../../core';

type Row = { name: string; value: string };

/**
 * One item's parameters as the engine's input. A parameter that cannot be read (a failing expression, a missing
 * binary) fails that item only. Values read through `param` may be shared between items: never changed here.
 */
export async function readInput(context: IExecuteFunctions, param: ItemParameters, index: number): Promise<RequestInput | BpmError> {
	try {
		const rows = (name: string) => param<Row[]>(`${name}.parameters`, index, []) ?? [];
		const { concurrency, charset, contextHeaders, logoutAfterRun, ...options } = param<CallOptions & { concurrency?: number; charset?: string; contextHeaders?: boolean; logoutAfterRun?: boolean }>('options', index, {});
		const headers = param('sendHeaders', index, false) ? rows('headerParameters') : [];
		return {
			options: param('useConnectionCredential', index, false) ? { ...options, ...(await connectionCredential(context, index)) } : options,
			method: param<string>('method', index),
			url: param<string>('url', index),
			query: param('sendQuery', index, false) ? rows('queryParameters') : [],
			headers: contextHeaders ? [...headers, ...runtimeIds(context)] : headers,
			cookies: param('sendCookies', index, false) ? rows('cookieParameters') : [],
			...(param<string>('authentication', index, NO_AUTH) === ACCESS_TOKEN_AUTH ? { bearerToken: String(param('accessToken', index, '') ?? '') } : {}),
			...(param('sendBody', index, false) ? await body(context, param, index, charset) : {}),
		};
	} catch (error) {
		return { kind: 'input', message: (error as Error).message, attempts: 0, elapsedMs: 0 };
	}
}

async function body(context: IExecuteFunctions, param: ItemParameters, index: number, charset = 'UTF-8'): Promise<Partial<RequestInput>> {
	switch (param<string>('bodyType', index, 'json')) {
		case 'form':
			return { form: param<Row[]>('formParameters.parameters', index, []) };
		case 'raw':
			return { raw: { data: param<string>('rawBody', index, ''), contentType: param<string>('rawContentType', index, 'text/plain'), charset } };
		case 'binary':
			return { file: { source: await binaryFile(context, index, param<string>('inputDataFieldName', index, 'data')) } };
		case 'multipart':
			return {
				file: {
					source: await binaryFile(context, index, param<string>('inputDataFieldName', index, 'data')),
					multipartField: param<string>('multipartField', index, 'file'),
					fields: param<Row[]>('multipartParameters.parameters', index, []),
				},
			};
		default:
			return { json: param('jsonBody', index, '') };
	}
}

function runtimeIds(context: IExecuteFunctions): Row[] {
	return [
		{ name: 'X-N8n-Workflow-ID', value: String(context.getWorkflow().id ?? '') },
		{ name: 'X-N8n-Execution-ID', value: context.getExecutionId() },
		{ name: 'X-N8n-Node-Name', value: context.getNode().name.replace(/[^\x20-\x7e]/g, '?') },
	];
}

