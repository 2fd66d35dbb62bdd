import { simplicite } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerVendorConfigNode } from './vendor-config-node';

export = function (RED: NodeRedApi): void {
	registerVendorConfigNode(RED, simplicite.nodeRedConfig, () => simplicite, { username: { type: 'text' }, password: { type: 'password' } });
};
