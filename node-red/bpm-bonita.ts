import { bonita } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';
import { bpmBonitaProperties } from './properties/vendor-servers';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, bonita.nodeRedConfig, () => bonita, bpmBonitaProperties);
};
