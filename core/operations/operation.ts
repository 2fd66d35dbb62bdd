import type { CallOptions } from '../calls/call-options';
import type { FileSource, HttpMethod, HttpResponse } from '../http/http-types';
import type { PagingStyle } from '../paging/paging-style';
import type { BpmError } from '../bpm-error';
import type { FileResolver } from './catalogue';
import type { OutputFile } from './output-items';

/**
 * One vendor operation as data: what both runtimes render (n8n properties, the Node-RED form) and what
 * runOperation executes. Behaviour that is not a single call (an upload before the call, a read-back, a
 * fallback) is a small function of the entry, still in core: no adapter holds per-operation logic.
 */
export interface Operation {
	/** Stable keys: what a saved workflow or flow stores. */
	resource: string;
	operation: string;
	/** n8n's operation option name ("Get Many"), and its `action` ("Get many processes"). */
	name: string;
	action: string;
	/** What it does, in words a model choosing a tool can act on. */
	description: string;
	parameters: readonly Parameter[];
	/** The call, from checked values and what the session knows (the current user). */
	request(values: Values, context: RequestContext): OperationRequest;
	/** What the request needs from the session before it is built. */
	needs?: readonly 'currentUser'[];
	/** Lists: how the server pages them (by a parameter's value, where one list has two APIs). Return All and Limit then apply. */
	paging?: PagingStyle | ((values: Values) => PagingStyle);
	/**
	 * A list sent whole as one long JSON array (Funnelback's all-results.json): read element by element as it
	 * arrives, never held whole, and no further than the Limit. Return All and Limit apply.
	 */
	streamed?: boolean;
	replay: ReplayClass;
	output: OutputShape;
	/** Steps before the call (uploads, checks); run again before each replay, since an upload is consumed. */
	prepare?(values: Values, steps: OperationSteps, context: RequestContext): Promise<Values>;
	/**
	 * For a write that is not idempotent: after an ambiguous failure (sent, then no answer or a 5xx), tells
	 * whether the first attempt took effect. Without it, such a failure is never replayed.
	 */
	readBack?(values: Values, steps: OperationSteps, context: RequestContext): Promise<ReadBack>;
	/** Explains, for a write without a read-back, how to check whether the first attempt took effect. */
	ambiguousHint?(values: Values): string;
	/** The result when the call answers 404 (a finished case lives on as an archived case). */
	onNotFound?(values: Values, steps: OperationSteps, context: RequestContext): Promise<unknown>;
	/**
	 * A list came back empty: where the vendor answers an unknown filter value with an empty list (BAW), throws an
	 * input error naming the parameter whose value matched nothing; returns when the list is genuinely empty.
	 */
	explainEmpty?(values: Values, steps: OperationSteps, context: RequestContext): Promise<void>;
	/** Throws when a 2xx answer (each page of a list) reports a failure inside it: Funnelback's error node. */
	checkAnswer?(body: unknown, values: Values, status: number): void;
	/** Words for the operation's own failures (a 409: someone else claimed the task), the error kept otherwise. */
	explainFailure?(error: BpmError, values: Readonly<Record<string, unknown>>): BpmError | undefined;
}

/** Whether Return All and Limit apply: a paged list, or a streamed one. */
export function isList(operation: Operation): boolean {
	return operation.paging !== undefined || operation.streamed === true;
}

/**
 * - read: retried by the user's policy.
 * - idempotent: a write that may be repeated (an assignment, a variable update): retried by the policy.
 * - nonIdempotent: never repeated blind after an ambiguous failure; read back where the vendor allows it.
 */
export type ReplayClass = 'read' | 'idempotent' | 'nonIdempotent';

export type ReadBack = { tookEffect: true; value: unknown } | { tookEffect: false };

export interface RequestContext {
	/** The logged-in user's id, when the operation `needs` it. */
	currentUser?: string;
	/** A list's page size, for an API that takes it in the body rather than as a paging parameter (BAW's WLE task search). */
	pageSize?: number;
}

/** A call relative to the connection's base URL. */
export interface OperationRequest {
	method: HttpMethod;
	path: string;
	query?: ReadonlyArray<readonly [string, string]>;
	json?: unknown;
	/** An application/x-www-form-urlencoded body. */
	form?: ReadonlyArray<readonly [string, string]>;
	/** The whole body as given: a pushed document. */
	content?: { file: FileSource } | { text: string; contentType: string };
	headers?: ReadonlyArray<readonly [string, string]>;
	/** A file as one multipart part. */
	multipart?: { fieldName: string; file: FileSource };
	/** Binary answers (a download). */
	responseFormat?: 'json' | 'binary';
}

export type OutputShape =
	/** The JSON body, one item; `simplify` keeps the fields a workflow needs. */
	| { kind: 'object'; simplify?: readonly string[] }
	/** One item per element of a paged list. */
	| { kind: 'list'; simplify?: readonly string[] }
	/** What the operation says it did, from the values and the answer (a 204 has no body). */
	| { kind: 'result'; result(values: Values, response: HttpResponse): unknown }
	/** A file: n8n binary data, a Node-RED Buffer; `decode` reads one sent inside a JSON answer (Simplicité's publications). */
	| { kind: 'file'; decode?(body: unknown, values: Values): OutputFile };

/** Checked parameter values, by parameter name. A file parameter's value is a FileSource. */
export type Values = Readonly<Record<string, unknown>>;

export interface Parameter {
	name: string;
	displayName: string;
	description: string;
	type: ParameterType;
	required?: boolean;
	default?: string | number | boolean;
	placeholder?: string;
	/** For type options. */
	choices?: readonly Choice[];
	/** For type reference: the list its dropdown shows. */
	list?: string;
	/** For type form: where its fields come from. */
	form?: FormSource;
	/** Shown only when other parameters have one of these values. */
	showWhen?: Readonly<Record<string, ReadonlyArray<string | boolean>>>;
	/** Grouped under the operation's optional settings (n8n's Options collection). */
	optional?: boolean;
	/** Bounds for type number. */
	min?: number;
	max?: number;
}

/**
 * - reference: an id picked from a live list (n8n resource locator, Node-RED dropdown), or typed.
 * - form: fields built from server metadata (a contract), sent as one object.
 * - file: binary data of the item (n8n) or the message (Node-RED).
 */
export type ParameterType = 'string' | 'number' | 'boolean' | 'options' | 'json' | 'reference' | 'form' | 'file';

export interface Choice {
	value: string;
	name: string;
	description?: string;
}

/** The form's metadata is read with the operation `operation` of the catalogue, given the reference parameter's value. */
export interface FormSource {
	/** The parameter whose value identifies the form (the process or the task). */
	dependsOn: string;
	/** Which metadata: the vendor's form reader knows how to turn it into fields. */
	kind: string;
}

/** What prepare, readBack and onNotFound may do: further calls through the same connection and policy. */
export interface OperationSteps {
	call(request: OperationRequest, options?: { allowNotFound?: boolean }): Promise<HttpResponse>;
	readonly options: CallOptions;
	/** What the session keeps once learnt (a contract): `compute` runs once per key and session. */
	memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
	/** Files named by a form's or a parameter's value, as the runtime hands them over. */
	readonly files: FileResolver;
}
