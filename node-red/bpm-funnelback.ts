import { funnelback } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerVendorConfigNode } from './vendor-config-node';

export = function (RED: NodeRedApi): void {
	registerVendorConfigNode(RED, funnelback.nodeRedConfig, () => funnelback, { username: { type: 'text' }, password: { type: 'password' }, applicationToken: { type: 'password' } });
};
