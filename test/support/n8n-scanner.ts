/**
 * n8n's community package scanner (`@n8n/scan-community-package`), pinned and cached in `.runtimes/n8n-scanner`,
 * installed like the other runtimes (marker file, lock, memoised; a failed install names the scanner).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ensureNode24, fail, freshDir, once, progress, readMarker, readVersion, RUNTIMES_DIR, runNpm, seconds, withLock, writeJson, writeMarker } from './runtimes';

export const N8N_SCANNER_VERSION = '0.32.0';
export const N8N_SCANNER_DIR = path.join(RUNTIMES_DIR, 'n8n-scanner');

export interface N8nScanner {
	/** The Node 24 the scanner runs on (its engines field asks for >= 24). */
	node: string;
	/** `scanner/scanner.mjs`, which exports `analyzePackage` and `SOURCE_FILE_PATTERNS`. */
	module: string;
	version: string;
}

const WHAT = `n8n's scanner @n8n/scan-community-package@${N8N_SCANNER_VERSION}`;

export function ensureN8nScanner(): Promise<N8nScanner> {
	return once('n8n-scanner', async () => {
		let node: string;
		try {
			node = await ensureNode24();
		} catch (err) {
			throw fail(WHAT, err);
		}
		const pkgDir = path.join(N8N_SCANNER_DIR, 'node_modules', '@n8n', 'scan-community-package');
		const module = path.join(pkgDir, 'scanner', 'scanner.mjs');
		const check = (): N8nScanner | undefined => {
			const marker = readMarker<{ version?: string }>(N8N_SCANNER_DIR);
			if (marker?.version !== N8N_SCANNER_VERSION || !fs.existsSync(module)) return undefined;
			return { node, module, version: N8N_SCANNER_VERSION };
		};
		const cached = check();
		if (cached) return cached;
		try {
			return await withLock('n8n-scanner', 10 * 60_000, async () => {
				const again = check();
				if (again) return again;
				const started = Date.now();
				progress(`installing ${WHAT} into ${N8N_SCANNER_DIR}…`);
				freshDir(N8N_SCANNER_DIR);
				writeJson(path.join(N8N_SCANNER_DIR, 'package.json'), { private: true, name: 'bpm-runtime-n8n-scanner' });
				// A dependency's preinstall runs `npx`; the scanner needs no install script at all.
				await runNpm(node, ['install', '--no-audit', '--no-fund', '--ignore-scripts', `@n8n/scan-community-package@${N8N_SCANNER_VERSION}`], {
					cwd: N8N_SCANNER_DIR,
					timeoutMs: 10 * 60_000,
					label: 'npm n8n-scanner',
				});
				const version = readVersion(pkgDir);
				if (version !== N8N_SCANNER_VERSION) throw new Error(`installed scanner is ${version}, expected ${N8N_SCANNER_VERSION}`);
				if (!fs.existsSync(module)) throw new Error(`${module} missing after npm install`);
				writeMarker(N8N_SCANNER_DIR, { version });
				progress(`installed ${WHAT} in ${seconds(started)}`);
				return { node, module, version };
			});
		} catch (err) {
			throw fail(WHAT, err);
		}
	});
}
