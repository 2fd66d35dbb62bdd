import { simplicite } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';
import { bpmSimpliciteProperties } from './properties/vendor-servers';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, simplicite.nodeRedConfig, () => simplicite, bpmSimpliciteProperties);
};
