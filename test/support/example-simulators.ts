/**
 * The four vendor simulators the examples run against (the flows of `examples/` and the workflows of `workflows/`),
 * and the n8n credentials (with the ids those workflows name) that point at them.
 */
import { startBawSimulator } from '../simulators/baw';
import { startBonitaSimulator } from '../simulators/bonita';
import { startFunnelbackSimulator } from '../simulators/funnelback';
import { startSimpliciteSimulator } from '../simulators/simplicite';

interface Simulator {
	url: string;
	resetData(): void;
	close(): Promise<void>;
}

export interface ExampleSimulator {
	label: string;
	/** The Node-RED config node the example flows use for this vendor. */
	configType: string;
	url: string;
	username: string;
	password: string;
	/** The n8n credential the example workflows name. */
	credential: { id: string; name: string; type: string; data: Record<string, unknown> };
	/** Back to the simulator's seed data, so that two runs see the same ids. */
	resetData(): void;
	close(): Promise<void>;
}

interface Vendor {
	label: string;
	configType: string;
	/** The port `npm start` uses (fixed ports: the Node-RED example flows name them). */
	port: number;
	username: string;
	/** The simulator's own default password for `username`. */
	password: string;
	credential: { id: string; name: string; type: string; settings: Record<string, unknown> };
	start(port: number, username: string, password: string): Promise<Simulator>;
}

const VENDORS: Vendor[] = [
	{
		label: 'Bonita',
		configType: 'bpm-bonita',
		port: 8080,
		username: 'walter.bates',
		password: 'bpm',
		credential: { id: 'bonitaSim', name: 'Bonita simulator', type: 'bonitaApi', settings: {} },
		start: (port, username, password) => startBonitaSimulator({ port, users: { [username]: password } }),
	},
	{
		label: 'IBM BAW',
		configType: 'bpm-baw',
		port: 9080,
		username: 'admin',
		password: 'admin',
		credential: { id: 'bawSim', name: 'IBM BAW simulator', type: 'bawApi', settings: { requestedLifetime: 7200, refreshGroups: false } },
		start: (port, username, password) => startBawSimulator({ port, prefix: '/baw/dev', users: { [username]: password } }),
	},
	{
		label: 'Simplicité',
		configType: 'bpm-simplicite',
		port: 9081,
		username: 'designer',
		password: 'designer',
		credential: { id: 'simpliciteSim', name: 'Simplicité simulator', type: 'simpliciteApi', settings: { tokenTransport: 'header', v3Mode: false } },
		start: (port, username, password) => startSimpliciteSimulator({ port, users: { [username]: password } }),
	},
	{
		label: 'Funnelback',
		configType: 'bpm-funnelback',
		port: 9082,
		username: 'admin',
		password: 'admin',
		credential: { id: 'funnelbackSim', name: 'Funnelback simulator', type: 'funnelbackApi', settings: { authMode: 'login', collections: 'client~sp-docs\nclient~sp-website\nclient~ds-push' } },
		start: (port, username, password) => startFunnelbackSimulator({ port, users: { [username]: { password, canCreateNonExpiring: true } } }),
	},
];

export interface ExampleSimulatorsOptions {
	/** true: the ports of `npm start`; false: free ports. */
	fixedPorts: boolean;
	/** One password for every account instead of each simulator's default (tests use a marker secret). */
	password?: string;
}

export async function startExampleSimulators(opts: ExampleSimulatorsOptions): Promise<ExampleSimulator[]> {
	const started = await Promise.allSettled(
		VENDORS.map(async (vendor): Promise<ExampleSimulator> => {
			const password = opts.password ?? vendor.password;
			const server = await vendor.start(opts.fixedPorts ? vendor.port : 0, vendor.username, password);
			const { settings, ...credential } = vendor.credential;
			return {
				label: vendor.label,
				configType: vendor.configType,
				url: server.url,
				username: vendor.username,
				password,
				credential: { ...credential, data: { url: server.url, username: vendor.username, password, ...settings } },
				resetData: () => server.resetData(),
				close: () => server.close(),
			};
		}),
	);
	const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
	const failed = started.flatMap((result, i) => (result.status === 'rejected' ? [`${VENDORS[i].label}: ${(result.reason as Error).message}`] : []));
	if (failed.length) {
		await Promise.all(running.map((sim) => sim.close()));
		throw new Error(`simulators could not start: ${failed.join('; ')}`);
	}
	return running;
}
