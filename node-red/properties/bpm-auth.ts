import type { NodeProperties } from '../node-properties';

const OPTIONAL_URL = /^(|https?:\/\/[^#]+)$/;
const secret = { type: 'password' } as const;

export const bpmAuthProperties = {
	defaults: {
		name: { value: '' },
		scheme: { value: 'basic', required: true, validate: /^(basic|digest|bearer|header|customHeaders|oauth2ClientCredentials|oauth2AuthorizationCode)$/ },
		baseUrl: { value: '', validate: /^(|https?:\/\/[^?#]+)$/ },
		/** A Node-RED node's "name" is its label, so the API key header's name lives here. */
		headerName: { value: '' },
		tokenUrl: { value: '', validate: OPTIONAL_URL },
		authorizationUrl: { value: '', validate: OPTIONAL_URL },
		clientId: { value: '' },
		clientAuthentication: { value: 'basic', validate: /^(basic|body)$/ },
		scope: { value: '' },
		audience: { value: '' },
		redirectUri: { value: '' },
	},
	credentials: { user: { type: 'text' }, password: secret, token: secret, value: secret, json: secret, clientSecret: secret, code: secret, codeVerifier: secret, refreshToken: secret },
} satisfies NodeProperties;
