import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { bawCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { executeOperations } from '../shared/operations/execute-operations';
import { operationMethods } from '../shared/operations/operation-methods';
import { operationProperties } from '../shared/operations/operation-properties';

/** IBM Business Automation Workflow's processes, instances and tasks: every operation comes from core's catalogue. */
export class Baw implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IBM BAW',
		name: 'baw',
		icon: { light: 'file:../../icons/baw.svg', dark: 'file:../../icons/baw.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Start IBM Business Automation Workflow processes, list, claim and complete tasks with their data, and search instances',
		defaults: { name: 'IBM BAW' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'bawApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: operationProperties(bawCatalogue),
	};

	methods = { ...operationMethods(bawCatalogue), credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, bawCatalogue);
	}
}
