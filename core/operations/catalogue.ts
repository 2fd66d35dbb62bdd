import type { PagingStyle } from '../paging/paging-style';
import type { FileSource } from '../http/http-types';
import type { Operation, OperationRequest, OperationSteps, RequestContext } from './operation';
import type { FormField } from './form-field';

/** A vendor's operations, the lists its dropdowns show and the forms its servers describe. */
export interface Catalogue {
	/** The scheme id (core/schemes/vendors.ts): the credential and config node the operations use. */
	vendor: string;
	displayName: string;
	resources: readonly { value: string; name: string; description: string }[];
	operations: readonly Operation[];
	lists: Readonly<Record<string, ListSource>>;
	forms: Readonly<Record<string, FormReader>>;
	/** The logged-in user's id, for operations that need it; asked once per session. */
	currentUser?(steps: OperationSteps): Promise<string>;
}

/** A dropdown's options, read from the server one page at a time with the user's filter text. */
export interface ListSource {
	request(filter: string, context: RequestContext): OperationRequest;
	needs?: readonly 'currentUser'[];
	paging: PagingStyle;
	/** The option as the user sees it and the value stored. */
	option(item: Record<string, unknown>): ListOption;
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
