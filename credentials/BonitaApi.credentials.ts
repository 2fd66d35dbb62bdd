import type { ICredentialTestRequest, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Bonita's session login is performed by BPM Connect's engine; see core/schemes/bonita.ts. */
export class BonitaApi implements ICredentialType {
	name = 'bonitaApi';

	displayName = 'Bonita API';

	icon: Icon = { light: 'file:../icons/bonita.svg', dark: 'file:../icons/bonita.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#bonita';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'http://localhost:8080/bonita',
			description: 'The Bonita web application URL, context path included',
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
	];

	/** The same form login the engine performs: 204 when Bonita accepts the account, 401 when it does not. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/loginservice',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: '=username={{encodeURIComponent($credentials.username)}}&password={{encodeURIComponent($credentials.password)}}&redirect=false',
		},
	};
}
