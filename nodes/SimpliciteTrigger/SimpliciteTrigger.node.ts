import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { simpliciteCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { operationMethods } from '../shared/operations/operation-methods';
import { pollTrigger } from '../shared/triggers/poll-trigger';
import { triggerProperties } from '../shared/triggers/trigger-properties';

/** Simplicité's record events, polled: each one emitted once, its cursor in the workflow's static data (the logic is core's). */
export class SimpliciteTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Simplicité Trigger',
		name: 'simpliciteTrigger',
		icon: { light: 'file:../../icons/simplicite.svg', dark: 'file:../../icons/simplicite.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a record of a Simplicité business object is created or updated',
		defaults: { name: 'Simplicité Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'simpliciteApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: triggerProperties(simpliciteCatalogue),
	};

	methods = { listSearch: operationMethods(simpliciteCatalogue).listSearch, credentialTest: credentialTests };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, simpliciteCatalogue);
	}
}
