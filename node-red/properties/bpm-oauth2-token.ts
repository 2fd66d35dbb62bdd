import type { NodeProperties } from '../node-properties';

export const bpmOAuth2TokenProperties = {
	defaults: {
		name: { value: '' },
		/** A bpm-auth node whose scheme is one of the OAuth2 ones. */
		auth: { value: '', type: 'bpm-auth', required: true },
		operation: { value: 'clientCredentials', required: true, validate: /^(clientCredentials|authorizationUrl|authorizationCode|refreshToken)$/ },
		allowUnauthorizedCerts: { value: false },
		tls: { value: '', type: 'tls-config', required: false },
		proxy: { value: '', type: 'http proxy', required: false },
	},
} satisfies NodeProperties;
