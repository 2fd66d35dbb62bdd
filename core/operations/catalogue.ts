import type { PagingStyle } from '../paging/paging-style';
import type { FileSource } from '../http/http-types';
import type { Operation, OperationRequest, OperationSteps, RequestContext } from './operation';
import type { FormField } from './form-field';
import type { TriggerEvent } from '../triggers/trigger-event';

/** A vendor's operations, the lists its dropdowns show and the forms its servers describe. */
export interface Catalogue {
	/** The scheme id (core/schemes/vendors.ts): the credential and config node the operations use. */
	vendor: string;
	displayName: string;
	/** What its operations do, as a lower-case phrase: the Node-RED help's first sentence. */
	summary: string;
	/** What a user of this vendor's operations should know besides each operation's description (help paragraphs). */
	notes?: readonly string[];
	resources: readonly { value: string; name: string; description: string }[];
	operations: readonly Operation[];
	lists: Readonly<Record<string, ListSource>>;
	forms: Readonly<Record<string, FormReader>>;
	/** The logged-in user's id, for operations that need it; asked once per session. */
	currentUser?(steps: OperationSteps): Promise<string>;
	/** What its trigger nodes watch for, where the vendor's lists allow it. */
	triggers?: readonly TriggerEvent[];
}

export type ListSource = ServerListSource | ConfiguredListSource;

/** A dropdown's options, read from the server one page at a time with the user's filter text. */
export interface ServerListSource {
	/** `values`: the parameters named in `dependsOn`, as picked (the actions of the chosen business object). */
	request(filter: string, context: RequestContext, values: Readonly<Record<string, string>>): OperationRequest;
	needs?: readonly 'currentUser'[];
	/** Parameters whose value the list needs: the editors ask for them first. */
	dependsOn?: readonly string[];
	paging: PagingStyle;
	/**
	 * For options that sit inside one document rather than a paged list (the actions in Simplicité's OpenAPI
	 * document): the items, filtered by the user's text here since the server cannot. One call; `paging` is unused.
	 */
	items?(body: unknown, filter: string, values: Readonly<Record<string, string>>): unknown[];
	/** The option as the user sees it and the value stored. */
	option(item: Record<string, unknown>): ListOption;
}

/**
 * A dropdown whose options the user lists in the credential or config node, where the server has no call that
 * lists them (Funnelback's collections): the name of that setting.
 */
export interface ConfiguredListSource {
	configured: string;
}

export interface ListOption {
	name: string;
	value: string;
	description?: string;
}

/** Turns server metadata (a contract) into form fields, and the user's values into what the call sends. */
export interface FormReader {
	fields(steps: OperationSteps, id: string): Promise<FormField[]>;
	/** Checks and converts the given values; files are uploaded through `steps`. */
	value(steps: OperationSteps, id: string, given: Readonly<Record<string, unknown>>, files: FileResolver): Promise<unknown>;
}

/**
 * How a runtime hands over the file a field names: n8n reads the item's binary property, Node-RED a Buffer of
 * the message. Throws an input error naming the field when there is none.
 */
export type FileResolver = (reference: unknown, field: string) => Promise<FileSource>;

export function findOperation(catalogue: Catalogue, resource: string, operation: string): Operation | undefined {
	return catalogue.operations.find((entry) => entry.resource === resource && entry.operation === operation);
}
