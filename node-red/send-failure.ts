import type { BpmError } from '../core';
import type { NodeDef, NodeMessage, RuntimeNode } from './node-red-api';

type Send = (msgs: Array<NodeMessage | null>) => void;

/**
 * A failed message leaves by the second output with msg.error; when that output is unwired it goes to
 * Catch nodes instead of vanishing.
 */
export function failureSender(node: RuntimeNode, config: NodeDef) {
	const errorOutputWired = (config.wires?.[1]?.length ?? 0) > 0;
	return (msg: NodeMessage, send: Send, done: (error?: Error) => void, error: BpmError): void => {
		msg.error = { ...error, source: { id: node.id, type: node.type, name: node.name } };
		if (errorOutputWired) {
			send([null, msg]);
			done();
		} else {
			done(new Error(error.message));
		}
	};
}
