import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { captureOutput } from '../support/captured-output';
import { freePort } from '../support/node-red-runner';
import { CHROMIUM_ARGS, ensureChromium, REPO_ROOT } from '../support/runtimes';
import { saveScreenshot } from '../support/screenshots';
import { until } from './package-under-test';

/** The editor's global, as the page functions below (run in the browser) use it. */
declare const RED: {
	nodes: { node(id: string): { z: string } | undefined; eachWorkspace(cb: (tab: { id: string; label: string }) => void): void };
	workspaces: { show(id: string): void };
	sidebar: { show(id: string): void };
};

/** Each example flow that runs against a simulator: its inject node and the names of its two debug nodes. */
const EXAMPLES = [
	{ inject: 'bpmc-inject', done: 'task executed', errors: 'errors' },
	{ inject: 'bpmc-baw-inject', done: 'baw done', errors: 'baw errors' },
	{ inject: 'bpmc-simplicite-inject', done: 'simplicite done', errors: 'simplicite errors' },
	{ inject: 'bpmc-funnelback-inject', done: 'funnelback done', errors: 'funnelback errors' },
	{ inject: 'bpmc-bawops-inject', done: 'baw ops done', errors: 'baw ops errors' },
	{ inject: 'bpmc-simpops-inject', done: 'simplicite ops done', errors: 'simplicite ops errors' },
	{ inject: 'bpmc-fbops-inject', done: 'funnelback ops done', errors: 'funnelback ops errors' },
];

describe('npm start: the first look', function () {
	this.timeout(3 * 60 * 1000);
	let start: ChildProcess;
	let log = '';
	let browser: Browser;
	let page: Page;
	const consoleErrors: string[] = [];

	before(async () => {
		const port = await freePort();
		// What `npm start` runs after its build (npm test has built dist/ already).
		start = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], { cwd: REPO_ROOT, env: { ...process.env, NODE_RED_PORT: String(port) }, detached: true });
		start.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
		start.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
		await until(() => log.includes(`Node-RED editor: http://127.0.0.1:${port}/`) && /Started flows/.test(log), 'npm start to start Node-RED and its flows', 90_000);
		browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
		page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
		// A resource that fails is reported below with its URL, so the console's own line for it (without one) is left out.
		page.on('console', (message) => void (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && consoleErrors.push(message.text())));
		page.on('pageerror', (error) => consoleErrors.push(error.message));
		page.on('requestfailed', (request) => consoleErrors.push(`${request.url()}: ${request.failure()?.errorText}`));
		page.on('response', (response) => void (response.status() >= 400 && consoleErrors.push(`${response.url()}: ${response.status()}`)));
		await page.goto(`http://127.0.0.1:${port}/`);
		await page.waitForFunction(() => typeof RED !== 'undefined' && RED.nodes?.node('bpmc-inject') !== undefined, undefined, { timeout: 60_000 });
	});
	after(async () => {
		await browser?.close();
		if (start?.pid) process.kill(-start.pid, 'SIGTERM');
		captureOutput('npm-start', log);
	});

	it('opens the editor on the example flows with no tour covering them', async () => {
		const tabs = await page.evaluate(() => {
			const labels: string[] = [];
			RED.nodes.eachWorkspace((tab) => labels.push(tab.label));
			return labels;
		});
		expect(tabs).to.include.members(['Bonita: start a case and complete its task']);
		expect(tabs.length).to.be.at.least(EXAMPLES.length);
		await page.waitForTimeout(1500); // a tour, when there is one, opens a moment after the flows
		expect(await page.locator('.red-ui-tourGuide-popover, #red-ui-tourGuide-shade').count()).to.equal(0);
		await saveScreenshot(page, 'node-red-start');
	});

	it("runs each vendor's example flow from its inject button: the debug sidebar shows the result and no error", async () => {
		await page.evaluate(() => RED.sidebar.show('debug'));
		for (const example of EXAMPLES) {
			await page.evaluate((id) => RED.workspaces.show(RED.nodes.node(id)!.z), example.inject);
			await page.locator(`[id="${example.inject}"] .red-ui-flow-node-button`).click();
			const done = page.locator('.red-ui-debug-msg', { hasText: example.done });
			await done.first().waitFor({ timeout: 30_000 });
		}
		await saveScreenshot(page, 'node-red-start-debug');
		const names = await page.locator('.red-ui-debug-msg-name').allTextContents();
		for (const example of EXAMPLES) expect(names.filter((name) => name.trim() === `node: ${example.errors}`), example.errors).to.deep.equal([]);
		expect(names.filter((name) => EXAMPLES.some((example) => name.trim() === `node: ${example.done}`))).to.have.length.at.least(EXAMPLES.length);
	});

	it('logged no browser console error (but the palette catalogue, which this closed network cannot reach)', () => {
		expect(consoleErrors.filter((error) => !error.startsWith('https://catalogue.nodered.org/'))).to.deep.equal([]);
	});
});
