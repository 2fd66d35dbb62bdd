import { isResourceLocatorValue, NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { findOperation, isList, runOperation, type BpmError, type Catalogue, type FileResolver, type Operation, type OperationInput } from '../../../core';
import { binaryFile } from '../binary-file';
import { optionalCollection } from './operation-properties';
import { requestOptions, vendorConnection } from './vendor-connection';

/** A vendor node's execute: each item runs the chosen operation through core; every item comes out once, as output or error. */
export async function executeOperations(context: IExecuteFunctions, catalogue: Catalogue): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const connection = await vendorConnection(context, catalogue);
	const out: INodeExecutionData[] = [];
	for (let index = 0; index < items.length; index++) {
		const resource = context.getNodeParameter('resource', index) as string;
		const name = context.getNodeParameter('operation', index) as string;
		const operation = findOperation(catalogue, resource, name);
		if (!operation) throw new NodeOperationError(context.getNode(), `${catalogue.displayName} has no operation ${resource} ${name}`, { itemIndex: index });
		// Not n8n's extractValue: it throws for a parameter the panel does not show (Simplify of a write, Limit under
		// Return All, a User hidden by Assign To), and a locator's mode needs no extraction here.
		const read = (parameter: string, fallback: unknown) => locatorValue(context.getNodeParameter(parameter, index, fallback));
		let input: OperationInput;
		try {
			input = await operationInput(context, operation, items[index], index, read);
		} catch (error) {
			handleError(context, out, index, { kind: 'input', message: (error as Error).message, attempts: 0, elapsedMs: 0 });
			continue;
		}
		const outcome = await runOperation(connection, catalogue, operation, input);
		if (!outcome.ok) {
			handleError(context, out, index, outcome.error);
			continue;
		}
		for (const item of outcome.value.items) {
			const binaryProperty = String(read('binaryPropertyName', 'data'));
			out.push({
				json: item.json as IDataObject,
				...(item.file ? { binary: { [binaryProperty]: await context.helpers.prepareBinaryData(item.file.data, item.file.fileName, item.file.contentType) } } : {}),
				pairedItem: { item: index },
			});
		}
	}
	if (context.getNodeParameter('requestOptions.logoutAfterRun', 0, false)) await connection.logout?.();
	return [out];
}

/** The item's values for the operation's parameters, read as its properties were rendered (operationProperties). */
async function operationInput(context: IExecuteFunctions, operation: Operation, item: INodeExecutionData, index: number, read: (name: string, fallback: unknown) => unknown): Promise<OperationInput> {
	const collection = optionalCollection(operation).name;
	const values: Record<string, unknown> = {};
	for (const parameter of operation.parameters) {
		const name = parameter.optional ? `${collection}.${parameter.name}` : parameter.name;
		values[parameter.name] = parameter.type === 'form' ? formValue(context, parameter.name, item, index) : read(name, '');
	}
	const files: FileResolver = async (reference, field) => {
		if (typeof reference !== 'string' || reference.trim() === '') throw new Error(`${field}: name the input binary field that holds the file`);
		return binaryFile(context, index, reference.trim());
	};
	return {
		values,
		files,
		options: await requestOptions(context, read),
		...(isList(operation) ? { paging: { returnAll: read('returnAll', false) === true, limit: Number(read('limit', 50)) } } : {}),
		simplify: read('simplify', true) !== false,
	};
}

/** The resource mapper's values: as mapped below, or the item's own fields that match the form (Map Automatically). */
function formValue(context: IExecuteFunctions, name: string, item: INodeExecutionData, index: number): Record<string, unknown> {
	const mapping = context.getNodeParameter(name, index, { mappingMode: 'defineBelow', value: null }) as { mappingMode?: string; value?: Record<string, unknown> | null; schema?: Array<{ id: string; removed?: boolean }> };
	if (mapping.mappingMode === 'autoMapInputData') {
		const fields = new Set((mapping.schema ?? []).filter((field) => !field.removed).map((field) => field.id));
		return Object.fromEntries(Object.entries(item.json).filter(([key]) => fields.has(key)));
	}
	// The mapper keeps a removed or emptied field as null: not given.
	return Object.fromEntries(Object.entries(mapping.value ?? {}).filter(([, value]) => value !== null && value !== undefined && value !== ''));
}

/** A resource locator's id (From List or By ID); any other value as it is. */
export function locatorValue(value: unknown): unknown {
	return isResourceLocatorValue(value) ? value.value : value;
}

function handleError(context: IExecuteFunctions, out: INodeExecutionData[], index: number, error: BpmError): void {
	if (context.continueOnFail()) {
		out.push({ json: { error: error as unknown as IDataObject }, pairedItem: { item: index } });
		return;
	}
	throw new NodeApiError(context.getNode(), error as unknown as JsonObject, { message: error.message, httpCode: error.status ? String(error.status) : undefined, itemIndex: index });
}
