import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { withDefaults } from '../../node-red/node-properties';
import { NODE_PROPERTIES } from '../../node-red/properties';
import type { NodeDef } from '../../node-red/node-red-api';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { CHROMIUM_ARGS, ensureChromium, ensureNodeRed4, ensureNodeRed5, REPO_ROOT } from '../support/runtimes';
import { saveScreenshot } from '../support/screenshots';
import { MARKER_PASSWORD, packageTgz } from './package-under-test';

/** Nodes as an import or an older version leaves them: only a few properties written. */
const PARTIAL_NODES: NodeDef[] = [
	{ id: 'ed-tab', type: 'tab', label: 'editor' },
	{ id: 'ed-server', type: 'bpm-bonita', name: 'Bonita', url: 'http://127.0.0.1:9/bonita' },
	{ id: 'ed-baw', type: 'bpm-baw', url: 'http://127.0.0.1:9/baw' },
	{ id: 'ed-simplicite', type: 'bpm-simplicite', url: 'http://127.0.0.1:9/simplicite' },
	{ id: 'ed-funnelback', type: 'bpm-funnelback', url: 'http://127.0.0.1:9/funnelback' },
	{ id: 'ed-auth', type: 'bpm-auth', name: 'Generic', scheme: 'digest' },
	{ id: 'ed-token', type: 'bpm-oauth2-token', z: 'ed-tab', auth: 'ed-auth', operation: 'clientCredentials', x: 200, y: 200, wires: [[], []] },
	{ id: 'ed-request', type: 'bpm-request', z: 'ed-tab', auth: 'bonita', bonita: 'ed-server', method: 'GET', url: 'API/bpm/process', x: 200, y: 100, wires: [[], []] },
	{ id: 'ed-request-baw', type: 'bpm-request', z: 'ed-tab', auth: 'baw', baw: 'ed-baw', method: 'GET', url: 'rest/bpm/wle/v1/tasks', x: 200, y: 300, wires: [[], []] },
	{ id: 'ed-request-simplicite', type: 'bpm-request', z: 'ed-tab', auth: 'simplicite', simplicite: 'ed-simplicite', x: 200, y: 400, wires: [[], []] },
	{ id: 'ed-request-funnelback', type: 'bpm-request', z: 'ed-tab', auth: 'funnelback', funnelback: 'ed-funnelback', x: 200, y: 500, wires: [[], []] },
];

