import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { NodeDef } from '../../node-red/node-red-api';
import { startBonitaSimulator, type BonitaSimulator } from '../simulators/bonita';
import { PROCESS_SHOWCASE } from '../simulators/bonita/processes';
import { startNodeRed, type HttpResult, type NodeRedInstance } from '../support/node-red-runner';
import { CHROMIUM_ARGS, ensureChromium, ensureNodeRed5, type NodeRedRuntime } from '../support/runtimes';
import { saveScreenshot } from '../support/screenshots';
import { MARKER_PASSWORD, packageTgz, readJson, SIM_USER, until } from './package-under-test';

/** The editor's users (settings.adminAuth): an administrator and a user who may only read. */
const USERS = {
	admin: { password: 'admin-pw-4Rk', permissions: '*' },
	reader: { password: 'reader-pw-8Tn', permissions: 'read' },
} as const;
type UserName = keyof typeof USERS;

const SHOWCASE_INPUTS = ['title', 'urgent', 'quantity', 'unitPrice', 'reference', 'dueDate', 'startDay', 'meetingAt', 'deadline', 'attachment', 'tags', 'address', 'lines'];

/** The editor's global and jQuery, as the page functions below (run in the browser) use them. */
declare const RED: {
	nodes: { node(id: string): ({ _bpmInputs?: Record<string, TypedInput> } & Record<string, unknown>) | undefined; dirty(): boolean; eachConfig(cb: (node: { id: string; type: string }) => boolean | void): void };
	editor: { edit(node: unknown): void };
	view: { importNodes(nodes: object[], options: object): void };
	workspaces: { active(): string };
	sidebar: { show(id: string): void };
};
interface TypedInput {
	typedInput(method: 'value' | 'type', value?: string): string;
}
declare const $: (selector: string) => { data(key: string): TypedInput };

/** Node-RED checks the editor's passwords with bcryptjs: hashed here with its own copy. */
function passwordHash(runtime: NodeRedRuntime, password: string): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const bcrypt = require(require.resolve('bcryptjs', { paths: [path.dirname(runtime.redJs)] })) as { hashSync(password: string, rounds: number): string };
	return bcrypt.hashSync(password, 8);
}

/** The shipped example, pointed at the simulator; its inject node does not fire on deploy (the test counts cases). */
function exampleFlow(simulator: BonitaSimulator): NodeDef[] {
	return readJson<NodeDef[]>('examples/bonita-start-case-and-complete-task.json').map((node) => {
		if (node.type === 'bpm-bonita') return { ...node, url: simulator.url, credentials: { username: SIM_USER, password: MARKER_PASSWORD } };
		return node.type === 'inject' ? { ...node, once: false } : node;
	});
}

async function login(page: Page, nodeRed: NodeRedInstance, user: UserName): Promise<void> {
	await page.goto(nodeRed.adminUrl);
	await page.locator('#node-dialog-login-username').fill(user);
	await page.locator('#node-dialog-login-password').fill(USERS[user].password);
	await page.locator('#node-dialog-login-submit').click();
	await page.waitForFunction(() => typeof RED !== 'undefined' && RED.nodes?.node('bpmc-start') !== undefined, undefined, { timeout: 60_000 });
	await page.locator('#red-ui-loading-progress').waitFor({ state: 'hidden' });
}

async function openNode(page: Page, id: string): Promise<void> {
	await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
	await page.locator('#node-dialog-ok').waitFor();
}

async function closeTray(page: Page, button: string): Promise<void> {
	await page.locator(button).click();
	await page.locator(button).waitFor({ state: 'detached' });
}

/** Opens the Process list of the open dialog and waits for its options (or its error message). */
async function listProcesses(page: Page): Promise<string[]> {
	const row = page.locator('.bpm-operation-parameter[data-parameter="processId"]');
	await row.locator('button.bpm-operation-pick').click();
	const options = row.locator('select.bpm-operation-options option');
	await options.first().waitFor();
	return options.allTextContents();
}

