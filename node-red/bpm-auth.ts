import { genericSchemeFor } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';

const secret = { type: 'password' } as const;

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(
		RED,
		'bpm-auth',
		genericSchemeFor,
		{ user: { type: 'text' }, password: secret, token: secret, value: secret, json: secret, clientSecret: secret, code: secret, codeVerifier: secret, refreshToken: secret },
		// A Node-RED node's "name" is its label, so the header name lives in headerName and is renamed for the parser.
		(config, credentials) => ({ ...config, ...credentials, name: config.headerName }),
	);
};
