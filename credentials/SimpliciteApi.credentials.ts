import type { ICredentialTestRequest, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Simplicité's token login is performed by BPM Connect's engine; see core/schemes/simplicite.ts. */
export class SimpliciteApi implements ICredentialType {
	name = 'simpliciteApi';

	displayName = 'Simplicité API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#simplicit%C3%A9';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://demo.example.com',
			description: 'The Simplicité application URL, context path included but without /api (the API is at <Base URL>/api)',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		// A choice of header or parameter, not a secret: the rule only sees "token" in the name.
		// eslint-disable-next-line @n8n/community-nodes/credential-password-field
		{
			displayName: 'Token Transport',
			name: 'tokenTransport',
			type: 'options',
			default: 'header',
			description: 'How each call carries the token obtained at login',
			options: [
				{
					name: 'X-Simplicite-Authorization Header',
					value: 'header',
					description: 'Sends X-Simplicite-Authorization: Bearer and the token, the header Simplicité recommends',
				},
				{
					name: 'Authorization: Bearer Header',
					value: 'bearer',
					description: 'Sends Authorization: Bearer and the token',
				},
				{
					name: 'URL Parameter',
					value: 'parameter',
					description: 'Adds the token as the _x_simplicite_authorization_ query parameter, for proxies that strip headers',
				},
			],
		},
		{
			displayName: 'Simplicité 3.x',
			name: 'v3Mode',
			type: 'boolean',
			default: false,
			description: 'Whether the server is Simplicité 3.x, where the token is only valid with the JSESSIONID cookie of its login. Cookies are kept in every mode; this one also checks that the login sets JSESSIONID.',
		},
	];

	/** The same Basic login the engine performs: 200 with a token when Simplicité accepts the account, 401 when it does not. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/api/login',
			method: 'GET',
			qs: { _json: 'true' },
			headers: { Accept: 'application/json' },
			auth: {
				username: '={{$credentials.username}}',
				password: '={{$credentials.password}}',
			},
		},
	};
}
