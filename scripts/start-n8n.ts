/**
 * `npm run start:n8n`: n8n 2.40 (installed into the git-ignored .runtimes/ on first use) with BPM Connect installed as
 * a community package from its packed tarball, the example workflows of `workflows/` with their credentials pointing
 * at the four vendor simulators (the ports and accounts of `npm start`), and an owner account from the environment,
 * all on 127.0.0.1. Ctrl-C stops everything. Each start is a fresh n8n: export a workflow to keep it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packPackage } from './pack-package';
import { startExampleSimulators, type ExampleSimulator } from '../test/support/example-simulators';
import { startN8nServer, type N8nServer } from '../test/support/n8n-server';
import { ensureN8n, N8N_VERSION } from '../test/support/runtimes';

const root = path.resolve(__dirname, '..');
const port = Number(process.env.N8N_PORT ?? 5678);
/** For local use only, and said on screen: set N8N_OWNER_PASSWORD for anything else. */
const DEFAULT_OWNER_PASSWORD = 'BpmConnect1';
const owner = { email: process.env.N8N_OWNER_EMAIL ?? 'owner@example.com', password: process.env.N8N_OWNER_PASSWORD ?? DEFAULT_OWNER_PASSWORD };

/** Awaits a long step, saying every 30 s that it is still at work. */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
	console.log(`${what}…`);
	const started = Date.now();
	const seconds = () => Math.round((Date.now() - started) / 1000);
	const timer = setInterval(() => console.log(`  … still at it (${seconds()} s)`), 30_000);
	try {
		const result = await work();
		console.log(`  done in ${seconds()} s`);
		return result;
	} finally {
		clearInterval(timer);
	}
}

async function main(): Promise<void> {
	const workflows = readdirSync(path.join(root, 'workflows'))
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => JSON.parse(readFileSync(path.join(root, 'workflows', file), 'utf8')) as Array<{ id: string; name: string }>);
	const runtime = await step(`Preparing n8n ${N8N_VERSION} (the first run installs it into .runtimes/: about 2,400 npm packages, 3 to 5 minutes)`, ensureN8n);
	const packageTgz = await step('Packing BPM Connect (npm pack)', async () => packPackage('start-n8n-package'));

	// What Ctrl-C must stop, filled in as it starts.
	const running: { simulators: ExampleSimulator[]; server?: N8nServer } = { simulators: [] };
	const starting = new AbortController();
	const stop = async () => {
		if (starting.signal.aborted) return;
		starting.abort();
		console.log('\nStopping n8n and the simulators…');
		await Promise.all(running.simulators.map((simulator) => simulator.close()));
		// Still starting: startN8nServer sees the abort, stops n8n, and main() ends with its error.
		if (!running.server) return;
		await running.server.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());

	const simulators = await startExampleSimulators({ fixedPorts: true });
	running.simulators = simulators;
	for (const simulator of simulators) console.log(`${simulator.label} simulator: ${simulator.url} (user ${simulator.username}, password ${simulator.password})`);
	const server = await step(
		`Starting n8n on 127.0.0.1:${port}: installing BPM Connect as a community package, importing ${workflows.length} example workflows and their credentials, then \`n8n start\``,
		() => startN8nServer({ runtime, packageTgz, port, owner, credentials: simulators.map((simulator) => simulator.credential), workflows, onOutput: (text) => process.stdout.write(text), signal: starting.signal }),
	);
	running.server = server;

	const password = process.env.N8N_OWNER_PASSWORD ? '(the value of N8N_OWNER_PASSWORD)' : `${DEFAULT_OWNER_PASSWORD}   (local default: set N8N_OWNER_PASSWORD to choose one)`;
	console.log(`
n8n editor: ${server.url}/
  email:    ${owner.email}${process.env.N8N_OWNER_EMAIL ? '' : '   (set N8N_OWNER_EMAIL to choose one)'}
  password: ${password}
Example workflows (open one, then Execute workflow):
${workflows.map((workflow) => `  ${workflow.name}: ${server.url}/workflow/${workflow.id}`).join('\n')}
Ctrl-C stops n8n and the simulators.
`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
