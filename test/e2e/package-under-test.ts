import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The tarball scripts/test.ts packed: end-to-end tests install exactly what users install. */
export function packageTgz(): string {
	const tgz = process.env.BPM_PACKAGE_TGZ;
	if (!tgz) throw new Error('BPM_PACKAGE_TGZ is not set: run the suite through `npm test` (scripts/test.ts packs the package)');
	return tgz;
}

export function readJson<T>(relative: string): T {
	return JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', relative), 'utf8')) as T;
}

/** Marker secrets: every output and log of a run is scanned for them. */
export const MARKER_PASSWORD = 'marker-pw-7Qz!x';
export const SIM_USER = 'walter.bates';

/** Polls until the condition holds, e.g. a line in a runtime's log. */
export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
