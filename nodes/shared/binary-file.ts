import type { IExecuteFunctions } from 'n8n-workflow';
import { fileFromAsyncStream, fileFromBuffer, type FileSource } from '../../core';

/** Streamed from n8n's binary store when the data lives there, so a large file is never held whole. */
export async function binaryFile(context: IExecuteFunctions, index: number, field: string): Promise<FileSource> {
	const binary = context.helpers.assertBinaryData(index, field);
	const fileName = binary.fileName ?? field;
	const contentType = binary.mimeType || 'application/octet-stream';
	if (binary.id) {
		const { fileSize } = await context.helpers.getBinaryMetadata(binary.id);
		return fileFromAsyncStream(() => context.helpers.getBinaryStream(binary.id!), Number(fileSize), fileName, contentType);
	}
	return fileFromBuffer(Buffer.from(binary.data, 'base64'), fileName, contentType);
}
