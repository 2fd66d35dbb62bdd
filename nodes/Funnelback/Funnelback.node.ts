import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { funnelbackCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { executeOperations } from '../shared/operations/execute-operations';
import { operationMethods } from '../shared/operations/operation-methods';
import { operationProperties } from '../shared/operations/operation-properties';

/** Funnelback (Squiz DXP Search): search, push documents, application tokens; every operation comes from core's catalogue. */
export class Funnelback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Funnelback',
		name: 'funnelback',
		icon: { light: 'file:../../icons/funnelback.svg', dark: 'file:../../icons/funnelback.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Search Funnelback collections with facets, push and delete documents in a push index, and manage application tokens',
		defaults: { name: 'Funnelback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'funnelbackApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: operationProperties(funnelbackCatalogue),
	};

	methods = { ...operationMethods(funnelbackCatalogue), credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeOperations(this, funnelbackCatalogue);
	}
}
