import { BpmFailure } from '../../bpm-error';
import type { OutputFile } from '../../operations/output-items';
import { isRecord, text } from './json-values';

const EXTENSIONS: Readonly<Record<string, string>> = {
	'application/pdf': 'pdf',
	'text/html': 'html',
	'text/plain': 'txt',
	'text/csv': 'csv',
	'application/json': 'json',
	'application/xml': 'xml',
	'text/xml': 'xml',
	'application/zip': 'zip',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-excel': 'xls',
	'application/msword': 'doc',
	'image/png': 'png',
	'image/jpeg': 'jpg',
};

/**
 * A publication's answer `{"mime", "content"}`: the content is base64 unless it is text (vendor notes 3,
 * PublicationResult). A content sent as text under a binary type (it is not base64) is kept as text. The answer
 * names no file: it is called after the publication.
 */
export function publicationFile(body: unknown, publication = 'publication'): OutputFile {
	if (!isRecord(body) || typeof body.content !== 'string') throw new BpmFailure({ kind: 'http', message: 'Simplicité answered no publication (no content in its answer)' });
	const contentType = text(body.mime).split(';')[0].trim().toLowerCase() || 'application/octet-stream';
	const data = isText(contentType) || !isBase64(body.content) ? Buffer.from(body.content, 'utf8') : Buffer.from(body.content, 'base64');
	const named = text(body.filename) || text(body.name);
	return { data, contentType, fileName: named || `${publication}.${EXTENSIONS[contentType] ?? 'bin'}` };
}

function isText(contentType: string): boolean {
	return contentType.startsWith('text/') || /^application\/(json|xml|javascript)$/.test(contentType) || /\+(xml|json)$/.test(contentType);
}

function isBase64(content: string): boolean {
	const compact = content.replace(/\s+/g, '');
	return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}
