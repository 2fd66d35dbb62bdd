/** n8n workflows as data: a manual trigger feeding chains of nodes, for `n8n import:workflow`. */

const BPM_REQUEST = '@bpm-connect/n8n-nodes-bpm.bpmRequest';

export interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** 'continueErrorOutput' sends failed items to a second output instead of failing the run. */
	onError?: string;
}

/** A BPM Request node; `extra` for its credentials or its error output. */
export function bpmRequestNode(name: string, parameters: Record<string, unknown>, extra: Pick<WorkflowNode, 'credentials' | 'onError'> = {}): WorkflowNode {
	return { name, type: BPM_REQUEST, typeVersion: 1, parameters, ...extra };
}

/** A Code node putting out `count` items, { i: 0 … count - 1 }. */
export function itemsNode(count: number, name = 'Items'): WorkflowNode {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { i } }));` } };
}

/**
 * The trigger starts every chain; within a chain each node is fed by the one before. Chains are laid
 * out top to bottom, the order in which n8n's v1 execution order runs them.
 */
export function n8nWorkflow(id: string, name: string, chains: WorkflowNode[][]): object {
	const trigger = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
	const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	const connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {
		Start: { main: [chains.map((chain) => ({ node: chain[0].name, type: 'main', index: 0 }))] },
	};
	for (const chain of chains) chain.slice(1).forEach((node, i) => (connections[chain[i].name] = link(node.name)));
	const nodes = chains.flatMap((chain, row) => chain.map((node, column) => ({ ...node, id: `${row}-${column}`, position: [200 * (column + 1), 200 * row] })));
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes: [{ ...trigger, id: 'start', position: [0, 0] }, ...nodes], connections };
}
