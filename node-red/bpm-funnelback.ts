import { funnelback } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, funnelback.nodeRedConfig, () => funnelback, { username: { type: 'text' }, password: { type: 'password' }, applicationToken: { type: 'password' } });
};
