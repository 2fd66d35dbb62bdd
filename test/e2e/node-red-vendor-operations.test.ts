import { expect } from 'chai';
import { startBawSimulator, type BawSimulator } from '../simulators/baw';
import { startFunnelbackSimulator, type FunnelbackSimulator } from '../simulators/funnelback';
import { startSimpliciteSimulator, type SimpliciteSimulator } from '../simulators/simplicite';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureNodeRed4 } from '../support/runtimes';
import { MARKER_PASSWORD, packageTgz, readJson } from './package-under-test';

type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string; wires?: string[][] };

interface Example {
	/** The id prefix of the example's nodes: bpmc-<prefix>-… */
	prefix: string;
	file: string;
	/** After this node's success, every session of the simulator is expired (the expiry call replaces msg.payload: the next node must not read it). */
	expireAfter: string;
}

const BAW: Example = { prefix: 'bawops', file: 'examples/baw-vacation-request-operations.json', expireAfter: 'keep-task' };
const SIMPLICITE: Example = { prefix: 'simpops', file: 'examples/simplicite-supplier-operations.json', expireAfter: 'get' };
const FUNNELBACK: Example = { prefix: 'fbops', file: 'examples/funnelback-search-push-and-commit.json', expireAfter: 'push' };

/**
 * A shipped example, pointed at its simulator and driven by `POST /run/<prefix>` instead of its inject node: the test
 * adds an expiry of every session after one node, a reply with the last result (and what the flow kept in msg), and a
 * reply with msg.error from every error output (502).
 */
