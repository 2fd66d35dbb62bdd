import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { bawCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { operationMethods } from '../shared/operations/operation-methods';
import { pollTrigger } from '../shared/triggers/poll-trigger';
import { triggerProperties } from '../shared/triggers/trigger-properties';

/** IBM BAW's events, polled: each one emitted once, its cursor in the workflow's static data (the logic is core's). */
export class BawTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IBM BAW Trigger',
		name: 'bawTrigger',
		icon: { light: 'file:../../icons/baw.svg', dark: 'file:../../icons/baw.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when an IBM BAW task becomes ready or is assigned to me',
		defaults: { name: 'IBM BAW Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'bawApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: triggerProperties(bawCatalogue),
	};

	methods = { listSearch: operationMethods(bawCatalogue).listSearch, credentialTest: credentialTests };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, bawCatalogue);
	}
}
