import { genericSchemeFor } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';
import { bpmAuthProperties } from './properties/bpm-auth';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(
		RED,
		'bpm-auth',
		genericSchemeFor,
		bpmAuthProperties,
		// A Node-RED node's "name" is its label, so the header name lives in headerName and is renamed for the parser.
		(config, credentials) => ({ ...config, ...credentials, name: config.headerName }),
	);
};
