import { baw } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';
import { bpmBawProperties } from './properties/vendor-servers';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, baw.nodeRedConfig, () => baw, bpmBawProperties);
};
