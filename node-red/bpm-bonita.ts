import { bonita } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, bonita.nodeRedConfig, () => bonita, { username: { type: 'text' }, password: { type: 'password' } });
};
