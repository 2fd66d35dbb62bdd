import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { inputError } from '../bpm-error';
import type { FileSource } from './http-types';

export function fileFromBuffer(data: Buffer, fileName: string, contentType: string): FileSource {
	return { open: () => Readable.from([data]), size: data.length, fileName, contentType };
}

/** A file on disk, streamed: never read whole into memory. */
export function fileFromPath(filePath: string, contentType: string, fileName = path.basename(filePath)): FileSource {
	let size: number;
	try {
		size = statSync(filePath).size;
	} catch {
		throw inputError('file', `The file "${filePath}" cannot be read`);
	}
	// 1 MiB reads instead of the default 64 KiB: measured 3-4x the upload rate, and memory stays a few chunks deep.
	return { open: () => createReadStream(filePath, { highWaterMark: 1024 * 1024 }), size, fileName, contentType };
}

/** For stores that open streams asynchronously (n8n's binary data): the stream is piped in once it opens. */
export function fileFromAsyncStream(openAsync: () => Promise<NodeJS.ReadableStream>, size: number, fileName: string, contentType: string): FileSource {
	return {
		open: () => {
			const out = new PassThrough();
			openAsync().then(
				(stream) => stream.on('error', (error) => out.destroy(error)).pipe(out),
				(error: Error) => out.destroy(error),
			);
			return out;
		},
		size,
		fileName,
		contentType,
	};
}
