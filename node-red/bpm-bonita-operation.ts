import { bonitaCatalogue, bonita } from '../core';
import type { NodeRedApi } from './node-red-api';
import { registerOperationNode } from './operations/register-operation-node';

export = function (RED: NodeRedApi): void {
	registerOperationNode(RED, 'bpm-bonita-operation', bonitaCatalogue, bonita.nodeRedConfig);
};
