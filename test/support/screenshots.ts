import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { TMP_DIR } from './runtimes';

/**
 * Where the browser tests leave their screenshots: .tmp/screenshots on every run, docs/screenshots when
 * `npm run screenshots` regenerates the README's pictures (BPM_SCREENSHOT_DIR).
 */
export const SCREENSHOT_DIR = path.resolve(process.env.BPM_SCREENSHOT_DIR ?? path.join(TMP_DIR, 'screenshots'));

/** Saves the page, or one element of it, as <name>.png. */
export async function saveScreenshot(page: Page, name: string, selector?: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	if (selector) await page.locator(selector).first().screenshot({ path: file });
	else await page.screenshot({ path: file });
	return file;
}
