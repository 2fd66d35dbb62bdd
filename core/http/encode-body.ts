import FormData from 'form-data';
import type { RequestBody } from './http-types';

/** What goes on the wire for a body. Streams are opened here, so each attempt gets a fresh one. */
export interface EncodedBody {
	data?: string | Buffer | NodeJS.ReadableStream;
	contentType?: string;
	/** The type carries the multipart boundary: it replaces any Content-Type the caller set. */
	typeIsBinding?: boolean;
	length?: number;
}

export function encodeBody(body: RequestBody | undefined): EncodedBody {
	if (!body) return {};
	switch (body.kind) {
		case 'file':
			return { data: body.file.open(), contentType: body.file.contentType, length: body.file.size };
		case 'multipart': {
			const form = new FormData();
			for (const [name, value] of body.fields) form.append(name, value);
			form.append(body.fieldName, body.file.open(), { filename: body.file.fileName, contentType: body.file.contentType, knownLength: body.file.size });
			return { data: form, contentType: form.getHeaders()['content-type'], typeIsBinding: true, length: form.getLengthSync() };
		}
		case 'json':
			return fixed(JSON.stringify(body.value), 'application/json; charset=utf-8');
		case 'form':
			return fixed(new URLSearchParams(body.fields).toString(), 'application/x-www-form-urlencoded; charset=utf-8');
		case 'raw':
			return fixed(body.data, body.contentType);
	}
}

function fixed(data: string | Buffer, contentType: string): EncodedBody {
	return { data, contentType, length: Buffer.byteLength(data) };
}
