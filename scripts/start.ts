/**
 * `npm start`: the Bonita simulator and Node-RED (the devDependency, on this machine's Node) with BPM Connect
 * and the example flows, all on 127.0.0.1. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startBonitaSimulator } from '../test/simulators/bonita';

const root = path.resolve(__dirname, '..');
const simulatorPort = Number(process.env.BONITA_SIM_PORT ?? 8080);
const nodeRedPort = Number(process.env.NODE_RED_PORT ?? 1880);

async function main(): Promise<void> {
	const simulator = await startBonitaSimulator({ port: simulatorPort });
	console.log(`Bonita simulator: ${simulator.url} (user walter.bates, password bpm)`);

	const userDir = path.join(root, '.tmp', 'start');
	rmSync(userDir, { recursive: true, force: true });
	mkdirSync(path.join(userDir, 'node_modules', '@bpm-connect'), { recursive: true });
	// Node-RED finds the package in its userDir as if installed from the palette.
	symlinkSync(root, path.join(userDir, 'node_modules', '@bpm-connect', 'n8n-nodes-bpm'), 'dir');

	const flows = readdirSync(path.join(root, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.flatMap((file) => JSON.parse(readFileSync(path.join(root, 'examples', file), 'utf8')) as Array<Record<string, unknown>>)
		.map((node) => (node.type === 'bpm-bonita' ? { ...node, url: simulator.url } : node));
	const credentials = Object.fromEntries(flows.filter((node) => node.type === 'bpm-bonita').map((node) => [node.id, { username: 'walter.bates', password: 'bpm' }]));
	writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
	// Local demo only: the example credentials are the simulator's, so the credentials file is left unencrypted.
	writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
	writeFileSync(
		path.join(userDir, 'settings.js'),
		`module.exports = ${JSON.stringify({ uiHost: '127.0.0.1', uiPort: nodeRedPort, flowFile: 'flows.json', credentialSecret: false, telemetry: { enabled: false } })};\n`,
	);

	const nodeRed = spawn(process.execPath, [require.resolve('node-red/red.js'), '-u', userDir, '-s', path.join(userDir, 'settings.js')], { stdio: 'inherit' });
	console.log(`Node-RED editor: http://127.0.0.1:${nodeRedPort}/`);
	const stop = () => {
		nodeRed.kill('SIGINT');
		void simulator.close();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	nodeRed.on('exit', (code) => {
		void simulator.close();
		process.exitCode = code ?? 0;
	});
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
