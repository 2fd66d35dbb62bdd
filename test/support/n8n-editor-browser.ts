import { chromium, type Browser, type Page } from 'playwright-core';
import type { N8nOwner } from './n8n-server';
import { CHROMIUM_ARGS, ensureChromium } from './runtimes';

/** Chromium signed in to a running n8n as its owner, on a page of the editor's size. */
export async function signInToN8nEditor(serverUrl: string, owner: N8nOwner): Promise<{ browser: Browser; page: Page }> {
	const browser = await chromium.launch({ executablePath: await ensureChromium(), args: CHROMIUM_ARGS });
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	// A cold load of n8n's editor (some 500 modules) takes 20 s on a busy 2-core machine.
	page.setDefaultTimeout(90_000);
	await page.goto(`${serverUrl}/signin`);
	await page.fill('#emailOrLdapLoginId', owner.email);
	await page.fill('#password', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	return { browser, page };
}
