import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNodeRed, type NodeRedInstance } from '../support/node-red-runner';
import { ensureChromium, ensureNodeRed4, ensureNodeRed5 } from '../support/runtimes';
import { packageTgz } from './package-under-test';

const FLOW = [
	{ id: 'ed-tab', type: 'tab', label: 'editor' },
	{ id: 'ed-server', type: 'bpm-bonita', name: 'Bonita', url: 'http://127.0.0.1:9/bonita' },
	{ id: 'ed-auth', type: 'bpm-auth', name: 'Generic', scheme: 'digest' },
	{ id: 'ed-token', type: 'bpm-oauth2-token', z: 'ed-tab', auth: 'ed-auth', operation: 'clientCredentials', x: 200, y: 200, wires: [[], []] },
	{ id: 'ed-request', type: 'bpm-request', z: 'ed-tab', auth: 'bonita', bonita: 'ed-server', method: 'GET', url: 'API/bpm/process', x: 200, y: 100, wires: [[], []] },
];

/** Cancels the open edit tray and waits until it is gone: the next tray would otherwise meet its twin button while it slides out. */
async function closeTray(page: Page, cancel: string): Promise<void> {
	await page.locator(cancel).click();
	await page.locator(cancel).waitFor({ state: 'detached' });
}

/** Flags for a closed network: without them Chromium floods the log with refused background connections. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

for (const [label, runtime] of [
	['Node-RED 4.1', async () => ensureNodeRed4()],
	['Node-RED 5', ensureNodeRed5],
] as const) {
	describe(`the ${label} editor in headless Chromium`, function () {
		this.timeout(3 * 60 * 1000);
		let nodeRed: NodeRedInstance;
		let browser: Browser;
		let page: Page;
		const consoleErrors: string[] = [];

		before(async () => {
			nodeRed = await startNodeRed({ runtime: await runtime(), packageTgz: packageTgz(), flows: FLOW });
			browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
			page = await browser.newPage();
			page.on('console', (message) => {
				if (message.type() === 'error') consoleErrors.push(message.text());
			});
			page.on('pageerror', (error) => consoleErrors.push(error.message));
			await page.goto(nodeRed.adminUrl);
			await page.waitForFunction(() => (globalThis as unknown as { RED?: { nodes?: { node(id: string): unknown } } }).RED?.nodes?.node('ed-request') !== undefined, undefined, { timeout: 60_000 });
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

		it('opens the bpm-request edit dialog with its fields', async () => {
			await page.evaluate(() => {
				const RED = (globalThis as unknown as { RED: { editor: { edit(node: unknown): void }; nodes: { node(id: string): unknown } } }).RED;
				RED.editor.edit(RED.nodes.node('ed-request'));
			});
			await page.locator('#node-input-url').waitFor();
			expect(await page.inputValue('#node-input-url')).to.equal('API/bpm/process');
			expect(await page.inputValue('#node-input-method')).to.equal('GET');
			expect(await page.inputValue('#node-input-auth')).to.equal('bonita');
			expect(await page.locator('#node-row-bonita').isVisible()).to.equal(true);
			expect(await page.locator('#node-row-baw').isVisible()).to.equal(false);
			await closeTray(page, '#node-dialog-cancel');
		});

		it('opens the bpm-bonita config dialog with password-typed credentials', async () => {
			await page.evaluate(() => {
				const RED = (globalThis as unknown as { RED: { editor: { editConfig(name: string, type: string, id: string): void } } }).RED;
				RED.editor.editConfig('', 'bpm-bonita', 'ed-server');
			});
			await page.locator('#node-config-input-url').waitFor();
			expect(await page.inputValue('#node-config-input-url')).to.equal('http://127.0.0.1:9/bonita');
			expect(await page.getAttribute('#node-config-input-password', 'type')).to.equal('password');
			await closeTray(page, '#node-config-dialog-cancel');
		});

		it('shows bpm oauth2 token in the palette', async () => {
			const paletteNode = page.locator('.red-ui-palette-node[data-palette-type="bpm-oauth2-token"]');
			await paletteNode.waitFor({ state: 'attached' });
			expect((await paletteNode.textContent())?.replace(/\s+/g, ' ').trim()).to.equal('bpm oauth2 token');
		});

		it('opens the bpm-auth config dialog showing only the chosen scheme\'s fields, secrets password-typed', async () => {
			await page.evaluate(() => {
				const RED = (globalThis as unknown as { RED: { editor: { editConfig(name: string, type: string, id: string): void } } }).RED;
				RED.editor.editConfig('', 'bpm-auth', 'ed-auth');
			});
			await page.locator('#node-config-input-scheme').waitFor();
			expect(await page.inputValue('#node-config-input-scheme')).to.equal('digest');
			expect(await page.locator('#node-config-input-user').isVisible()).to.equal(true);
			expect(await page.locator('#node-config-input-tokenUrl').isVisible()).to.equal(false);
			await page.selectOption('#node-config-input-scheme', 'oauth2ClientCredentials');
			expect(await page.locator('#node-config-input-user').isVisible()).to.equal(false);
			expect(await page.locator('#node-config-input-tokenUrl').isVisible()).to.equal(true);
			expect(await page.getAttribute('#node-config-input-clientSecret', 'type')).to.equal('password');
			await closeTray(page, '#node-config-dialog-cancel');
		});

		it('logged no browser console error', () => {
			expect(consoleErrors).to.deep.equal([]);
		});
	});
}
