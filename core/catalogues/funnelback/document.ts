import { inputError, type BpmError } from '../../bpm-error';
import type { FileSource, HttpResponse } from '../../http/http-types';
import type { Operation, OperationRequest, OperationSteps, Parameter, Values } from '../../operations/operation';
import { isObject, namedValues, segment, texts } from './funnelback-request';
import { collection } from './search-query';

const METADATA_HEADER = 'X-Funnelback-Push-Meta-Data-';

const pushCollection = {
	...collection,
	description: 'The push data source (collection type push2), e.g. client~ds-push: pick one of those the credential lists, or type it',
} as const;

const key: Parameter = {
	name: 'key',
	displayName: 'Key',
	description:
		'The document\'s URI, with a scheme (https://…, local:…): it identifies the document and is its URL in results. Funnelback stores it canonicalised (a / for an empty path, no #fragment); the output gives that key',
	type: 'string',
	required: true,
};

const pushApiVersion: Parameter = {
	name: 'pushApiVersion',
	displayName: 'Push API Version',
	description: 'v2 on current servers, v1 on older ones',
	type: 'options',
	default: 'v2',
	choices: [
		{ value: 'v2', name: 'v2' },
		{ value: 'v1', name: 'v1' },
	],
	optional: true,
};

/** The push API (vendor notes 4.2): PUT and DELETE by key, then a commit makes the changes searchable. */
export const documentOperations: Operation[] = [
	{
		resource: 'document',
		operation: 'addOrReplace',
		name: 'Add or Replace',
		action: 'Add or replace a document',
		description:
			'Store a document in a push data source under its key (a URI): added when the key is new, replaced when it exists, so it is safe to repeat. The body is sent with its real content type; metadata as fields. Searchable after a commit',
		parameters: [
			pushCollection,
			key,
			{
				name: 'contentSource',
				displayName: 'Content From',
				description: 'Where the document comes from',
				type: 'options',
				default: 'text',
				choices: [
					{ value: 'text', name: 'Text', description: 'HTML, XML, JSON or plain text given here' },
					{ value: 'file', name: 'File', description: 'A binary file of the item (n8n) or a Buffer of the message (Node-RED)' },
				],
			},
			{ name: 'content', displayName: 'Content', description: 'The document as text', type: 'string', required: true, showWhen: { contentSource: ['text'] } },
			{ name: 'file', displayName: 'File', description: 'The document file', type: 'file', required: true, showWhen: { contentSource: ['file'] } },
			{
				name: 'contentType',
				displayName: 'Content Type',
				description:
					'The document\'s MIME type, e.g. text/html or application/xml (XML is indexed as XML only with an XML type and its <?xml?> declaration); empty: text/html for text, the file\'s own type for a file',
				type: 'string',
				optional: true,
			},
			{
				name: 'metadata',
				displayName: 'Metadata',
				description: 'Metadata fields as a JSON object, e.g. {"author": "Jo", "keywords": ["a", "b"]}: each is sent as an X-Funnelback-Push-Meta-Data-<field> header; list values are joined with |',
				type: 'json',
				optional: true,
			},
			pushApiVersion,
		],
		request: (values) => ({
			...documentRequest('PUT', values),
			content: documentContent(values),
			headers: metadataHeaders(values.metadata),
		}),
		replay: 'idempotent',
		explainFailure: explainPushFailure,
		output: { kind: 'result', result: (values, response) => ({ collection: values.collection, key: echoedKey(values, response), submittedKey: values.key, stored: true }) },
	},
	{
		resource: 'document',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a document',
		description: 'Remove the document with this key from a push data source; safe to repeat, and a key that is not there is not an error. Gone from searches after a commit',
		parameters: [pushCollection, key, pushApiVersion],
		request: (values) => documentRequest('DELETE', values),
		replay: 'idempotent',
		onNotFound: absentDocument,
		explainFailure: explainPushFailure,
		output: { kind: 'result', result: (values, response) => ({ collection: values.collection, key: echoedKey(values, response), deleted: true }) },
	},
	{
		resource: 'document',
		operation: 'commit',
		name: 'Commit',
		action: 'Commit the changes of a push data source',
		description: 'Make the documents added, replaced or deleted so far searchable now, rather than at the automatic commit; safe to repeat',
		parameters: [pushCollection, pushApiVersion],
		request: (values) => ({ method: 'POST', path: pushPath(values, 'commit') }),
		replay: 'idempotent',
		explainFailure: explainPushFailure,
		output: { kind: 'result', result: (values) => ({ collection: values.collection, committed: true }) },
	},
];

