import type { ICredentialTestRequest, Icon, ICredentialType, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';

const BY_TOKEN = '$credentials.authMode === "applicationToken"';

/**
 * Funnelback's admin API login (or a non-expiring application token) is handled by BPM Connect's
 * engine; see core/schemes/funnelback.ts.
 */
export class FunnelbackApi implements ICredentialType {
	name = 'funnelbackApi';

	displayName = 'Funnelback API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#funnelback';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://search.example.com:8443',
			description: 'The Funnelback server that serves the admin API (/admin-api) and the search API (/s), without a path',
		},
		{
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			options: [
				{
					name: 'Username and Password',
					value: 'login',
					description: 'Log in to the admin API for a login token, and again when it expires',
				},
				{
					name: 'Application Token',
					value: 'applicationToken',
					description: 'A non-expiring application token, sent as is; no login',
				},
			],
			default: 'login',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['login'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMode: ['login'] } },
		},
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A non-expiring token created with the application-tokens admin API; a revoked token is reported, never replaced',
			displayOptions: { show: { authMode: ['applicationToken'] } },
		},
		{
			displayName: 'Collections',
			name: 'collections',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'client~sp-intranet',
			description: 'The collections (search packages, push data sources) the Funnelback node lists, one per line: Funnelback has no call that lists them. Any other can still be typed.',
		},
	];

	/**
	 * One request serves both modes. With a password it is the engine's own form login (200 and a token,
	 * or 401). With an application token there is nothing to log in with, so it reads the caller's own
	 * application token list, which any valid token may read and a revoked or wrong one gets 401 for.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: `={{${BY_TOKEN} ? "/admin-api/application-tokens/v1/application-tokens" : "/admin-api/account/v1/login"}}`,
			// n8n resolves every field of a test request as an expression, the method included.
			method: `={{${BY_TOKEN} ? "GET" : "POST"}}` as IHttpRequestMethods,
			headers: {
				'Content-Type': `={{${BY_TOKEN} ? undefined : "application/x-www-form-urlencoded"}}`,
				'X-Security-Token': `={{${BY_TOKEN} ? $credentials.applicationToken.trim() : undefined}}`,
			},
			body: `={{${BY_TOKEN} ? undefined : "username=" + encodeURIComponent($credentials.username) + "&password=" + encodeURIComponent($credentials.password)}}`,
		},
	};
}
