import type { NodeRedApi } from './node-red-api';
import { registerWatchNode } from './triggers/register-watch-node';
import { WATCH_NODES } from './triggers/watch-nodes';

/** One node set for the vendors' watch nodes: each is its catalogue's events on the same runtime. */
export = function (RED: NodeRedApi): void {
	for (const [type, node] of Object.entries(WATCH_NODES)) registerWatchNode(RED, type, node.catalogue, node.configType);
};
