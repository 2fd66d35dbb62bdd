import { findOperation, runOperation, type BpmError, type Catalogue, type OperationResult } from '../../core';
import type { AuthConfigNode } from '../auth-config-node';
import { callOptionsOf } from '../call-settings';
import type { NodeDef, NodeMessage, NodeRedApi, RuntimeNode } from '../node-red-api';
import { withDefaults } from '../node-properties';
import { failureSender } from '../send-failure';
import { evaluateParameters, messageFiles } from './evaluate-parameters';
import { registerOperationEndpoints } from './operation-endpoints';
import { operationNodeProperties } from './operation-node-properties';
import type { TypedValue } from './typed-value';

/**
 * A vendor's operation node: the operation the dialog chose, its parameters evaluated per message, run by core.
 * Success leaves by output 1 with the result in msg.payload; failure by output 2 with msg.error (or to Catch).
 */
export function registerOperationNode(RED: NodeRedApi, type: string, catalogue: Catalogue, configType: string): void {
	const properties = operationNodeProperties(catalogue, configType);
	registerOperationEndpoints(RED, type, catalogue, configType);
	RED.nodes.registerType(type, function (this: RuntimeNode, flowConfig: NodeDef) {
		RED.nodes.createNode(this, flowConfig);
		const config = withDefaults(properties, flowConfig);
		const server = config.server ? (RED.nodes.getNode(String(config.server)) as AuthConfigNode | null) : null;
		const operation = findOperation(catalogue, String(config.resource), String(config.operation));
		const sendFailure = failureSender(this, config);
		const options = callOptionsOf(RED, config);
		const problem = !server?.connection ? (server?.configError ?? `The ${catalogue.displayName} server configuration is missing`) : !operation ? `${catalogue.displayName} has no operation ${String(config.resource)} ${String(config.operation)}` : undefined;
		if (problem) this.status({ fill: 'red', shape: 'ring', text: `${type}.status.config-error` });

		this.on('input', (msg, send, done) => {
			const fail = (error: BpmError) => sendFailure(msg, send, done, error);
			if (problem || !operation || !server?.connection) return fail({ kind: 'input', field: server?.connection ? 'operation' : 'server', message: problem ?? '', attempts: 0, elapsedMs: 0 });
			const connection = server.connection;
			evaluateParameters(RED, this, operation, (config.parameters ?? {}) as Record<string, TypedValue>, msg)
				.then((values) =>
					runOperation(connection, catalogue, operation, {
						values,
						files: messageFiles(msg),
						options,
						paging: { returnAll: config.returnAll === true, limit: Number(config.limit) || 50 },
						simplify: config.simplify !== false,
					}, { onRetry: (next, max) => this.status({ fill: 'yellow', shape: 'ring', text: `retry ${next}/${max}` }) }),
				)
				.then(
					(outcome) => {
						if (!outcome.ok) return fail(outcome.error);
						this.status({});
						setPayload(msg, outcome.value, operation.output.kind === 'list');
						delete msg.error;
						send([msg, null]);
						done();
					},
					(error: Error & { detail?: BpmError }) => fail({ kind: 'input', message: error.message, ...(error.detail ?? {}), attempts: 0, elapsedMs: 0 }),
				);
		});
	});
}

/** A list is one message holding the array (as Node-RED's core nodes do); a file is a Buffer with its name and type. */
function setPayload(msg: NodeMessage, result: OperationResult, list: boolean): void {
	const [first] = result.items;
	if (first?.file) {
		msg.payload = first.file.data;
		msg.filename = first.file.fileName;
		msg.contentType = first.file.contentType;
		return;
	}
	msg.payload = list ? result.items.map((item) => item.json) : first?.json;
	if (list && result.pages !== undefined) msg.pages = result.pages;
}