const EXAMPLE_NODES: NodeDef[] = readdirSync(path.join(REPO_ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.flatMap((file) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as NodeDef[]);

const ACCOUNTS: Record<string, object> = {
	'bpm-bonita': { username: 'walter.bates', password: MARKER_PASSWORD },
	'bpm-baw': { username: 'admin', password: MARKER_PASSWORD },
	'bpm-simplicite': { username: 'designer', password: MARKER_PASSWORD },
	'bpm-funnelback': { username: 'admin', password: MARKER_PASSWORD },
	'bpm-auth': { user: 'someone', password: MARKER_PASSWORD },
};

/** The flow deployed before the editor opens: config nodes carry credentials, as a user's would. */
const FLOW = [...EXAMPLE_NODES, ...PARTIAL_NODES].map((node) => (ACCOUNTS[node.type] ? { ...node, credentials: ACCOUNTS[node.type] } : node));

/**
 * What a node means to its runtime: BPM Connect nodes with every property the flow leaves out filled in
 * (node-red/node-properties.ts) and numbers that the editor saved as text read as numbers; other nodes as written.
 */
function meaning(node: NodeDef): Record<string, unknown> {
	const properties = NODE_PROPERTIES[node.type];
	const { credentials: _credentials, ...written } = node;
	if (!properties) return written;
	const filled: Record<string, unknown> = withDefaults(properties, written);
	for (const [name, property] of Object.entries(properties.defaults)) {
		const value = filled[name];
		if (typeof property.value === 'number' && typeof value === 'string' && value.trim() !== '') filled[name] = Number(value);
	}
	return filled;
}

/** The editor's global, as the page functions below (run in the browser) use it. */
declare const RED: {
	nodes: {
		node(id: string): unknown;
		eachNode(cb: (node: { id: string; type: string; changed?: boolean }) => void): void;
		eachConfig(cb: (node: { id: string; type: string; changed?: boolean }) => void): void;
		dirty(value?: boolean): boolean;
	};
	editor: { edit(node: unknown): void; editConfig(name: string, type: string, id: string): void };
	actions: { invoke(name: string, ...args: unknown[]): void };
};
declare const document: { documentElement: { classList: { contains(name: string): boolean } } };
declare const localStorage: { setItem(key: string, value: string): void };

/** Cancels the open edit tray and waits until it is gone: the next tray would otherwise meet its twin button while it slides out. */
async function closeTray(page: Page, button: string): Promise<void> {
	await page.locator(button).click();
	await page.locator(button).waitFor({ state: 'detached' });
}

/** Opens a node's edit tray the way a double click does; returns the id prefix of its buttons. */
async function openNode(page: Page, node: { id: string; type: string; config: boolean }): Promise<'node-dialog' | 'node-config-dialog'> {
	await page.evaluate(({ id, type, config }) => (config ? RED.editor.editConfig('', type, id) : RED.editor.edit(RED.nodes.node(id))), node);
	const prefix = node.config ? 'node-config-dialog' : 'node-dialog';
	await page.locator(`#${prefix}-ok`).waitFor();
	return prefix;
}

/** The flows are in and the loading screen has gone: a tray opened earlier races the editor's own start-up. */
async function editorReady(page: Page): Promise<void> {
	await page.waitForFunction(() => typeof RED !== 'undefined' && RED.nodes?.node('ed-request') !== undefined, undefined, { timeout: 60_000 });
	await page.locator('#red-ui-loading-progress').waitFor({ state: 'hidden' });
}

async function openEditor(context: BrowserContext, nodeRed: NodeRedInstance, consoleErrors: string[]): Promise<Page> {
	const page = await context.newPage();
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	page.on('pageerror', (error) => consoleErrors.push(`${error.message} ${error.stack?.split('\n')[1]?.trim() ?? ''}`));
	await page.goto(nodeRed.adminUrl);
	await editorReady(page);
	return page;
}

for (const [label, runtime, darkTheme] of [
	['Node-RED 4.1', async () => ensureNodeRed4(), false],
	['Node-RED 5', ensureNodeRed5, true],
] as const) {
	describe(`the ${label} editor in headless Chromium`, function () {
		this.timeout(4 * 60 * 1000);
		let nodeRed: NodeRedInstance;
		let browser: Browser;
		let page: Page;
		const consoleErrors: string[] = [];

		before(async () => {
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows: FLOW });
			browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
			page = await openEditor(await browser.newContext({ viewport: { width: 1400, height: 900 } }), nodeRed, consoleErrors);
		});
		after(async () => {
			await browser?.close();
			await nodeRed?.stop();
		});

		it('shows bpm request in the palette under BPM Connect', async () => {
			const paletteNode = page.locator('.red-ui-palette-node[data-palette-type="bpm-request"]');
			await paletteNode.waitFor({ state: 'attached' });
			expect((await paletteNode.textContent())?.replace(/\s+/g, ' ').trim()).to.equal('bpm request');
		});

		it('shows a property the flow leaves out with the value the runtime uses (checked options stay checked)', async () => {
			await openNode(page, { id: 'ed-request', type: 'bpm-request', config: false });
			expect(await page.inputValue('#node-input-url')).to.equal('API/bpm/process');
			expect(await page.inputValue('#node-input-method')).to.equal('GET');
			expect(await page.inputValue('#node-input-auth')).to.equal('bonita');
			expect(await page.locator('#node-row-bonita').isVisible()).to.equal(true);
			expect(await page.locator('#node-row-baw').isVisible()).to.equal(false);
			for (const option of ['failOn4xx', 'failOn5xx', 'retryOn5xx', 'retryOnNetworkError', 'followRedirects']) {
				expect(await page.isChecked(`#node-input-${option}`), option).to.equal(true);
			}
			expect(await page.isChecked('#node-input-safeToRepeat')).to.equal(false);
			expect(await page.inputValue('#node-input-maxAttempts')).to.equal('1');
			expect(await page.inputValue('#node-input-retryCodes')).to.equal('429');
			expect(await page.inputValue('#node-input-bodyType')).to.equal('auto');
			await closeTray(page, '#node-dialog-cancel');
		});

		it('opens the bpm-bonita config dialog with password-typed credentials', async () => {
			await openNode(page, { id: 'ed-server', type: 'bpm-bonita', config: true });
			expect(await page.inputValue('#node-config-input-url')).to.equal('http://127.0.0.1:9/bonita');
			expect(await page.getAttribute('#node-config-input-password', 'type')).to.equal('password');
			await closeTray(page, '#node-config-dialog-cancel');
		});

		it('shows bpm oauth2 token in the palette', async () => {
			const paletteNode = page.locator('.red-ui-palette-node[data-palette-type="bpm-oauth2-token"]');
			await paletteNode.waitFor({ state: 'attached' });
			expect((await paletteNode.textContent())?.replace(/\s+/g, ' ').trim()).to.equal('bpm oauth2 token');
		});

		it("opens the bpm-auth config dialog showing only the chosen scheme's fields, secrets password-typed", async () => {
			await openNode(page, { id: 'ed-auth', type: 'bpm-auth', config: true });
			expect(await page.inputValue('#node-config-input-scheme')).to.equal('digest');
			expect(await page.locator('#node-config-input-user').isVisible()).to.equal(true);
			expect(await page.locator('#node-config-input-tokenUrl').isVisible()).to.equal(false);
			await page.selectOption('#node-config-input-scheme', 'oauth2ClientCredentials');
			expect(await page.locator('#node-config-input-user').isVisible()).to.equal(false);
			expect(await page.locator('#node-config-input-tokenUrl').isVisible()).to.equal(true);
			expect(await page.inputValue('#node-config-input-clientAuthentication')).to.equal('basic');
			expect(await page.getAttribute('#node-config-input-clientSecret', 'type')).to.equal('password');
			await closeTray(page, '#node-config-dialog-cancel');
		});

		it('opening every node of the example flows and of a partial import and pressing Done changes nothing; a full deploy means the same', async () => {
			const nodes = await page.evaluate(() => {
				const all: Array<{ id: string; type: string; config: boolean }> = [];
				RED.nodes.eachConfig((node) => all.push({ id: node.id, type: node.type, config: true }));
				RED.nodes.eachNode((node) => all.push({ id: node.id, type: node.type, config: false }));
				return all;
			});
			expect(nodes.map((node) => node.id)).to.have.members(FLOW.filter((node) => node.type !== 'tab').map((node) => node.id));
			for (const node of nodes) await closeTray(page, `#${await openNode(page, node)}-ok`);
			const changed = await page.evaluate(() => {
				const ids: string[] = [];
				RED.nodes.eachNode((node) => void (node.changed && ids.push(node.id)));
				RED.nodes.eachConfig((node) => void (node.changed && ids.push(node.id)));
				return { dirty: RED.nodes.dirty(), ids };
			});
			expect(changed).to.deep.equal({ dirty: false, ids: [] });

			// A full deploy writes every node as the editor now holds it.
			const before = await nodeRed.admin('GET', '/flows', undefined, { 'Node-RED-API-Version': 'v2' });
			await page.evaluate(() => {
				RED.nodes.dirty(true);
				RED.actions.invoke('core:deploy-flows', true);
			});
			await page.waitForFunction(() => !RED.nodes.dirty(), undefined, { timeout: 30_000 });
			const after = await nodeRed.admin('GET', '/flows', undefined, { 'Node-RED-API-Version': 'v2' });
			expect(after.body.rev, 'the deploy happened').to.not.equal(before.body.rev);
			const deployed = new Map((after.body.flows as NodeDef[]).map((node) => [node.id, node]));
			for (const node of FLOW) {
				const saved = deployed.get(node.id);
				expect(saved, node.id).to.not.equal(undefined);
				if (node.type === 'tab') continue;
				expect(meaning(saved!), `${node.type} ${node.id}`).to.deep.equal(meaning(node));
			}
		});

		it(`leaves a picture of every BPM Connect dialog${darkTheme ? ', in the light and the dark theme' : ''}`, async function () {
			if (!darkTheme) this.skip(); // Node-RED 5 has both themes; the pictures come from it alone.
			const dark = await openEditor(await browser.newContext({ viewport: { width: 1400, height: 900 } }), nodeRed, consoleErrors);
			await dark.evaluate(() => localStorage.setItem('view-dark-theme', 'dark'));
			await dark.reload();
			await editorReady(dark);
			expect(await dark.evaluate(() => document.documentElement.classList.contains('nr-theme-dark'))).to.equal(true);
			const shown = [
				{ id: 'ed-request', type: 'bpm-request', config: false },
				{ id: 'ed-token', type: 'bpm-oauth2-token', config: false },
				{ id: 'ed-server', type: 'bpm-bonita', config: true },
				{ id: 'ed-baw', type: 'bpm-baw', config: true },
				{ id: 'ed-simplicite', type: 'bpm-simplicite', config: true },
				{ id: 'ed-funnelback', type: 'bpm-funnelback', config: true },
				{ id: 'ed-auth', type: 'bpm-auth', config: true },
			];
			for (const [theme, themed] of [['light', page], ['dark', dark]] as const) {
				for (const node of shown) {
					const prefix = await openNode(themed, node);
					await themed.waitForTimeout(400); // the tray slides in
					await saveScreenshot(themed, `node-red-${node.type}-${theme}`, '.red-ui-tray');
					await closeTray(themed, `#${prefix}-cancel`);
				}
			}
		});

		it('logged no browser console error', () => {
			expect(consoleErrors).to.deep.equal([]);
		});
	});
}
