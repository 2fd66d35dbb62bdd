/**
 * A pinned command-line tool from the npm registry (n8n's scanner, node-red-dev), installed like the runtimes: in
 * its own folder of `.runtimes/`, with a marker file, a lock and one promise per process; a failed install names it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fail, freshDir, once, progress, readMarker, readVersion, RUNTIMES_DIR, runNpm, seconds, withLock, writeJson, writeMarker } from './runtimes';

export interface NpmToolSpec {
	/** The folder under `.runtimes/`, also the lock's and the memo's name. */
	name: string;
	/** The npm package and its exact version. */
	pkg: string;
	version: string;
	/** The Node.js the tool runs on (its engines field decides). */
	node(): Promise<string>;
	/** The file the tests call, relative to the installed package. */
	entry: string;
}

export interface NpmTool {
	node: string;
	/** Absolute path of the spec's entry. */
	entry: string;
	version: string;
}

export function ensureNpmTool(spec: NpmToolSpec): Promise<NpmTool> {
	const what = `${spec.pkg}@${spec.version}`;
	const dir = path.join(RUNTIMES_DIR, spec.name);
	const pkgDir = path.join(dir, 'node_modules', ...spec.pkg.split('/'));
	const entry = path.join(pkgDir, spec.entry);
	return once(spec.name, async () => {
		try {
			const node = await spec.node();
			const installed = (): NpmTool | undefined => (readMarker<{ version?: string }>(dir)?.version === spec.version && fs.existsSync(entry) ? { node, entry, version: spec.version } : undefined);
			return (
				installed() ??
				(await withLock(spec.name, 10 * 60_000, async () => {
					const again = installed();
					if (again) return again;
					const started = Date.now();
					progress(`installing ${what} into ${dir}…`);
					freshDir(dir);
					writeJson(path.join(dir, 'package.json'), { private: true, name: `bpm-runtime-${spec.name}` });
					// Neither tool needs an install script, and one of the scanner's dependencies runs npx in its preinstall.
					await runNpm(node, ['install', '--no-audit', '--no-fund', '--ignore-scripts', what], { cwd: dir, timeoutMs: 10 * 60_000, label: `npm ${spec.name}` });
					const version = readVersion(pkgDir);
					if (version !== spec.version) throw new Error(`installed ${spec.pkg} is ${version}, expected ${spec.version}`);
					if (!fs.existsSync(entry)) throw new Error(`${entry} missing after npm install`);
					writeMarker(dir, { version });
					progress(`installed ${what} in ${seconds(started)}`);
					return { node, entry, version };
				}))
			);
		} catch (err) {
			throw fail(what, err);
		}
	});
}
