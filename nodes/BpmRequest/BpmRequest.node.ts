import {
	NodeApiError,
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type JsonObject,
} from 'n8n-workflow';
import { callSecrets, executeRequest, mapConcurrent, REQUEST_SCHEMES, type HttpResponse, type RequestInput, type Outcome } from '../../core';
import { connectionFor } from './connection';
import { readInput } from './read-input';
import { itemParameters } from '../shared/item-parameters';
import { properties } from './properties';
import { toItem } from './to-item';

export class BpmRequest implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BPM Request',
		name: 'bpmRequest',
		icon: { light: 'file:../../icons/bpm.svg', dark: 'file:../../icons/bpm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
		description: 'Call Bonita, IBM BAW, Simplicité, Funnelback or any REST API with managed logins, Digest and OAuth2',
		defaults: { name: 'BPM Request' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			...REQUEST_SCHEMES.map((scheme) => ({
				name: scheme.n8nCredential,
				required: true,
				displayOptions: { show: { authentication: [scheme.n8nCredential] } },
			})),
			{ name: 'bpmConnectionApi', required: true, displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const concurrency = this.getNodeParameter('options.concurrency', 0, 8) as number;
		const { connection, release } = await connectionFor(this, authentication);
		try {
			const param = itemParameters(this);
			const inputs: Array<RequestInput | undefined> = [];
			const outcomes = await mapConcurrent(items, concurrency, async (_item, index): Promise<Outcome<HttpResponse>> => {
				const input = await readInput(this, param, index);
				if ('kind' in input) return { ok: false, error: input };
				inputs[index] = input;
				return executeRequest(connection, input);
			});
			const out: INodeExecutionData[] = [];
			for (const [index, outcome] of outcomes.entries()) {
				if (outcome.ok) {
					out.push(await toItem(this, outcome.value, callSecrets(connection, inputs[index] ?? {}), index));
				} else if (this.continueOnFail()) {
					// json.error alone (no item.error) routes the item to the Error output with every field kept.
					out.push({ json: { error: outcome.error as unknown as IDataObject }, pairedItem: { item: index } });
				} else {
					throw new NodeApiError(this.getNode(), outcome.error as unknown as JsonObject, {
						message: outcome.error.message,
						httpCode: outcome.error.status ? String(outcome.error.status) : undefined,
						itemIndex: index,
					});
				}
			}
			if (this.getNodeParameter('options.logoutAfterRun', 0, false)) await connection.logout?.();
			return [out];
		} finally {
			release();
		}
	}
}
