import { isList, type Catalogue, type Parameter } from '../../core';
import { defaultTypedValue, type TypedValue } from './typed-value';

/** What the editor needs of a catalogue to draw its form: data only (the calls stay on the runtime). */
export interface EditorCatalogue {
	resources: Array<{ value: string; name: string; description: string }>;
	operations: EditorOperation[];
}

export interface EditorOperation {
	resource: string;
	operation: string;
	name: string;
	description: string;
	/** Each with the entry the runtime assumes when the node does not set it: what the dialog shows then. */
	parameters: Array<Parameter & { defaultEntry: TypedValue; listDependsOn?: readonly string[] }>;
	/** Return All and Limit apply. */
	paging: boolean;
	/** Simplify applies. */
	simplify: boolean;
	/** The output is a file (msg.payload a Buffer). */
	file: boolean;
}

/** The parameters a reference's list needs first: the dialog sends their values with the list request. */
function listDependencies(catalogue: Catalogue, parameter: Parameter): { listDependsOn?: readonly string[] } {
	const source = parameter.list ? catalogue.lists[parameter.list] : undefined;
	return source && 'dependsOn' in source && source.dependsOn ? { listDependsOn: source.dependsOn } : {};
}

export function editorCatalogue(catalogue: Catalogue): EditorCatalogue {
	return {
		resources: catalogue.resources.map(({ value, name, description }) => ({ value, name, description })),
		operations: catalogue.operations.map((operation) => ({
			resource: operation.resource,
			operation: operation.operation,
			name: operation.name,
			description: operation.description,
			parameters: operation.parameters.map((parameter) => ({ ...parameter, defaultEntry: defaultTypedValue(parameter), ...listDependencies(catalogue, parameter) })),
			paging: isList(operation),
			simplify: (operation.output.kind === 'list' || operation.output.kind === 'object') && operation.output.simplify !== undefined,
			file: operation.output.kind === 'file',
		})),
	};
}
