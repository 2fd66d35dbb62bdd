/**
 * `npm start`: the four vendor simulators and Node-RED (the devDependency, on this machine's Node) with BPM Connect
 * and the example flows, all on 127.0.0.1. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startBawSimulator } from '../test/simulators/baw';
import { startBonitaSimulator } from '../test/simulators/bonita';
import { startFunnelbackSimulator } from '../test/simulators/funnelback';
import { startSimpliciteSimulator } from '../test/simulators/simplicite';

const root = path.resolve(__dirname, '..');
const nodeRedPort = Number(process.env.NODE_RED_PORT ?? 1880);

/** One simulator per vendor, on the ports the example flows name, with each simulator's default account. */
const SIMULATORS = [
	{ configType: 'bpm-bonita', label: 'Bonita', start: () => startBonitaSimulator({ port: 8080 }), username: 'walter.bates', password: 'bpm' },
	{ configType: 'bpm-baw', label: 'IBM BAW', start: () => startBawSimulator({ port: 9080, prefix: '/baw/dev' }), username: 'admin', password: 'admin' },
	{ configType: 'bpm-simplicite', label: 'Simplicité', start: () => startSimpliciteSimulator({ port: 9081 }), username: 'designer', password: 'designer' },
	{ configType: 'bpm-funnelback', label: 'Funnelback', start: () => startFunnelbackSimulator({ port: 9082 }), username: 'admin', password: 'admin' },
];

async function main(): Promise<void> {
	const running = await Promise.all(SIMULATORS.map(async (sim) => ({ ...sim, server: await sim.start() })));
	for (const sim of running) console.log(`${sim.label} simulator: ${sim.server.url} (user ${sim.username}, password ${sim.password})`);
	const byType = new Map(running.map((sim) => [sim.configType, sim]));

	const userDir = path.join(root, '.tmp', 'start');
	rmSync(userDir, { recursive: true, force: true });
	mkdirSync(path.join(userDir, 'node_modules', '@bpm-connect'), { recursive: true });
	// Node-RED finds the package in its userDir as if installed from the palette.
	symlinkSync(root, path.join(userDir, 'node_modules', '@bpm-connect', 'n8n-nodes-bpm'), 'dir');

	const flows = readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as Array<Record<string, unknown>>)
		.map((node) => (byType.has(String(node.type)) ? { ...node, url: byType.get(String(node.type))!.server.url } : node));
	const credentials = Object.fromEntries(
		flows.filter((node) => byType.has(String(node.type))).map((node) => [node.id, { username: byType.get(String(node.type))!.username, password: byType.get(String(node.type))!.password }]),
	);
	writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
	// Local demo only: the example credentials are the simulator's, so the credentials file is left unencrypted.
	writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
	writeFileSync(
		path.join(userDir, 'settings.js'),
		// No release tour: a newcomer's first look is the example flows, not a popover covering them.
		`module.exports = ${JSON.stringify({ uiHost: '127.0.0.1', uiPort: nodeRedPort, flowFile: 'flows.json', credentialSecret: false, telemetry: { enabled: false }, editorTheme: { tours: false } })};\n`,
	);

	const nodeRed = spawn(process.execPath, [require.resolve('node-red/red.js'), '-u', userDir, '-s', path.join(userDir, 'settings.js')], { stdio: 'inherit' });
	console.log(`Node-RED editor: http://127.0.0.1:${nodeRedPort}/`);
	const closeSimulators = () => Promise.all(running.map((sim) => sim.server.close()));
	const stop = () => {
		nodeRed.kill('SIGINT');
		void closeSimulators();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	nodeRed.on('exit', (code) => {
		void closeSimulators();
		process.exitCode = code ?? 0;
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
