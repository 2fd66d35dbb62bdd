/** Workflows for `n8n execute` (a manual trigger feeding chains of nodes) and what their runs recorded. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { N8nHome } from '../test/support/n8n-runner';
import { N8N_DIR, run } from '../test/support/runtimes';

export const BPM_REQUEST = '@bpm-connect/n8n-nodes-bpm.bpmRequest';

export interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	/** 'continueErrorOutput' sends failed items to a second output instead of failing the run. */
	onError?: string;
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

/** What n8n records of one node's run. */
export interface TaskData {
	executionTime: number;
	data?: { main?: Array<unknown[] | null> };
}

export interface Execution {
	status: string;
	runData: Record<string, TaskData[] | undefined>;
	error?: unknown;
}

/** Items a node put out on one output (1: the error output of a node set to continue on it). */
export const outputItems = (execution: Execution, node: string, output = 0) => execution.runData[node]?.[0]?.data?.main?.[output] ?? [];

/**
 * Executes a workflow and reads its run from n8n's SQLite database, not from what `n8n execute` prints:
 * n8n prints the run through its asynchronous logger and exits, so a run of thousands of items comes
 * out cut short. Node 24 (n8n's Node) reads the database with node:sqlite; n8n's own flatted decodes it.
 */
export async function executeWorkflow(home: N8nHome, node: string, workflowId: string): Promise<Execution> {
	await home.execute(workflowId);
	const query = `SELECT e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = '${workflowId}' ORDER BY e.id DESC LIMIT 1`;
	const script = `const row = new (require('node:sqlite').DatabaseSync)(process.argv[1], { readOnly: true }).prepare(process.argv[2]).get(); process.stdout.write(JSON.stringify(row ?? null));`;
	const { stdout } = await run(node, ['-e', script, path.join(home.userFolder, '.n8n', 'database.sqlite'), query]);
	const row = JSON.parse(stdout) as { status: string; data: string } | null;
	if (!row) throw new Error(`n8n recorded no execution of ${workflowId}`);
	const flatted = createRequire(path.join(N8N_DIR, 'package.json'))('flatted') as { parse(text: string): { resultData: { runData: Execution['runData']; error?: unknown } } };
	const { resultData } = flatted.parse(row.data);
	return { status: row.status, runData: resultData.runData, error: resultData.error };
}