function pushPath(values: Values, leaf: string): string {
	return `push-api/${String(values.pushApiVersion ?? 'v2')}/collections/${segment(values.collection, 'collection', 'Collection')}/${leaf}`;
}

function documentRequest(method: 'PUT' | 'DELETE', values: Values): OperationRequest {
	return { method, path: pushPath(values, 'documents'), query: [['key', checkedKey(values.key)]] };
}

/** A URI with a scheme (vendor notes 4.2): the server refuses anything else. */
function checkedKey(value: unknown): string {
	const text = String(value).trim();
	if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(text)) throw inputError('key', `The key must be a URI with a scheme, e.g. https://example.com/page or local:doc-42, not "${text}"`);
	return text;
}

function documentContent(values: Values): OperationRequest['content'] {
	const given = values.contentType ? String(values.contentType).trim() : undefined;
	if (values.contentSource === 'file') {
		const file = values.file as FileSource;
		return { file: given ? { ...file, contentType: given } : file };
	}
	return { text: String(values.content), contentType: utf8(given ?? 'text/html') };
}

/** Text is sent as UTF-8: a textual type says so, or the server would guess the charset. */
function utf8(contentType: string): string {
	return /charset=/i.test(contentType) || !/^(text\/|application\/(?:[\w.+-]+\+)?(?:xml|json)\b)/i.test(contentType) ? contentType : `${contentType}; charset=UTF-8`;
}

/**
 * One header per field. A header carries Latin-1 text without line breaks: anything else is refused naming the
 * field. One header per name reaches the server, so several values are joined with | [I].
 */
export function metadataHeaders(given: unknown): Array<readonly [string, string]> {
	return Object.entries(namedValues(given, 'metadata', 'Metadata')).map(([field, value]) => {
		if (!/^[A-Za-z0-9_.-]+$/.test(field)) throw inputError('metadata', `The metadata field "${field}" must be letters, digits, _, . or -`);
		const text = texts(value, 'metadata', field).join('|');
		if (/[^\t\u0020-\u007e\u00a0-\u00ff]/.test(text)) throw inputError('metadata', `The value of metadata field "${field}" has a line break or a character a header cannot carry`);
		return [`${METADATA_HEADER}${field}`, text] as const;
	});
}

/** The canonical key the server stored the document under (its field name is [I]); the given key when it says none. */
function echoedKey(values: Values, response: HttpResponse): unknown {
	const body = response.body.kind === 'json' ? response.body.value : undefined;
	const echoed = isObject(body) ? (body.key ?? body.canonicalUri) : undefined;
	return typeof echoed === 'string' && echoed !== '' ? echoed : String(values.key).trim();
}

/** Deleting what is not there is done, unless the data source itself is unknown: its state tells. */
async function absentDocument(values: Values, steps: OperationSteps): Promise<unknown> {
	const state = await steps.call({ method: 'GET', path: pushPath(values, 'state') }, { allowNotFound: true });
	if (state.status === 404) throw inputError('collection', unknownPushCollection(values));
	return { collection: values.collection, key: String(values.key).trim(), deleted: true, found: false };
}

function unknownPushCollection(values: Readonly<Record<string, unknown>>): string {
	return `Funnelback has no push data source "${String(values.collection)}": it must exist and be of type push2`;
}

function explainPushFailure(error: BpmError, values: Readonly<Record<string, unknown>>): BpmError | undefined {
	if (error.status === 404) return { ...error, field: 'collection', message: `${unknownPushCollection(values)} (HTTP 404)` };
	if (error.status === 400 && /key/i.test(error.body ?? '')) return { ...error, field: 'key', message: `Funnelback refused the key "${String(values.key)}" (HTTP 400): ${serverMessage(error.body)}` };
	return undefined;
}

/** The message of a JSON error body, else the body as it came. */
function serverMessage(body: string | undefined): string {
	try {
		const parsed: unknown = JSON.parse(body ?? '');
		if (isObject(parsed) && typeof parsed.message === 'string') return parsed.message;
	} catch {
		// Not JSON, or cut short: shown as it came.
	}
	return body ?? '';
}
