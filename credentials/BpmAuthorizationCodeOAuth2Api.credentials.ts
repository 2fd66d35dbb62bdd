import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * OAuth2 authorization code with PKCE for BPM Connect's engine. A user logs in once through the BPM
 * OAuth2 Token node's Authorization URL operation; the refresh token (or a fresh code and its
 * verifier) goes here, and the engine refreshes the access token in memory as it expires. The nodes' test
 * (`testedBy`, nodes/shared/credential-tests.ts) checks the client without spending a code or a refresh token.
 */
export class BpmAuthorizationCodeOAuth2Api implements ICredentialType {
	name = 'bpmAuthorizationCodeOAuth2Api';

	displayName = 'BPM Connect Authorization Code OAuth2 API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#generic-authentication';

	properties: INodeProperties[] = [
		{ displayName: 'Authorization URL', name: 'authorizationUrl', type: 'string', default: '', placeholder: 'https://idp.example.com/oauth2/authorize', description: 'Used by the BPM OAuth2 Token node to build the login link' },
		{ displayName: 'Access Token URL', name: 'tokenUrl', type: 'string', default: '', required: true, placeholder: 'https://idp.example.com/oauth2/token' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', description: 'Leave empty for a public client: PKCE protects the code' },
		{
			displayName: 'Send Client Credentials',
			name: 'clientAuthentication',
			type: 'options',
			options: [
				{ name: 'As Basic Auth Header', value: 'basic' },
				{ name: 'In the Body', value: 'body' },
			],
			default: 'basic',
		},
		{ displayName: 'Redirect URI', name: 'redirectUri', type: 'string', default: '', required: true, placeholder: 'https://n8n.example.com/webhook/oauth2-callback' },
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '', description: 'Space-separated; add offline_access where the server needs it for a refresh token' },
		{ displayName: 'Refresh Token', name: 'refreshToken', type: 'string', typeOptions: { password: true }, default: '', description: 'From the first code exchange; used to get access tokens without a new login' },
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a code (with its verifier) buys a token
		{ displayName: 'Authorization Code', name: 'code', type: 'string', typeOptions: { password: true }, default: '', description: 'Used when there is no refresh token; a code works once' },
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the PKCE verifier is what proves the code is ours
		{ displayName: 'Code Verifier', name: 'codeVerifier', type: 'string', typeOptions: { password: true }, default: '', description: 'The PKCE verifier created with the authorization URL' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '', placeholder: 'https://api.example.com', description: 'When set, the token is sent only to this origin and relative URLs resolve against it' },
	];
}
