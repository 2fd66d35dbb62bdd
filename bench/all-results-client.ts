/**
 * One measured run of bench/all-results.ts, alone in its process so its memory figure is its own:
 *   tsx bench/all-results-client.ts <url> <streamed|whole> <limit|all> <results>
 * prints {ms, items, peakRssMiB}.
 */
import { createTransport, executeRequest, plainConnection, runOperation, type Catalogue, type Operation } from '../core';

const [url, variant, limit, results] = process.argv.slice(2);
const returnAll = limit === 'all';
const connection = { ...plainConnection(createTransport()), baseUrl: url };
const operation: Operation = { resource: 'search', operation: 'getAllResults', name: 'Get All Results', action: 'Get all results', description: 'all-results.json', parameters: [], request: () => ({ method: 'GET', path: 'all-results', query: [['count', results]] }), streamed: true, replay: 'read', output: { kind: 'list' } };
const catalogue: Catalogue = { vendor: 'bench', displayName: 'Bench', summary: '', resources: [], operations: [operation], lists: {}, forms: {} };

/** What Get All Results did before it streamed: the body read whole, parsed whole, then cut at the Limit. */
async function whole(): Promise<number> {
	const outcome = await executeRequest(connection, { method: 'GET', url: 'all-results', query: [{ name: 'count', value: results }], options: { maxResponseBytes: 1024 * 1024 * 1024 } });
	if (!outcome.ok || outcome.value.body.kind !== 'json') throw new Error(outcome.ok ? 'not JSON' : outcome.error.message);
	const items = outcome.value.body.value as unknown[];
	return (returnAll ? items : items.slice(0, Number(limit))).length;
}

async function streamed(): Promise<number> {
	const outcome = await runOperation(connection, catalogue, operation, { values: {}, paging: returnAll ? { returnAll: true } : { limit: Number(limit) } });
	if (!outcome.ok) throw new Error(outcome.error.message);
	return outcome.value.items.length;
}

(async () => {
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const started = performance.now();
	const items = await (variant === 'whole' ? whole() : streamed());
	const ms = performance.now() - started;
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage().rss);
	process.stdout.write(JSON.stringify({ ms, items, peakRssMiB: (peak - baseline) / (1024 * 1024) }));
	process.exit(0);
})();
