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
import { createAuthorizationRequest, createTransport, requestOAuth2Token, type CallOptions, type OAuth2Operation, type Outcome } from '../../core';
import { connectionCredential } from '../shared/connection-credential';
import { credentialTests } from '../shared/credential-tests';
import { CONNECTION_OPTIONS, USE_CONNECTION_CREDENTIAL } from '../shared/connection-options';

const CLIENT_FLOW_CREDENTIAL = 'bpmClientCredentialsOAuth2Api';
const CODE_FLOW_CREDENTIAL = 'bpmAuthorizationCodeOAuth2Api';

/** n8n's fixed menu of what the node does; the engine's operations plus the login link. */
const OPERATIONS: Array<{ name: string; value: OAuth2Operation | 'authorizationUrl'; description: string; action: string }> = [
	{ name: 'Client Credentials Token', value: 'clientCredentials', description: 'Get an access token for the client itself', action: 'Get a client credentials token' },
	{ name: 'Authorization URL', value: 'authorizationUrl', description: 'Create a PKCE verifier and the login link to send a user to', action: 'Create an authorization URL' },
	{ name: 'Exchange Code', value: 'authorizationCode', description: 'Trade the code the redirect brought back, and its verifier, for tokens', action: 'Exchange an authorization code' },
	{ name: 'Refresh Token', value: 'refreshToken', description: 'Get a new access token with a refresh token', action: 'Refresh an access token' },
];

export class BpmOAuth2Token implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'BPM OAuth2 Token',
		name: 'bpmOAuth2Token',
		icon: { light: 'file:../../icons/bpm.svg', dark: 'file:../../icons/bpm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description: 'Get OAuth2 tokens (client credentials, authorization code with PKCE, refresh) for BPM Request or any node',
		defaults: { name: 'BPM OAuth2 Token' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: CLIENT_FLOW_CREDENTIAL, required: true, displayOptions: { show: { operation: ['clientCredentials'] } } },
			{ name: CODE_FLOW_CREDENTIAL, required: true, testedBy: 'bpmAuthorizationCodeOAuth2ApiTest', displayOptions: { show: { operation: ['authorizationUrl', 'authorizationCode', 'refreshToken'] } } },
			{ name: 'bpmConnectionApi', required: true, testedBy: 'bpmConnectionApiTest', displayOptions: { show: { useConnectionCredential: [true] } } },
		],
		properties: [
			{
				displayName: 'Tokens are secrets: keep them in the execution only. Do not pin this node\'s output (pinned data is saved with the workflow) and do not write tokens to static data or a database.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{ displayName: 'Operation', name: 'operation', type: 'options', noDataExpression: true, options: OPERATIONS, default: 'clientCredentials' },
			{
				displayName: 'Code',
				name: 'code',
				type: 'string',
				typeOptions: { password: true },
				default: '={{ $json.query?.code }}',
				required: true,
				description: 'The code the identity provider sent to the redirect URI (a Webhook node puts it in query.code)',
				displayOptions: { show: { operation: ['authorizationCode'] } },
			},
			{
				displayName: 'Code Verifier',
				name: 'codeVerifier',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				required: true,
				description: 'The verifier the Authorization URL operation created for this login',
				displayOptions: { show: { operation: ['authorizationCode'] } },
			},
			{
				displayName: 'Refresh Token',
				name: 'refreshToken',
				type: 'string',
				typeOptions: { password: true },
				default: '={{ $json.refreshToken }}',
				description: "Empty: the credential's refresh token",
				displayOptions: { show: { operation: ['refreshToken'] } },
			},
			USE_CONNECTION_CREDENTIAL,
			{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: CONNECTION_OPTIONS },
		],
	};

	methods = { credentialTest: credentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const transport = createTransport();
		const out: INodeExecutionData[] = [];
		try {
			for (let index = 0; index < items.length; index++) {
				const operation = this.getNodeParameter('operation', index) as OAuth2Operation | 'authorizationUrl';
				const fields: Record<string, unknown> = { ...(await this.getCredentials(operation === 'clientCredentials' ? CLIENT_FLOW_CREDENTIAL : CODE_FLOW_CREDENTIAL, index)) };
				for (const name of ['code', 'codeVerifier', 'refreshToken'] as const) {
					const value = this.getNodeParameter(name, index, '') as string;
					if (value) fields[name] = value;
				}
				const options = { ...(this.getNodeParameter('options', index, {}) as CallOptions), ...(this.getNodeParameter('useConnectionCredential', index, false) ? await connectionCredential(this, index) : {}) };
				const outcome: Outcome<IDataObject> = operation === 'authorizationUrl' ? createAuthorizationRequest(fields) : await requestOAuth2Token(operation, fields, transport, options);
				if (outcome.ok) {
					out.push({ json: outcome.value, pairedItem: { item: index } });
				} else if (this.continueOnFail()) {
					out.push({ json: { error: outcome.error as unknown as IDataObject }, pairedItem: { item: index } });
				} else {
					throw new NodeApiError(this.getNode(), outcome.error as unknown as JsonObject, { message: outcome.error.message, itemIndex: index });
				}
			}
			return [out];
		} finally {
			transport.close();
		}
	}
}
