/**
 * Drives a request node in a real Node-RED: POST /drive/<id> starts a run, a function node keeps a
 * number of messages in flight through the request node until every one came back, then answers the
 * HTTP call with the time it took (first message sent to last message back) and how many failed.
 */
import type { NodeRedInstance } from '../test/support/node-red-runner';

export interface DriveParams {
	/** Messages in the run. */
	items: number;
	/** Messages in flight at once; `items` sends them all in one burst, as an inject of an array does. */
	inFlight: number;
	/** GET for every message… */
	url: string;
	/** …except message number `expireAt` (0-based), a POST to `expireUrl`: the simulator drops its sessions. */
	expireAt?: number;
	expireUrl?: string;
}

export interface DriveResult {
	elapsedMs: number;
	failed: number;
}

/** The function node: msg.res marks the start request of the http in node, anything else is a reply of the request node. */
const DRIVER = `
const next = (run) => {
	const expire = run.issued++ === run.expireAt;
	return { method: expire ? 'POST' : 'GET', url: expire ? run.expireUrl : run.url };
};
if (msg.res) {
	const run = { ...msg.payload, start: msg, issued: 0, returned: 0, failed: 0, began: Date.now() };
	context.set('run', run);
	const first = [];
	while (run.issued < Math.min(run.inFlight, run.items)) first.push(next(run));
	return [first, null];
}
const run = context.get('run');
run.returned++;
if (msg.error || !(msg.statusCode < 400)) run.failed++;
if (run.returned === run.items) {
	const reply = run.start;
	reply.payload = { elapsedMs: Date.now() - run.began, failed: run.failed };
	reply.statusCode = 200;
	return [null, reply];
}
return run.issued < run.items ? [next(run), null] : null;
`;

/**
 * http in → driver → the request node, whose outputs come back to the driver; the driver's second
 * output answers the http in. `request` is the request node without id, z and wires.
 */
export function driverFlow(id: string, tab: string, request: Record<string, unknown>): object[] {
	const driver = `${id}-driver`;
	const requestId = `${id}-request`;
	const outputs = request.type === 'bpm-request' ? [[driver], [driver]] : [[driver]];
	return [
		{ id: `${id}-in`, type: 'http in', z: tab, url: `/drive/${id}`, method: 'post', wires: [[driver]] },
		{ id: driver, type: 'function', z: tab, func: DRIVER, outputs: 2, wires: [[requestId], [`${id}-out`]] },
		{ ...request, id: requestId, z: tab, wires: outputs },
		{ id: `${id}-out`, type: 'http response', z: tab, wires: [] },
	];
}

export async function drive(nodeRed: NodeRedInstance, id: string, params: DriveParams): Promise<DriveResult> {
	const response = await fetch(`${nodeRed.url}/drive/${id}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ expireAt: -1, ...params }),
		signal: AbortSignal.timeout(300_000),
	});
	if (!response.ok) throw new Error(`Node-RED answered ${response.status} to /drive/${id}: ${await response.text()}\n${nodeRed.logs().slice(-3000)}`);
	return (await response.json()) as DriveResult;
}
