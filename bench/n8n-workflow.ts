/** Runs of `n8n execute` as the benchmarks read them: what each node recorded. */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { N8nHome } from '../test/support/n8n-runner';
import { N8N_DIR, run } from '../test/support/runtimes';

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
