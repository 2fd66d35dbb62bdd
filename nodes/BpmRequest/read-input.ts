import type { IExecuteFunctions } from 'n8n-workflow';
import { ACCESS_TOKEN_AUTH, NO_AUTH } from './connection';
import { connectionCredential } from '../shared/connection-credential';
import { fileFromAsyncStream, fileFromBuffer, type BpmError, type CallOptions, type FileSource, type RequestInput } from '../../core';

type Row = { name: string; value: string };

/** One item's parameters as the engine's input. A parameter that cannot be read (a failing expression, a missing binary) fails that item only. */
export async function readInput(context: IExecuteFunctions, index: number): Promise<RequestInput | BpmError> {
	try {
		const param = <T>(name: string, fallback?: T) => context.getNodeParameter(name, index, fallback) as T;
		const rows = (name: string) => param<Row[]>(`${name}.parameters`, []) ?? [];
		const { concurrency, charset, contextHeaders, logoutAfterRun, ...options } = param<CallOptions & { concurrency?: number; charset?: string; contextHeaders?: boolean; logoutAfterRun?: boolean }>('options', {});
		const headers = param('sendHeaders', false) ? rows('headerParameters') : [];
		if (contextHeaders) headers.push(...runtimeIds(context));
		return {
			options: param('useConnectionCredential', false) ? { ...options, ...(await connectionCredential(context, index)) } : options,
			method: param<string>('method'),
			url: param<string>('url'),
			query: param('sendQuery', false) ? rows('queryParameters') : [],
			headers,
			cookies: param('sendCookies', false) ? rows('cookieParameters') : [],
			...(param<string>('authentication', NO_AUTH) === ACCESS_TOKEN_AUTH ? { bearerToken: String(param('accessToken', '') ?? '') } : {}),
			...(param('sendBody', false) ? await body(context, index, charset) : {}),
		};
	} catch (error) {
		return { kind: 'input', message: (error as Error).message, attempts: 0, elapsedMs: 0 };
	}
}

async function body(context: IExecuteFunctions, index: number, charset = 'UTF-8'): Promise<Partial<RequestInput>> {
	const param = <T>(name: string, fallback?: T) => context.getNodeParameter(name, index, fallback) as T;
	switch (param<string>('bodyType', 'json')) {
		case 'form':
			return { form: param<Row[]>('formParameters.parameters', []) };
		case 'raw':
			return { raw: { data: param<string>('rawBody', ''), contentType: param<string>('rawContentType', 'text/plain'), charset } };
		case 'binary':
			return { file: { source: await binaryFile(context, index, param<string>('inputDataFieldName', 'data')) } };
		case 'multipart':
			return {
				file: {
					source: await binaryFile(context, index, param<string>('inputDataFieldName', 'data')),
					multipartField: param<string>('multipartField', 'file'),
					fields: param<Row[]>('multipartParameters.parameters', []),
				},
			};
		default:
			return { json: param('jsonBody', '') };
	}
}

/** Streamed from n8n's binary store when the data lives there, so a large file is never held whole. */
async function binaryFile(context: IExecuteFunctions, index: number, field: string): Promise<FileSource> {
	const binary = context.helpers.assertBinaryData(index, field);
	const fileName = binary.fileName ?? field;
	const contentType = binary.mimeType || 'application/octet-stream';
	if (binary.id) {
		const { fileSize } = await context.helpers.getBinaryMetadata(binary.id);
		return fileFromAsyncStream(() => context.helpers.getBinaryStream(binary.id!), Number(fileSize), fileName, contentType);
	}
	return fileFromBuffer(Buffer.from(binary.data, 'base64'), fileName, contentType);
}

function runtimeIds(context: IExecuteFunctions): Row[] {
	return [
		{ name: 'X-N8n-Workflow-Id', value: String(context.getWorkflow().id ?? '') },
		{ name: 'X-N8n-Execution-Id', value: context.getExecutionId() },
		{ name: 'X-N8n-Node-Name', value: context.getNode().name.replace(/[^\x20-\x7e]/g, '?') },
	];
}

