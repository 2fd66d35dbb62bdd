import { headerValue, type HttpResponse } from '../http/http-types';
import type { Operation, OutputShape, Values } from './operation';

/** One output item: an n8n item, or one element of a Node-RED payload. */
export interface OutputItem {
	json: Record<string, unknown>;
	/** A downloaded file: n8n binary data, a Node-RED Buffer. */
	file?: OutputFile;
}

export interface OutputFile {
	data: Buffer;
	fileName: string;
	contentType: string;
}

/**
 * The items an operation outputs, from its answer or from a value a step found instead (the archived case,
 * a read-back, the collected pages of a list).
 */
export function outputItems(operation: Operation, values: Values, response: HttpResponse | undefined, simplify: boolean, found?: unknown): OutputItem[] {
	const shape = operation.output;
	const body = found !== undefined ? found : response?.body.kind === 'json' ? response.body.value : undefined;
	switch (shape.kind) {
		case 'list':
			return (Array.isArray(body) ? body : body === undefined ? [] : [body]).map((item) => ({ json: simplified(shape, asObject(item), simplify) }));
		case 'object':
			return [{ json: simplified(shape, asObject(body ?? {}), simplify) }];
		case 'result':
			return [{ json: asObject(found !== undefined ? found : shape.result(values, response!)) }];
		case 'file':
			return [fileItem(shape.decode ? shape.decode(body, values) : responseFile(response!))];
	}
}

function simplified(shape: Extract<OutputShape, { kind: 'list' | 'object' }>, item: Record<string, unknown>, simplify: boolean): Record<string, unknown> {
	if (!simplify || !shape.simplify) return item;
	const out: Record<string, unknown> = {};
	for (const key of shape.simplify) if (key in item) out[key] = item[key];
	return out;
}

function asObject(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

function fileItem(file: OutputFile): OutputItem {
	return { json: { fileName: file.fileName, contentType: file.contentType, size: file.data.length }, file };
}

function responseFile(response: HttpResponse): OutputFile {
	const data = response.body.kind === 'binary' ? response.body.value : Buffer.from(response.body.kind === 'text' ? response.body.value : '');
	const contentType = headerValue(response, 'content-type')?.split(';')[0].trim() || 'application/octet-stream';
	const fileName = dispositionFileName(headerValue(response, 'content-disposition')) ?? 'download';
	return { data, fileName, contentType };
}

/** RFC 6266: filename* (RFC 8187, UTF-8) wins over filename. */
function dispositionFileName(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
	if (extended) {
		try {
			return decodeURIComponent(extended[1].trim());
		} catch {
			// Not percent-encoded after all: fall back to the plain name.
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
	return plain ? (plain[2] ?? plain[1]).trim() : undefined;
}
