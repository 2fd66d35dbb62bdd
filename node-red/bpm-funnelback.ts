import { funnelback } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerAuthConfigNode } from './auth-config-node';
import { bpmFunnelbackProperties } from './properties/vendor-servers';

export = function (RED: NodeRedApi): void {
	registerAuthConfigNode(RED, funnelback.nodeRedConfig, () => funnelback, bpmFunnelbackProperties);
};
