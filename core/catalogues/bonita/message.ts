import { inputError } from '../../bpm-error';
import type { Operation } from '../../operations/operation';

export const messageOperations: Operation[] = [
	{
		resource: 'message',
		operation: 'send',
		name: 'Send',
		action: 'Send a message',
		description: 'Send a BPMN message to a process (to start it, or to a waiting case matched by correlation keys). Never sent twice: if the answer is lost, the error says so',
		parameters: [
			{ name: 'messageName', displayName: 'Message Name', description: 'The message name in the process design', type: 'string', required: true },
			{ name: 'targetProcess', displayName: 'Target Process Name', description: 'The name of the process that receives the message', type: 'string', required: true },
			{ name: 'targetFlowNode', displayName: 'Target Flow Node', description: 'The catching event or task that receives it; empty: any', type: 'string', optional: true },
			{ name: 'correlations', displayName: 'Correlation Keys', description: 'Correlation keys as a JSON object, e.g. {"orderId": "42"}', type: 'json', default: '{}', optional: true },
			{ name: 'content', displayName: 'Message Content', description: 'The message content as a JSON object of values', type: 'json', default: '{}', optional: true },
		],
		request: (values) => ({
			method: 'POST',
			path: 'API/bpm/message',
			json: {
				messageName: values.messageName,
				targetProcess: values.targetProcess,
				...(values.targetFlowNode ? { targetFlowNode: values.targetFlowNode } : {}),
				messageContent: typedValues(values.content, 'content'),
				correlations: typedValues(values.correlations, 'correlations'),
			},
		}),
		replay: 'nonIdempotent',
		ambiguousHint: () => 'The message may have been delivered; it was not sent again',
		output: { kind: 'result', result: (values) => ({ sent: true, messageName: values.messageName, targetProcess: values.targetProcess }) },
	},
];

/** `{key: {value}}`: Bonita guesses each type when none is given. */
function typedValues(given: unknown, field: string): Record<string, { value: unknown }> {
	if (given === undefined) return {};
	if (typeof given !== 'object' || given === null || Array.isArray(given)) throw inputError(field, `${field} must be a JSON object of values`);
	return Object.fromEntries(Object.entries(given).map(([key, value]) => [key, { value }]));
}
