import { baw } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerVendorConfigNode } from './vendor-config-node';

export = function (RED: NodeRedApi): void {
	registerVendorConfigNode(RED, baw.nodeRedConfig, () => baw, { username: { type: 'text' }, password: { type: 'password' } });
};