describe('the bonita operation node dialog in Node-RED 5 and headless Chromium, with adminAuth', function () {
	this.timeout(4 * 60 * 1000);
	let simulator: BonitaSimulator;
	let nodeRed: NodeRedInstance;
	let browser: Browser;
	let page: Page;
	const tokens = {} as Record<UserName, string>;
	const consoleErrors: string[] = [];

	/** POST to the node's admin endpoints as an editor user (or nobody). */
	const endpoint = (name: 'list' | 'form', body: object, user?: UserName): Promise<HttpResult> =>
		nodeRed.admin('POST', `/bpm-bonita-operation/${name}`, body, user ? { Authorization: `Bearer ${tokens[user]}` } : {});

	before(async () => {
		simulator = await startBonitaSimulator({ users: { [SIM_USER]: MARKER_PASSWORD } });
		const runtime = await ensureNodeRed5();
		const users = Object.entries(USERS).map(([username, user]) => ({ username, password: passwordHash(runtime, user.password), permissions: user.permissions }));
		nodeRed = await startNodeRed({ runtime, packageTgz: packageTgz(), settings: { adminAuth: { type: 'credentials', users } } });
		for (const user of Object.keys(USERS) as UserName[]) {
			const answer = await nodeRed.admin('POST', '/auth/token', { client_id: 'node-red-admin', grant_type: 'password', scope: '', username: user, password: USERS[user].password });
			expect(answer.status, answer.text).to.equal(200);
			tokens[user] = answer.body.access_token;
		}
		const deployed = await nodeRed.admin('POST', '/flows', exampleFlow(simulator), { Authorization: `Bearer ${tokens.admin}`, 'Node-RED-Deployment-Type': 'full' });
		expect(deployed.status, deployed.text).to.be.oneOf([200, 204]);
		await until(() => /Started flows/.test(nodeRed.logs()), 'the example flow to start', 30_000);
		browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
		page = await (await browser.newContext({ viewport: { width: 1400, height: 1400 } })).newPage();
		page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
		page.on('pageerror', (error) => consoleErrors.push(error.message));
		await login(page, nodeRed, 'admin');
		consoleErrors.length = 0; // the editor's first request, before the login, is refused (401) by design
	});
	after(async () => {
		await browser?.close();
		await nodeRed?.stop();
		await simulator?.close();
	});

	it('with a server configuration added in the dialog and not deployed: lists the processes, loads the contract form, then deploys and starts a case', async () => {
		await page.evaluate(() =>
			RED.view.importNodes(
				[
					{ id: 'new-inject', type: 'inject', z: RED.workspaces.active(), name: 'start one', props: [{ p: 'file', v: '[104,105]', vt: 'bin' }, { p: 'filename', v: 'hi.txt', vt: 'str' }], repeat: '', crontab: '', once: false, onceDelay: '0.1', topic: '', x: 140, y: 420, wires: [['new-op']] },
					{ id: 'new-op', type: 'bpm-bonita-operation', z: RED.workspaces.active(), x: 340, y: 420, wires: [['new-debug'], ['new-debug']] },
					{ id: 'new-debug', type: 'debug', z: RED.workspaces.active(), name: 'new case', active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', x: 540, y: 420, wires: [] },
				],
				{ generateIds: false, touchImport: true },
			),
		);
		await openNode(page, 'new-op');

		// A new server configuration, typed in its own dialog and added, not deployed.
		await page.locator('#node-input-btn-server-add').click();
		await page.locator('#node-config-dialog-ok').waitFor();
		await page.locator('#node-config-input-url').fill(simulator.url);
		await page.locator('#node-config-input-username').fill(SIM_USER);
		await page.locator('#node-config-input-password').fill(MARKER_PASSWORD);
		await closeTray(page, '#node-config-dialog-ok');
		const serverId = await page.inputValue('#node-input-server');
		expect(serverId).not.to.equal('bpmc-bonita-server').and.not.to.equal('_ADD_');

		await page.selectOption('#node-input-resource', 'case');
		await page.selectOption('#node-input-operation', 'start');
		simulator.resetStats();
		expect(await listProcesses(page)).to.include.members(['Contract Showcase (1.0)', 'Registration (1.0)']);
		expect(simulator.stats.logins, 'the typed settings logged in').to.equal(1);
		await page.selectOption('.bpm-operation-parameter[data-parameter="processId"] select.bpm-operation-options', PROCESS_SHOWCASE);
		expect(await page.evaluate(() => RED.nodes.node('new-op')!._bpmInputs!.processId.typedInput('value'))).to.equal(PROCESS_SHOWCASE);

		await page.locator('.bpm-operation-parameter[data-parameter="contractInputs"] button.bpm-operation-load').click();
		await page.locator('.bpm-operation-field[data-field="lines"]').waitFor();
		expect(await page.locator('.bpm-operation-field').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-field')))).to.deep.equal(SHOWCASE_INPUTS);
		expect((await page.locator('.bpm-operation-field[data-field="title"] > label').textContent())?.trim()).to.equal('title *');

		// The contract's fields filled in: one typed, the others set through their typedInput as a user's choices would.
		await page.locator('.bpm-operation-field[data-field="title"] input.red-ui-typedInput-input').fill('Chairs');
		await page.evaluate((values) => {
			for (const [field, [type, value]] of Object.entries(values)) {
				const input = $(`.bpm-operation-field[data-field="${field}"]`).data('input');
				input.typedInput('type', type);
				input.typedInput('value', value);
			}
		}, {
			urgent: ['bool', 'false'],
			quantity: ['num', '2'],
			unitPrice: ['num', '10.5'],
			reference: ['str', '42'],
			dueDate: ['str', '2025-07-01T00:00:00Z'],
			startDay: ['str', '2025-07-01'],
			meetingAt: ['str', '2025-07-01T09:00:00'],
			deadline: ['str', '2025-07-02T18:00:00+02:00'],
			attachment: ['msg', 'file'],
			tags: ['json', '["a"]'],
			address: ['json', '{"street":"1 Main St","city":"Lyon","zip":"69001"}'],
			lines: ['json', '[]'],
		});
		await page.mouse.move(1, 1); // no tooltip over the form
		await page.locator('.red-ui-notification').evaluateAll((notices) => notices.forEach((notice) => ((notice as { style: { visibility: string } }).style.visibility = "hidden"))); // "Imported: 3 nodes"
		await saveScreenshot(page, 'node-red-bpm-bonita-operation-contract', '.red-ui-tray');
		await closeTray(page, '#node-dialog-ok');

		await page.locator('#red-ui-header-button-deploy').click();
		await page.waitForFunction(() => !RED.nodes.dirty(), undefined, { timeout: 30_000 });
		simulator.resetStats();
		const injected = await nodeRed.admin('POST', '/inject/new-inject', undefined, { Authorization: `Bearer ${tokens.admin}` });
		expect(injected.status).to.equal(200);
		await until(() => simulator.operations.instantiations === 1, 'the case to start');
		await page.evaluate(() => RED.sidebar.show('debug'));
		const shown = page.locator('.red-ui-debug-msg', { hasText: 'new case' });
		await shown.first().waitFor();
		expect(await shown.first().textContent()).to.contain('caseId').and.not.contain('error');
	});

	it('after the deploy, the same dialog lists through the deployed configuration (no new login)', async () => {
		await openNode(page, 'new-op');
		const logins = simulator.stats.logins;
		expect(await listProcesses(page)).to.include('Contract Showcase (1.0)');
		expect(simulator.stats.logins).to.equal(logins);
		await closeTray(page, '#node-dialog-cancel');
	});

	it('answers the lists and forms to an administrator, and refuses a read-only user and nobody (also in the dialog)', async () => {
		const list = { server: 'bpmc-bonita-server', list: 'processes' };
		const admin = await endpoint('list', list, 'admin');
		expect(admin.status, admin.text).to.equal(200);
		expect(admin.body.options.map((option: { value: string }) => option.value)).to.include(PROCESS_SHOWCASE);
		const form = await endpoint('form', { server: 'bpmc-bonita-server', resource: 'case', operation: 'start', parameter: 'contractInputs', id: PROCESS_SHOWCASE }, 'admin');
		expect(form.status, form.text).to.equal(200);
		expect(form.body.fields.map((field: { id: string }) => field.id)).to.deep.equal(SHOWCASE_INPUTS);
		expect((await endpoint('list', list, 'reader')).status).to.be.oneOf([401, 403]);
		expect((await endpoint('list', list)).status).to.equal(401);

		const reader = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
		await login(reader, nodeRed, 'reader');
		await openNode(reader, 'bpmc-start');
		const row = reader.locator('.bpm-operation-parameter[data-parameter="processId"]');
		await row.locator('button.bpm-operation-pick').click();
		await row.locator('.bpm-operation-message').waitFor();
		expect(await row.locator('.bpm-operation-message').textContent()).to.equal('Not allowed to read from the server with this configuration');
		expect(await row.locator('select.bpm-operation-options').isVisible()).to.equal(false);
		await reader.context().close();
	});

	it('never answers a secret: a wrong password is a 502 with a message, and the saved password never goes to another URL', async () => {
		const wrong = await endpoint('list', { server: 'bpmc-bonita-server', unsaved: { url: simulator.url, username: SIM_USER, password: 'wrong-pw-5Xq' }, list: 'processes' }, 'admin');
		expect(wrong.status).to.equal(502);
		expect(wrong.body.error).to.be.a('string').and.contain('rejected');
		expect(wrong.text).not.to.contain('wrong-pw-5Xq');

		const seen = simulator.requests.length;
		const logins = simulator.stats.logins;
		const elsewhere = await endpoint('list', { server: 'bpmc-bonita-server', unsaved: { url: `${simulator.origin}/elsewhere`, username: SIM_USER, password: '__PWRD__' }, list: 'processes' }, 'admin');
		expect(elsewhere.status).to.equal(400);
		// The password is what to type again: a saved one goes to the saved URL only.
		expect(elsewhere.body).to.include({ field: 'password' });
		expect(elsewhere.body.error).to.contain('only sent to the saved URL');
		expect(elsewhere.text).not.to.contain(MARKER_PASSWORD);
		expect(simulator.requests.length, 'the simulator saw no request').to.equal(seen);
		expect(simulator.stats.logins).to.equal(logins);
	});

	it('logged no browser console error and no password', () => {
		expect(consoleErrors).to.deep.equal([]);
		expect(nodeRed.logs()).not.to.contain(MARKER_PASSWORD);
	});
});
