import type { ICredentialTestRequest, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** IBM BAW's login and csrf token are handled by BPM Connect's engine; see core/schemes/baw.ts. */
export class BawApi implements ICredentialType {
	name = 'bawApi';

	displayName = 'IBM BAW API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#ibm-baw';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://baw.example.com:9443',
			description: 'The server root, without /bpm or /rest. On BAW on Cloud add the offering and environment (https://host/baw/dev); on Cloud Pak for Business Automation add /bas.',
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
		{
			displayName: 'Requested Lifetime (Seconds)',
			name: 'requestedLifetime',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 7200, numberPrecision: 0 },
			default: 7200,
			description: 'How long each login (csrf token) should last, at most 7200 seconds. BPM Connect logs in again shortly before it runs out.',
		},
		{
			displayName: 'Refresh Groups',
			name: 'refreshGroups',
			type: 'boolean',
			default: false,
			description: "Whether BAW should reload the user's group membership from the user registry at each login",
		},
	];

	/** The same login the engine performs: 201 with a csrf token when BAW accepts the account, 401 when it does not. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/bpm/system/login',
			method: 'POST',
			auth: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' },
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			body: {
				refresh_groups: '={{$credentials.refreshGroups === true}}',
				requested_lifetime: '={{Number($credentials.requestedLifetime) || 7200}}',
			},
		},
	};
}
