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
import { callSecrets, collectRequestPages, executeRequest, mapConcurrent, parsePagingSettings, type BpmFailure, type CollectedPages, type HttpResponse, type Outcome, type RequestInput } from '../../core';
import { readPaging } from './read-paging';
import { connectionFor } from './connection';
import { credentialTests } from '../shared/credential-tests';
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
		description: 'Send one HTTP request per item to Bonita, IBM BAW, Simplicité, Funnelback or any REST API, logged in with the chosen credential; returns the status code, headers and body',
		defaults: { name: 'BPM Request' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// One entry per engine scheme (REQUEST_SCHEMES, in menu order), written out: n8n's linters read this array
		// as a literal and the scanner crashes on a spread. The conformance test checks it against the engine.
		credentials: [
			{ name: 'bonitaApi', required: true, displayOptions: { show: { authentication: ['bonitaApi'] } } },
			{ name: 'bawApi', required: true, displayOptions: { show: { authentication: ['bawApi'] } } },
			{ name: 'simpliciteApi', required: true, displayOptions: { show: { authentication: ['simpliciteApi'] } } },
			{ name: 'funnelbackApi', required: true, displayOptions: { show: { authentication: ['funnelbackApi'] } } },
			// n8n's own generic credentials, as its HTTP Request node offers them (README, Generic authentication).
			/* eslint-disable @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references */
			{ name: 'httpBasicAuth', required: true, displayOptions: { show: { authentication: ['httpBasicAuth'] } } },
			{ name: 'httpDigestAuth', required: true, displayOptions: { show: { authentication: ['httpDigestAuth'] } } },
			{ name: 'httpBearerAuth', required: true, displayOptions: { show: { authentication: ['httpBearerAuth'] } } },
			{ name: 'httpHeaderAuth', required: true, displayOptions: { show: { authentication: ['httpHeaderAuth'] } } },
			{ name: 'httpCustomAuth', required: true, displayOptions: { show: { authentication: ['httpCustomAuth'] } } },
			/* eslint-enable @n8n/community-nodes/no-credential-reuse, @n8n/community-nodes/valid-credential-references */
			{ name: 'bpmClientCredentialsOAuth2Api', required: true, displayOptions: { show: { authentication: ['bpmClientCredentialsOAuth2Api'] } } },
			{ name: 'bpmAuthorizationCodeOAuth2Api', required: true, testedBy: 'bpmAuthorizationCodeOAuth2ApiTest', displayOptions: { show: { authentication: ['bpmAuthorizationCodeOAuth2Api'] } } },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties,
	};

	methods = { credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const concurrency = this.getNodeParameter('options.concurrency', 0, 8) as number;
		const { connection, release } = await connectionFor(this, authentication);
		try {
			const param = itemParameters(this);
			const inputs: Array<RequestInput | undefined> = [];
			const outcomes = await mapConcurrent(items, concurrency, async (_item, index): Promise<Outcome<HttpResponse | CollectedPages>> => {
				const input = await readInput(this, param, index);
				if ('kind' in input) return { ok: false, error: input };
				inputs[index] = input;
				let paging: ReturnType<typeof parsePagingSettings>;
				try {
					paging = parsePagingSettings(readPaging(param, index));
				} catch (error) {
					return { ok: false, error: { ...(error as BpmFailure).detail, attempts: 0, elapsedMs: 0 } };
				}
				return paging ? collectRequestPages(connection, input, paging) : executeRequest(connection, input);
			});
			const out: INodeExecutionData[] = [];
			for (const [index, outcome] of outcomes.entries()) {
				if (outcome.ok && isPaged(outcome.value)) {
					// As n8n's HTTP Request does with pagination: one item per element of every page, in order.
					for (const element of outcome.value.items) out.push({ json: (typeof element === 'object' && element !== null && !Array.isArray(element) ? element : { value: element }) as IDataObject, pairedItem: { item: index } });
				} else if (outcome.ok) {
					out.push(await toItem(this, outcome.value as HttpResponse, callSecrets(connection, inputs[index] ?? {}), index));
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

function isPaged(value: HttpResponse | CollectedPages): value is CollectedPages {
	return 'items' in value;
}
