import type { NodeRedApi } from './node-red-api';
import { OPERATION_NODES } from './operations/operation-nodes';
import { registerOperationNode } from './operations/register-operation-node';

/** One node set for the vendors' operation nodes: each is its catalogue on the same runtime. */
export = function (RED: NodeRedApi): void {
	for (const [type, node] of Object.entries(OPERATION_NODES)) registerOperationNode(RED, type, node.catalogue, node.configType);
};
