/**
 * Digest round trips, kept apart from the other benchmarks: it needs lighttpd (test/peers/digest-servers.ts
 * installs it) and the Digest scheme of core/schemes/digest.ts.
 */
import { LIGHTTPD_AREAS, startLighttpd, type Lighttpd } from '../test/peers/digest-servers';
import { createN8nHome, type N8nHome } from '../test/support/n8n-runner';
import { ensureN8n } from '../test/support/runtimes';
import { executeWorkflow } from './n8n-workflow';
import { bpmRequestNode, itemsNode, n8nWorkflow, type WorkflowNode } from '../test/support/n8n-workflow';
import { packedPackage, type Benchmark, type Row } from './shared';

const CALLS = 100;
/** BPM Request's default Requests in Flight: each call in flight before the first challenge meets it once. */
const DEFAULT_IN_FLIGHT = 8;
const USER = 'alice';
const PASSWORD = 'bench-digest-pw';
/** One credential per caller: BPM Request keeps one session per credential, and each caller starts without a nonce. */
const credential = (caller: string) => ({ httpDigestAuth: { id: `digest${caller}`, name: `Digest ${caller}` } });

export const digest: Benchmark = {
	name: 'digest',
	title: 'Digest: round trips per call',
	about: [
		`${CALLS} GETs of a Digest-protected file on lighttpd 1.4 (MD5, qop=auth), from real n8n, each node with an \`httpDigestAuth\` credential of its own: BPM Request one call at a time, BPM Request with its default Requests in Flight (${DEFAULT_IN_FLIGHT}), and n8n's HTTP Request (typeVersion 4.2, Generic Credential Type → Digest Auth). Each node calls its own URLs; the round trips are the requests lighttpd logged for them. BPM Connect reuses the server's nonce with a rising nc, so only the first call of a login is challenged; a client that starts over for every call pays two round trips per call.`,
		`Target: about ${CALLS + 1} round trips for ${CALLS} calls, not ${CALLS * 2}: exactly ${CALLS + 1} one at a time, at most one extra per call in flight before the first challenge comes back.`,
	],
	async run() {
		const runtime = await ensureN8n();
		let server: Lighttpd | undefined;
		let home: N8nHome | undefined;
		try {
			server = await startLighttpd({ users: { [USER]: PASSWORD } });
			home = await createN8nHome({ runtime, packageTgz: packedPackage() });
			const file = `${LIGHTTPD_AREAS.md5.path}file.txt`;
			const url = (caller: string) => `={{ '${server!.url}${file}?${caller}=' + $json.i }}`;
			const ours = (name: string, options: Record<string, unknown>) => bpmRequestNode(name, { authentication: 'httpDigestAuth', method: 'GET', url: url(name), options }, { credentials: credential(name) });
			const callers: WorkflowNode[] = [
				ours('sequential', { concurrency: 1 }),
				ours('default', {}),
				{
					name: 'n8n',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					parameters: { url: url('n8n'), authentication: 'genericCredentialType', genericAuthType: 'httpDigestAuth', options: {} },
					credentials: credential('n8n'),
				},
			];
			await home.importCredentials(callers.map(({ name }) => ({ ...credential(name).httpDigestAuth, type: 'httpDigestAuth', data: { user: USER, password: PASSWORD } })));
			await home.importWorkflows([n8nWorkflow('bpmcBenchDigest', 'digest', callers.map((caller) => [itemsNode(CALLS, `Items ${caller.name}`), caller]))]);
			const execution = await executeWorkflow(home, runtime.node, 'bpmcBenchDigest');
			if (execution.status !== 'success') throw new Error(`the digest workflow ended ${execution.status}: ${JSON.stringify(execution.error)}`);
			const roundTrips = async (caller: string) => (await server!.settledRequests(CALLS, `${file}?${caller}=`)).length;
			const baseline = await roundTrips('n8n');
			const row = async (caller: string, how: string, most: number): Promise<Row> => {
				const count = await roundTrips(caller);
				return {
					measure: `BPM Request, ${how}, vs n8n HTTP Request v4.2 (${CALLS} calls)`,
					figure: `${count} vs ${baseline} round trips`,
					target: most === CALLS + 1 ? `${most}` : `≤ ${most}`,
					met: count <= most,
				};
			};
			return [await row('sequential', '1 in flight', CALLS + 1), await row('default', `${DEFAULT_IN_FLIGHT} in flight (default)`, CALLS + DEFAULT_IN_FLIGHT)];
		} finally {
			await home?.remove();
			await server?.close();
		}
	},
};
