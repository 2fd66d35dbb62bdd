import { BpmFailure } from '../../bpm-error';
import type { FileSource } from '../../http/http-types';
import type { Operation } from '../../operations/operation';
import { filter, get, path } from './bonita-request';
import { caseId } from './case';

export const DOCUMENT_FIELDS = ['id', 'caseId', 'name', 'fileName', 'contentMimetype', 'description', 'version', 'url', 'submittedBy', 'creationDate'] as const;

export const documentOperations: Operation[] = [
	{
		resource: 'document',
		operation: 'upload',
		name: 'Upload and Attach',
		action: 'Upload a document to a case',
		description: 'Upload a file and attach it to a case as a named document. Never sent twice: if the answer is lost, the error says how to check',
		parameters: [
			caseId,
			{ name: 'documentName', displayName: 'Document Name', description: 'The document name in the case (its data name)', type: 'string', required: true },
			{ name: 'file', displayName: 'File', description: 'The file to upload', type: 'file', required: true },
			{ name: 'description', displayName: 'Description', description: 'A description of the document', type: 'string', optional: true },
		],
		// The temporary file is consumed by the attach call: each attempt uploads afresh.
		async prepare(values, steps) {
			const file = values.file as FileSource;
			const response = await steps.call({ method: 'POST', path: 'portal/fileUpload', multipart: { fieldName: 'file', file } });
			const temporary = response.body.kind === 'text' ? response.body.value.trim() : response.body.kind === 'json' ? String(response.body.value).trim() : '';
			if (temporary === '') throw new BpmFailure({ kind: 'http', message: `Bonita did not accept the upload of ${file.fileName} (no temporary file name in its answer)` });
			return { ...values, temporary };
		},
		request: (values) => ({
			method: 'POST',
			path: 'API/bpm/caseDocument',
			// The key is caseId, not processInstanceId (vendor notes 1.5).
			json: {
				caseId: String(values.caseId),
				file: values.temporary,
				name: values.documentName,
				fileName: (values.file as FileSource).fileName,
				...(values.description ? { description: values.description } : {}),
			},
		}),
		replay: 'nonIdempotent',
		ambiguousHint: (values) => `The document may be attached: list the documents of case ${String(values.caseId)} (Document → Get Many) before attaching it again`,
		output: { kind: 'object', simplify: DOCUMENT_FIELDS },
	},
	{
		resource: 'document',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many documents of a case',
		description: 'List the documents attached to a case',
		parameters: [caseId],
		request: (values) => get('API/bpm/caseDocument', filter('caseId', String(values.caseId))),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list', simplify: DOCUMENT_FIELDS },
	},
	{
		resource: 'document',
		operation: 'download',
		name: 'Download',
		action: 'Download a document',
		description: 'Download the file of a case document, by the document ID',
		parameters: [{ name: 'documentId', displayName: 'Document ID', description: 'The document ID (Document → Get Many lists them)', type: 'reference', required: true }],
		async prepare(values, steps) {
			const response = await steps.call(get(path`API/bpm/caseDocument/${values.documentId}`));
			const url = response.body.kind === 'json' ? (response.body.value as { url?: unknown } | null)?.url : undefined;
			// The document's own download link, relative to portal/: never a URL the caller chose.
			if (typeof url !== 'string' || !/^documentDownload\?/.test(url)) throw new BpmFailure({ kind: 'http', message: `Document ${String(values.documentId)} has no file to download (it may be a URL document)` });
			return { ...values, downloadPath: `portal/${url}` };
		},
		request: (values) => ({ method: 'GET', path: String(values.downloadPath), responseFormat: 'binary' }),
		replay: 'read',
		output: { kind: 'file' },
	},
];
