import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { bonitaCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { executeOperations } from '../shared/operations/execute-operations';
import { operationMethods } from '../shared/operations/operation-methods';
import { operationProperties } from '../shared/operations/operation-properties';

/** Bonita's processes, cases, tasks, documents, business data, messages and users: every operation comes from core's catalogue. */
export class Bonita implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bonita',
		name: 'bonita',
		icon: { light: 'file:../../icons/bonita.svg', dark: 'file:../../icons/bonita.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Start Bonita cases, list, assign and execute human tasks with their contracts, attach documents and query business data',
		defaults: { name: 'Bonita' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'bonitaApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: operationProperties(bonitaCatalogue),
	};

	methods = { ...operationMethods(bonitaCatalogue), credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, bonitaCatalogue);
	}
}
