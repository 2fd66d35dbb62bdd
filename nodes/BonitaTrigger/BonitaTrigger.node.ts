import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { bonitaCatalogue } from '../../core';
import { credentialTests } from '../shared/credential-tests';
import { operationMethods } from '../shared/operations/operation-methods';
import { pollTrigger } from '../shared/triggers/poll-trigger';
import { triggerProperties } from '../shared/triggers/trigger-properties';

/** Bonita's events, polled: each one emitted once, its cursor in the workflow's static data (the logic is core's). */
export class BonitaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bonita Trigger',
		name: 'bonitaTrigger',
		icon: { light: 'file:../../icons/bonita.svg', dark: 'file:../../icons/bonita.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"]}}',
		description: 'Starts the workflow when a Bonita task becomes ready or is assigned to me, or a case starts or ends',
		defaults: { name: 'Bonita Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'bonitaApi', required: true },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: triggerProperties(bonitaCatalogue),
	};

	methods = { listSearch: operationMethods(bonitaCatalogue).listSearch, credentialTest: credentialTests };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, bonitaCatalogue);
	}
}
