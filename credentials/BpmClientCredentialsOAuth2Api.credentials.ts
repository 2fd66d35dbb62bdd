import type { ICredentialTestRequest, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

const IN_BODY = '$credentials.clientAuthentication === "body"';

/**
 * OAuth2 client credentials for BPM Connect's engine, which owns the token: cached per credential,
 * renewed single-flight before it expires, renewed once on a 401, fetched through the node's TLS and
 * proxy settings. n8n's own OAuth2 credential keeps its token for n8n's HTTP helpers instead.
 */
export class BpmClientCredentialsOAuth2Api implements ICredentialType {
	name = 'bpmClientCredentialsOAuth2Api';

	displayName = 'BPM Connect Client Credentials OAuth2 API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#generic-authentication';

	properties: INodeProperties[] = [
		{ displayName: 'Access Token URL', name: 'tokenUrl', type: 'string', default: '', required: true, placeholder: 'https://idp.example.com/oauth2/token' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', required: true },
		{
			displayName: 'Send Client Credentials',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{ name: 'As Basic Auth Header', value: 'basic', description: 'RFC 6749 client_secret_basic: ID and secret form-encoded, then Base64' },
				{ name: 'In the Body', value: 'body', description: 'client_secret_post, for servers that do not decode the Basic header' },
			],
			default: 'basic',
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '', description: 'Space-separated scopes, if the server needs them' },
		{ displayName: 'Audience', name: 'audience', type: 'string', default: '', description: 'The audience parameter some servers (Auth0, Okta) require' },
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.example.com',
			description: 'When set, the token is sent only to this origin and relative URLs resolve against it',
		},
	];

	/** The same client_credentials request the engine makes, so Test checks the ID, secret and scope. */
	test: ICredentialTestRequest = {
		request: {
			url: '={{$credentials.tokenUrl}}',
			method: 'POST',
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Authorization: `={{${IN_BODY} ? undefined : "Basic " + (encodeURIComponent($credentials.clientId) + ":" + encodeURIComponent($credentials.clientSecret)).base64Encode()}}`,
			},
			body: `={{"grant_type=client_credentials" + (${IN_BODY} ? "&client_id=" + encodeURIComponent($credentials.clientId) + "&client_secret=" + encodeURIComponent($credentials.clientSecret) : "") + ($credentials.scope ? "&scope=" + encodeURIComponent($credentials.scope) : "") + ($credentials.audience ? "&audience=" + encodeURIComponent($credentials.audience) : "")}}`,
		},
	};
}
