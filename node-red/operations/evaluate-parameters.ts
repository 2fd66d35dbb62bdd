import { fileFromBuffer, fileFromPath, inputError, type FileResolver, type FileSource, type Operation } from '../../core';
import type { NodeMessage, NodeRedApi, RuntimeNode } from '../node-red-api';
import { defaultTypedValue, type TypedValue } from './typed-value';

/** Each parameter's typedInput evaluated against the message (msg, flow, global, env, JSONata), as core's checkValues takes them. */
export async function evaluateParameters(RED: NodeRedApi, node: RuntimeNode, operation: Operation, stored: Record<string, TypedValue | undefined>, msg: NodeMessage): Promise<Record<string, unknown>> {
	const values: Record<string, unknown> = {};
	for (const parameter of operation.parameters) {
		const entry = stored[parameter.name] ?? defaultTypedValue(parameter);
		values[parameter.name] = entry.vt === 'form' ? await formValues(RED, node, entry.v, msg) : await evaluate(RED, node, entry, msg, parameter.name);
	}
	return values;
}

async function formValues(RED: NodeRedApi, node: RuntimeNode, fields: unknown, msg: NodeMessage): Promise<Record<string, unknown>> {
	const out: Record<string, unknown> = {};
	for (const [name, entry] of Object.entries((fields ?? {}) as Record<string, TypedValue>)) {
		const value = await evaluate(RED, node, entry, msg, name);
		if (value !== undefined) out[name] = value;
	}
	return out;
}

function evaluate(RED: NodeRedApi, node: RuntimeNode, entry: TypedValue, msg: NodeMessage, field: string): Promise<unknown> {
	// An empty literal is "not set" (the catalogue's default applies), not the number 0 or an empty JSON text.
	if (entry.v === '' && ['str', 'num', 'bool', 'json'].includes(entry.vt)) return Promise.resolve(undefined);
	return new Promise((resolve, reject) =>
		RED.util.evaluateNodeProperty(entry.v, entry.vt, node, msg, (error, value) => (error ? reject(inputError(field, `${field}: ${error.message}`)) : resolve(value))),
	);
}

/** A file parameter's value: a Buffer (msg.filename and msg.contentType name it), a path, or {data, filename, contentType}. */
export function messageFiles(msg: NodeMessage): FileResolver {
	return async (reference, field) => {
		const contentType = typeof msg.contentType === 'string' && msg.contentType ? msg.contentType : 'application/octet-stream';
		const fileName = typeof msg.filename === 'string' && msg.filename ? msg.filename.split(/[\\/]/).pop()! : 'file';
		if (Buffer.isBuffer(reference)) return fileFromBuffer(reference, fileName, contentType);
		if (typeof reference === 'string' && reference.trim() !== '') return fileFromPath(reference.trim(), contentType);
		if (reference && typeof reference === 'object' && Buffer.isBuffer((reference as { data?: unknown }).data)) {
			const file = reference as { data: Buffer; filename?: string; contentType?: string; mimetype?: string };
			return fileFromBuffer(file.data, file.filename ?? fileName, file.contentType ?? file.mimetype ?? contentType) as FileSource;
		}
		throw inputError(field, `${field} needs a file: a Buffer, a file path, or {data, filename, contentType}`);
	};
}
