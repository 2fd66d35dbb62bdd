/**
 * `npm start`: the four vendor simulators and Node-RED (the devDependency, on this machine's Node) with BPM Connect
 * and the example flows, all on 127.0.0.1. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startExampleSimulators } from '../test/support/example-simulators';

const root = path.resolve(__dirname, '..');
const nodeRedPort = Number(process.env.NODE_RED_PORT ?? 1880);

async function main(): Promise<void> {
	const running = await startExampleSimulators({ fixedPorts: true });
	for (const sim of running) console.log(`${sim.label} simulator: ${sim.url} (user ${sim.username}, password ${sim.password})`);
	const byType = new Map(running.map((sim) => [sim.configType, sim]));

	const userDir = path.join(root, '.tmp', 'start');
	rmSync(userDir, { recursive: true, force: true });
	mkdirSync(path.join(userDir, 'node_modules', '@bpm-connect'), { recursive: true });
	// Node-RED finds the package in its userDir as if installed from the palette.
	symlinkSync(root, path.join(userDir, 'node_modules', '@bpm-connect', 'n8n-nodes-bpm'), 'dir');

	const flows = readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as Array<Record<string, unknown>>)
		.map((node) => (byType.has(String(node.type)) ? { ...node, url: byType.get(String(node.type))!.url } : node));
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
	const closeSimulators = () => Promise.all(running.map((sim) => sim.close()));
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
