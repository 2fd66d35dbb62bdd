import { expect } from 'chai';
import { NodeHelpers, type INodeTypeDescription } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CLIENTS, startOidcPeer, type OidcPeer } from '../peers/oidc-provider';
import { startExampleSimulators, type ExampleSimulator } from '../support/example-simulators';
import { startN8nServer, type N8nExecution, type N8nServer, type N8nSession } from '../support/n8n-server';
import { signInToN8nEditor } from '../support/n8n-editor-browser';
import { ensureN8n, REPO_ROOT } from '../support/runtimes';
import { saveScreenshot } from '../support/screenshots';
import { MARKER_PASSWORD, packageTgz, readJson } from './package-under-test';

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}
interface Workflow {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

const PACKAGE = '@bpm-connect/n8n-nodes-bpm';
const EXAMPLES = readdirSync(path.join(REPO_ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.flatMap((file) => readJson<Workflow[]>(`workflows/${file}`));
const isBpmNode = (node: WorkflowNode) => node.type.startsWith(`${PACKAGE}.`);
/** '@bpm-connect/n8n-nodes-bpm.bpmOAuth2Token' → 'bpm-oauth2-token'; 'bonitaApi' → 'bonita-api'. */
const kebab = (name: string) => name.slice(name.lastIndexOf('.') + 1).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The node-level settings that change what a node does (everything but its parameters, name and place). */
const BEHAVIOUR_FIELDS = ['type', 'typeVersion', 'credentials', 'disabled', 'onError', 'continueOnFail', 'alwaysOutputData', 'executeOnce', 'retryOnFail', 'maxTries', 'waitBetweenTries'];

/** No example workflow has a BPM OAuth2 Token node: this one gets a token and calls an API with it. */
function tokenWorkflow(oidc: OidcPeer): Workflow {
	return {
		id: 'bpmcEditorToken1',
		name: 'OAuth2: get a token and call an API with it',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 's', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 't',
				name: 'Get token',
				type: `${PACKAGE}.bpmOAuth2Token`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'clientCredentials' },
				credentials: { bpmClientCredentialsOAuth2Api: { id: 'oidcClient', name: 'OAuth2 client' } },
			},
			{
				id: 'r',
				name: 'Call API',
				type: `${PACKAGE}.bpmRequest`,
				typeVersion: 1,
				position: [440, 0],
				parameters: { authentication: 'accessToken', method: 'GET', url: `${oidc.api.url}/resource`, options: {} },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Get token', type: 'main', index: 0 }]] },
			'Get token': { main: [[{ node: 'Call API', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * n8n's editor asks for an optional output schema of each node (`/schemas/<node type>/<version>.json`, files a
 * package may ship in `__schema__/`) and the browser logs the 404 as an error. For a scoped package such as this
 * one no file can answer: the editor puts the type's `/` into the path unencoded, so n8n 2.40's route never matches
 * (checked: with a schema shipped, the `%2F`-encoded path answers 200 and the editor's path still 404s). Most of
 * n8n's own nodes ship none either: the editor asks for the parent of an open node that has not run, such as the
 * Code node that makes the Bonita example's file, and gets the same 404.
 */
const isSchemaProbe = (server: N8nServer, url: string) => url.startsWith(`${server.url}/schemas/`);

const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** A value with its timestamps and tokens (fresh on every run) replaced by placeholders. */
function normalise(value: unknown, key = ''): unknown {
	if (Array.isArray(value)) return value.map((entry) => normalise(entry));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
	// Epoch milliseconds under a date or time key (Funnelback's result dates): the moment of each run.
	if (typeof value === 'number' && /(date|time)$/i.test(key) && value > 1e12) return '<time>';
	if (typeof value !== 'string') return value;
	if (/token$/i.test(key)) return '<token>';
	return HTTP_DATE.test(value) ? '<time>' : value.replace(ISO_TIME, '<time>');
}

/** What each node of a run put out (items' json on each output) or the error it stopped with. */
function outcome(execution: N8nExecution): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(execution.data.resultData.runData).map(([name, runs]) => [
			name,
			runs.map((run) => ({
				status: run.executionStatus,
				error: run.error?.message,
				outputs: (run.data?.main ?? []).map((items: Array<{ json: unknown }> | null) => (items ?? []).map((item) => normalise(item.json))),
			})),
		]),
	);
}

/** Fails unless every BPM Connect node put its items out on Success: a run where both sides fail alike proves nothing. */
function expectSucceeded(execution: N8nExecution, workflow: Workflow): void {
	expect(execution.status, JSON.stringify(execution.data.resultData.error ?? null)).to.equal('success');
	for (const node of workflow.nodes.filter(isBpmNode)) {
		const items = execution.data.resultData.runData[node.name]?.[0]?.data?.main?.[0] ?? [];
		expect(items, `${node.name} put nothing out on Success`).to.have.length.greaterThan(0);
	}
	expect(execution.data.resultData.runData).not.to.have.property('Errors');
}

describe('n8n editor: the example workflows opened, saved and run in n8n 2.40 in headless Chromium', function () {
	this.timeout(10 * 60 * 1000);
	const owner = { email: 'owner@example.com', password: `Owner-${randomBytes(12).toString('base64url')}` };
	const timings: string[] = [];
	const consoleErrors: string[] = [];
	const shot = new Set<string>();
	const descriptions = new Map<string, INodeTypeDescription>();
	let simulators: ExampleSimulator[] = [];
	let oidc: OidcPeer;
	let server: N8nServer;
	let session: N8nSession;
	let browser: Browser;
	let page: Page;

	const time = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
		const started = Date.now();
		const result = await fn();
		timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		return result;
	};

	/** Each run starts from the simulators' seed data, so both runs meet the same ids. */
	const run = (id: string) => {
		for (const simulator of simulators) simulator.resetData();
		return session.run(id);
	};

	/** The parameters n8n resolves for each BPM Connect node (defaults filled in), and its behaviour settings. */
	const meaning = async (workflow: Workflow) => {
		const nodes: Record<string, unknown> = {};
		for (const node of workflow.nodes.filter(isBpmNode)) {
			const key = `${node.type}@${node.typeVersion}`;
			if (!descriptions.has(key)) {
				const [description] = await session.rest<INodeTypeDescription[]>('POST', 'node-types', { nodeInfos: [{ name: node.type, version: node.typeVersion }] });
				descriptions.set(key, description);
			}
			const description = descriptions.get(key)!;
			const parameters = NodeHelpers.getNodeParameters(description.properties, node.parameters as never, true, false, node as never, description);
			nodes[node.name] = { parameters, ...Object.fromEntries(BEHAVIOUR_FIELDS.map((field) => [field, node[field]])) };
		}
		return { nodes, connections: workflow.connections };
	};

	/**
	 * Opens a workflow by its URL, as a user does. (A router navigation inside the loaded editor would save about
	 * 10 s per workflow, but n8n 2.40's editor then logs an error of its own: "injectNDVStore() was accessed without
	 * an active workflow document store".)
	 */
	const openWorkflow = async (workflow: Workflow) => {
		await page.goto(`${server.url}/workflow/${workflow.id}`, { waitUntil: 'domcontentloaded' });
		for (const node of workflow.nodes) await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`).waitFor();
	};

	/** Opens the node's panel, photographs it (and its credential's dialog) once per type, closes it. */
	const openAndClose = async (node: WorkflowNode) => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`).dblclick();
		const panel = page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		await page.locator('[data-test-id="node-parameters"]').waitFor();
		if (!shot.has(node.type)) {
			shot.add(node.type);
			await saveScreenshot(page, `n8n-${kebab(node.type)}`);
		}
		const credentialType = Object.keys(node.credentials ?? {})[0];
		if (credentialType && !shot.has(credentialType)) {
			shot.add(credentialType);
			await page.locator('[data-test-id="credential-edit-button"]').click();
			const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
			await dialog.waitFor();
			// n8n tests a credential when its dialog opens: wait for the verdict before the picture.
			await page.locator('[data-test-id="credentials-config-container-test-success"]').waitFor();
			await saveScreenshot(page, `n8n-credential-${kebab(credentialType)}`);
			await page.locator('[data-test-id="editCredential-modal"] .el-dialog__headerbtn').click();
			await dialog.waitFor({ state: 'detached' });
		}
		await page.locator('[data-test-id="ndv-close-button"]').click();
		await panel.waitFor({ state: 'hidden' });
	};

	before(async () => {
		await time('simulators, OAuth2 server, n8n start with the package, imports', async () => {
			[simulators, oidc] = await Promise.all([startExampleSimulators({ fixedPorts: false, password: MARKER_PASSWORD }), startOidcPeer()]);
			const oidcClient = {
				id: 'oidcClient',
				name: 'OAuth2 client',
				type: 'bpmClientCredentialsOAuth2Api',
				data: { tokenUrl: oidc.tokenUrl, clientId: CLIENTS.post.clientId, clientSecret: CLIENTS.post.clientSecret, clientAuthentication: 'body', scope: 'api:read' },
			};
			server = await startN8nServer({
				runtime: await ensureN8n(),
				packageTgz: packageTgz(),
				owner,
				credentials: [...simulators.map((simulator) => simulator.credential), oidcClient],
				workflows: [...EXAMPLES, tokenWorkflow(oidc)],
			});
			session = await server.login();
		});
		await time('Chromium start and sign-in', async () => {
			({ browser, page } = await signInToN8nEditor(server.url, owner));
			// Signed in: from here on n8n's editor must log no error (the sign-in page itself asks /rest/login first and gets its 401).
			page.on('console', (message) => {
				if (message.type() === 'error' && !isSchemaProbe(server, message.location().url)) consoleErrors.push(`${message.text()} (${message.location().url})`);
			});
			page.on('pageerror', (error) => consoleErrors.push(error.message));
		});
	});
	after(async () => {
		await browser?.close();
		await server?.stop();
		await Promise.all([...simulators.map((simulator) => simulator.close()), oidc?.close()]);
		console.log(`      timings:\n${timings.map((line) => `        ${line}`).join('\n')}`);
	});

	for (const { id, name } of EXAMPLES) {
		it(`${name}: opening every BPM Connect node and saving changes neither its meaning nor its run`, () => checkWorkflow(id));
	}
	it('the OAuth2 token workflow: opening every BPM Connect node and saving changes neither its meaning nor its run', () => checkWorkflow('bpmcEditorToken1'));

	it("the IBM BAW, Simplicité and Funnelback nodes' dropdowns and forms through the server: server-filtered, dependent on another parameter, configured in the credential", async () => {
		const ask = async <T>(endpoint: string, node: string, credentials: Record<string, { id: string; name: string }>, body: Record<string, unknown>) => {
			const answer = await session.rest<T>('POST', `dynamic-node-parameters/${endpoint}`, { nodeTypeAndVersion: { name: `${PACKAGE}.${node}`, version: 1 }, credentials, ...body });
			expect(JSON.stringify(answer)).not.to.contain(MARKER_PASSWORD);
			return answer;
		};
		type Options = { results: Array<{ name: string; value: string }> };
		const byId = (value: string) => ({ __rl: true, mode: 'id', value });
		const bawCredential = { bawApi: { id: 'bawSim', name: 'IBM BAW simulator' } };
		const processes = await ask<Options>('resource-locator-results', 'baw', bawCredential, { path: 'parameters.process', methodName: 'searchProcesses', currentNodeParameters: { resource: 'process', operation: 'start' }, filter: 'vacation' });
		expect(processes.results.map((option) => option.value)).to.deep.equal(['VR:Vacation request']);
		const inputs = await ask<{ fields: Array<{ id: string }> }>('resource-mapper-fields', 'baw', bawCredential, { path: 'parameters.inputs', methodName: 'getProcessInputsFields', currentNodeParameters: { resource: 'process', operation: 'start', process: byId('VR:Vacation request') } });
		expect(inputs.fields.map((field) => field.id)).to.deep.equal(['requester', 'days', 'startDate', 'reason']);

		const simpliciteCredential = { simpliciteApi: { id: 'simpliciteSim', name: 'Simplicité simulator' } };
		const actions = await ask<Options>('resource-locator-results', 'simplicite', simpliciteCredential, { path: 'parameters.action', methodName: 'searchActions', currentNodeParameters: { resource: 'object', operation: 'runAction', object: byId('DemoProduct') } });
		expect(actions.results.map((option) => option.value)).to.include('DemoIncrementStock');
		const fields = await ask<{ fields: Array<{ id: string; required: boolean }> }>('resource-mapper-fields', 'simplicite', simpliciteCredential, { path: 'parameters.fields', methodName: 'getRecordFieldsFields', currentNodeParameters: { resource: 'object', operation: 'create', object: byId('DemoSupplier') } });
		expect(fields.fields.filter((field) => field.required).map((field) => field.id)).to.deep.equal(['demoSupCode', 'demoSupName']);

		const collections = await ask<Options>('resource-locator-results', 'funnelback', { funnelbackApi: { id: 'funnelbackSim', name: 'Funnelback simulator' } }, { path: 'parameters.collection', methodName: 'searchCollections', currentNodeParameters: { resource: 'search', operation: 'search' }, filter: 'sp-' });
		expect(collections.results.map((option) => option.value)).to.deep.equal(['client~sp-docs', 'client~sp-website']);
	});

	async function checkWorkflow(id: string): Promise<void> {
		await time(id, async () => {
			const original = await run(id);
			const before = await session.rest<Workflow>('GET', `workflows/${id}`);
			expectSucceeded(original, before);

			await openWorkflow(before);
			for (const node of before.nodes.filter(isBpmNode)) await openAndClose(node);
			const saved = page.waitForResponse((res) => res.request().method() === 'PATCH' && res.url().endsWith(`/rest/workflows/${id}`));
			await page.keyboard.press('Control+s');
			expect((await saved).ok(), 'the editor saved the workflow').to.equal(true);

			const after = await session.rest<Workflow>('GET', `workflows/${id}`);
			expect(after.versionId, 'a new version was saved').not.to.equal(before.versionId);
			expect(await meaning(after)).to.deep.equal(await meaning(before));

			const rerun = await run(id);
			expectSucceeded(rerun, after);
			expect(outcome(rerun)).to.deep.equal(outcome(original));
		});
	}

	it('logged no browser console error', () => {
		expect(consoleErrors).to.deep.equal([]);
	});
});
