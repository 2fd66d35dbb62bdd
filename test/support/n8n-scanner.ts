/** n8n's community package scanner (`@n8n/scan-community-package`), pinned and cached in `.runtimes/n8n-scanner`. */
import { ensureNpmTool, type NpmTool } from './npm-tool';
import { ensureNode24 } from './runtimes';

export const N8N_SCANNER_VERSION = '0.32.0';

/** `entry` is `scanner/scanner.mjs`, which exports `analyzePackage` and `SOURCE_FILE_PATTERNS`; it runs on Node 24 (its engines field asks for >= 24). */
export function ensureN8nScanner(): Promise<NpmTool> {
	return ensureNpmTool({ name: 'n8n-scanner', pkg: '@n8n/scan-community-package', version: N8N_SCANNER_VERSION, node: ensureNode24, entry: 'scanner/scanner.mjs' });
}
