import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { simpliciteCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { executeOperations } from '../shared/operations/execute-operations';
import { operationMethods } from '../shared/operations/operation-methods';
import { operationProperties } from '../shared/operations/operation-properties';

/** Simplicité's business object records, their actions and publications: every operation comes from core's catalogue. */
export class Simplicite implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Simplicité',
		name: 'simplicite',
		icon: { light: 'file:../../icons/simplicite.svg', dark: 'file:../../icons/simplicite.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Search, count, create, update and delete Simplicité business object records, run their actions and get their publications',
		defaults: { name: 'Simplicité' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'simpliciteApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: operationProperties(simpliciteCatalogue),
	};

	methods = { ...operationMethods(simpliciteCatalogue), credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, simpliciteCatalogue);
	}
}