function drivenExample(example: Example, simulator: { url: string; origin: string }, credentials: Record<string, string>): FlowNode[] {
	const id = (name: string) => `bpmc-${example.prefix}-${name}`;
	const nodes = readJson<FlowNode[]>(example.file);
	const inject = nodes.find((node) => node.type === 'inject')!;
	const z = inject.z!;
	const driven = nodes
		.filter((node) => node !== inject)
		.map((node): FlowNode => {
			if (node.z === undefined && node.type !== 'tab') return { ...node, url: simulator.url, credentials };
			const expiresAfter = node.id === id(example.expireAfter);
			if (!node.type.endsWith('-operation')) return expiresAfter ? { ...node, wires: [[`${example.prefix}-expire`]] } : node;
			const [success, error] = node.wires!;
			const next = expiresAfter ? [`${example.prefix}-expire`] : success.includes(id('done')) ? [...success, `${example.prefix}-reply`] : success;
			return { ...node, wires: [next, [...error, `${example.prefix}-reply-error`]] };
		});
	const afterExpiry = nodes.find((node) => node.id === id(example.expireAfter))!.wires![0];
	return [
		...driven,
		{ id: `${example.prefix}-in`, type: 'http in', z, url: `/run/${example.prefix}`, method: 'post', wires: inject.wires },
		{ id: `${example.prefix}-expire`, type: 'http request', z, name: 'expire every session', method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${simulator.origin}/_sim/expire`, wires: [afterExpiry] },
		{ id: `${example.prefix}-reply`, type: 'change', z, rules: [set('payload', '{"payload": payload, "piid": piid, "taskId": taskId, "rowId": rowId, "code": code}'), del('headers'), set('statusCode', '200')], wires: [[`${example.prefix}-out`]] },
		{ id: `${example.prefix}-reply-error`, type: 'change', z, rules: [set('payload', 'error'), del('headers'), set('statusCode', '502')], wires: [[`${example.prefix}-out`]] },
		{ id: `${example.prefix}-out`, type: 'http response', z, wires: [] },
	];
}

/**
 * Operations the examples do not use, each behind its own `http in` (POST /op/<name>): its result as the reply, or
 * msg.error with a 502 from its error output.
 */
function operationsFlow(nodes: Array<{ name: string; type: string; server: string } & Record<string, unknown>>): FlowNode[] {
	const z = 'ops-tab';
	return [
		{ id: z, type: 'tab', label: 'operations' },
		...nodes.flatMap(({ name, ...node }): FlowNode[] => [
			{ id: `ops-${name}-in`, type: 'http in', z, url: `/op/${name}`, method: 'post', wires: [[`ops-${name}`]] },
			{ id: `ops-${name}`, z, returnAll: false, limit: 50, simplify: true, maxAttempts: 1, retryDelayMs: 500, timeoutMs: '', tls: '', proxy: '', ...node, wires: [[`ops-${name}-ok`], [`ops-${name}-error`]] },
			{ id: `ops-${name}-ok`, type: 'change', z, rules: [set('payload', '{"payload": payload, "filename": filename, "contentType": contentType}'), del('headers'), set('statusCode', '200')], wires: [[`ops-${name}-out`]] },
			{ id: `ops-${name}-error`, type: 'change', z, rules: [set('payload', 'error'), del('headers'), set('statusCode', '502')], wires: [[`ops-${name}-out`]] },
			{ id: `ops-${name}-out`, type: 'http response', z, wires: [] },
		]),
	];
}

function set(path: string, to: string) {
	return { t: 'set', p: path, pt: 'msg', to, tot: 'jsonata' };
}
function del(path: string) {
	return { t: 'delete', p: path, pt: 'msg' };
}

describe('IBM BAW, Simplicité and Funnelback operation nodes in real Node-RED 4.1 (Node 20): the shipped examples', function () {
	this.timeout(5 * 60 * 1000);
	let baw: BawSimulator;
	let simplicite: SimpliciteSimulator;
	let funnelback: FunnelbackSimulator;
	let nodeRed: NodeRedInstance;

	before(async () => {
		[baw, simplicite, funnelback] = await Promise.all([
			startBawSimulator({ prefix: '/baw/dev', users: { admin: MARKER_PASSWORD } }),
			startSimpliciteSimulator({ users: { designer: MARKER_PASSWORD } }),
			startFunnelbackSimulator({ users: { admin: { password: MARKER_PASSWORD, canCreateNonExpiring: true } } }),
		]);
		nodeRed = await startNodeRed({
			runtime: await ensureNodeRed4(),
			packageTgz: packageTgz(),
			flows: [
				...drivenExample(BAW, baw, { username: 'admin', password: MARKER_PASSWORD }),
				...drivenExample(SIMPLICITE, simplicite, { username: 'designer', password: MARKER_PASSWORD }),
				...drivenExample(FUNNELBACK, funnelback, { username: 'admin', password: MARKER_PASSWORD }),
				...operationsFlow([
					{ name: 'all-results', type: 'bpm-funnelback-operation', server: 'bpmc-fbops-server', resource: 'search', operation: 'getAllResults', limit: 3, parameters: { collection: { v: 'client~sp-website', vt: 'str' }, query: { v: '!padrenull', vt: 'str' } } },
					{ name: 'publication', type: 'bpm-simplicite-operation', server: 'bpmc-simpops-server', resource: 'object', operation: 'getPublication', parameters: { object: { v: 'DemoProduct', vt: 'str' }, publication: { v: 'DemoProduct-PDF', vt: 'str' }, rowId: { v: '1', vt: 'str' } } },
					{ name: 'action', type: 'bpm-simplicite-operation', server: 'bpmc-simpops-server', resource: 'object', operation: 'runAction', parameters: { object: { v: 'DemoProduct', vt: 'str' }, action: { v: 'DemoIncrementStock', vt: 'str' }, rowId: { v: '2', vt: 'str' } } },
				]),
			],
		});
	});
	after(async () => {
		await nodeRed?.stop();
		await Promise.all([baw?.close(), simplicite?.close(), funnelback?.close()]);
	});

	const run = (example: Example) => nodeRed.request('POST', `/run/${example.prefix}`, {});

	it('IBM BAW: starts a vacation request, finds, releases, claims and approves its task, reads the instance completed; sessions expire midway and it logs in exactly twice', async () => {
		baw.resetStats();
		const before = { ...baw.operations };
		const reply = await run(BAW);
		expect(reply.status, reply.text).to.equal(200);
		expect(reply.body.payload).to.deep.include({ piid: reply.body.piid, executionState: 'Completed' });
		expect(reply.body.payload.variables).to.deep.include({ days: 3, approved: true, comment: 'Enjoy', requester: 'walter' });
		expect(baw.operations.instancesStarted - before.instancesStarted).to.equal(1);
		expect(baw.operations.tasksCompleted - before.tasksCompleted).to.equal(1);
		expect(baw.stats.logins).to.equal(2);
	});

	it('IBM BAW: a completion processed and then cut off is read back as done, never sent again', async () => {
		const before = { ...baw.operations };
		baw.dropAfterProcessing('complete');
		const reply = await run(BAW);
		expect(reply.status, reply.text).to.equal(200);
		expect(reply.body.payload.executionState).to.equal('Completed');
		expect(baw.operations.tasksCompleted - before.tasksCompleted).to.equal(1);
		const completions = baw.requests.filter((request) => request.method === 'POST' && request.path.endsWith(`/user-tasks/${reply.body.taskId}/complete`));
		expect(completions).to.have.length(1);
	});

	it('Simplicité: creates a supplier from its fields, reads, renames, finds, counts and deletes it; sessions expire midway and it logs in exactly twice', async () => {
		simplicite.resetStats();
		const before = { ...simplicite.operations };
		const reply = await run(SIMPLICITE);
		expect(reply.status, reply.text).to.equal(200);
		expect(reply.body.payload).to.include({ deleted: true });
		expect(reply.body.code).to.equal('NODERED');
		expect(simplicite.operations.recordsCreated - before.recordsCreated).to.equal(1);
		expect(simplicite.operations.recordsUpdated - before.recordsUpdated).to.equal(1);
		expect(simplicite.operations.recordsDeleted - before.recordsDeleted).to.equal(1);
		expect(simplicite.stats.logins).to.equal(2);
	});

	it('Simplicité: a creation processed and then cut off goes to the error output with mayHaveTakenEffect, created exactly once', async () => {
		const before = { ...simplicite.operations };
		simplicite.dropAfterProcessing('create');
		const reply = await run(SIMPLICITE);
		expect(reply.status, reply.text).to.equal(502);
		expect(reply.body).to.include({ mayHaveTakenEffect: true });
		expect(reply.body.source).to.include({ id: 'bpmc-simpops-create', type: 'bpm-simplicite-operation' });
		expect(reply.body.message).to.contain('may have taken effect');
		expect(simplicite.operations.recordsCreated - before.recordsCreated).to.equal(1);
	});

	it('Funnelback: searches, pushes a page, commits, finds it and reads its results page with facets; sessions expire midway and it logs in exactly twice', async () => {
		funnelback.resetStats();
		const before = { ...funnelback.operations };
		const reply = await run(FUNNELBACK);
		expect(reply.status, reply.text).to.equal(200);
		expect(reply.body.payload.results.map((result: { liveUrl: string }) => result.liveUrl)).to.include('https://www.example.com/bpm-connect/hello');
		expect(reply.body.payload.facets).to.be.an('array');
		expect(funnelback.operations.documentsPushed - before.documentsPushed).to.equal(1);
		expect(funnelback.operations.commits - before.commits).to.equal(1);
		expect(funnelback.stats.logins).to.equal(2);
	});

	it('Funnelback: a push processed and then cut off is sent again (an upsert by key), leaving one document', async () => {
		const before = { ...funnelback.operations };
		funnelback.dropAfterProcessing('pushDocument');
		const reply = await run(FUNNELBACK);
		expect(reply.status, reply.text).to.equal(200);
		expect(funnelback.operations.documentsPushed - before.documentsPushed).to.equal(2);
		const [first, replayed] = funnelback.pushedDocuments.slice(-2);
		expect(replayed.key).to.equal(first.key);
		const search = (await (await fetch(`${funnelback.url}/s/search.json?collection=client~sp-website&query=${encodeURIComponent('BPM Connect')}`)).json()) as { response: { resultPacket: { results: Array<{ liveUrl: string }> } } };
		expect(search.response.resultPacket.results.filter((result) => result.liveUrl === first.key), 'one document under the key').to.have.length(1);
	});

	it('Funnelback: Get All Results streamed and cut at the Limit (3), as one message', async () => {
		const reply = await nodeRed.request('POST', '/op/all-results', {});
		expect(reply.status, reply.text).to.equal(200);
		expect(reply.body.payload).to.have.length(3);
	});

	it('Simplicité: a publication comes out as a Buffer with its file name and type', async () => {
		const reply = await nodeRed.request('POST', '/op/publication', {});
		expect(reply.status, reply.text).to.equal(200);
		// A Buffer in msg.payload, as the http response node sends it in JSON.
		expect(reply.body.payload.type).to.equal('Buffer');
		expect(Buffer.from(reply.body.payload.data).toString('latin1')).to.match(/^%PDF-1\.4\n% REF001 Laptop Pro 15/);
		expect(reply.body).to.include({ contentType: 'application/pdf' });
		expect(reply.body.filename).to.match(/\.pdf$/);
	});

	it('Simplicité: an action processed and then cut off goes to the error output with mayHaveTakenEffect, run exactly once', async () => {
		const before = simplicite.operations.actionsRun;
		simplicite.dropAfterProcessing('action');
		const reply = await nodeRed.request('POST', '/op/action', {});
		expect(reply.status, reply.text).to.equal(502);
		expect(reply.body).to.include({ mayHaveTakenEffect: true });
		expect(reply.body.message).to.contain('may have run');
		expect(simplicite.operations.actionsRun - before).to.equal(1);
	});

	it("answers the dialogs' dropdowns: a list that depends on another parameter, and one the user configured", async () => {
		const actions = await nodeRed.admin('POST', 'bpm-simplicite-operation/list', { server: 'bpmc-simpops-server', list: 'actions', values: { object: 'DemoProduct' } });
		expect(actions.status, actions.text).to.equal(200);
		expect(actions.body.options.map((option: { value: string }) => option.value)).to.include('DemoIncrementStock');
		const missing = await nodeRed.admin('POST', 'bpm-simplicite-operation/list', { server: 'bpmc-simpops-server', list: 'actions' });
		expect(missing.status).to.equal(400);
		expect(missing.body).to.include({ field: 'object' });
		const collections = await nodeRed.admin('POST', 'bpm-funnelback-operation/list', { server: 'bpmc-fbops-server', list: 'collections', filter: 'sp-' });
		expect(collections.body).to.deep.equal({ options: [{ name: 'client~sp-docs', value: 'client~sp-docs' }, { name: 'client~sp-website', value: 'client~sp-website' }] });
		const processes = await nodeRed.admin('POST', 'bpm-baw-operation/list', { server: 'bpmc-bawops-server', list: 'processes', filter: 'vacation' });
		expect(processes.body.options.map((option: { value: string }) => option.value)).to.include('VR:Vacation request');
		const form = await nodeRed.admin('POST', 'bpm-baw-operation/form', { server: 'bpmc-bawops-server', resource: 'process', operation: 'start', parameter: 'inputs', id: 'VR:Vacation request' });
		expect(form.body.fields.map((field: { id: string }) => field.id)).to.deep.equal(['requester', 'days', 'startDate', 'reason']);
		for (const answer of [actions, missing, collections, processes, form]) expect(answer.text).not.to.contain(MARKER_PASSWORD);
	});

	it('never writes a password to the Node-RED log', () => {
		expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
	});
});
