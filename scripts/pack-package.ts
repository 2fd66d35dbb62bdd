import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** `npm pack` into a fresh folder of .tmp/ (one per caller, so two runs never share one): what users install. */
export function packPackage(folder: string): string {
	const dir = path.join(root, '.tmp', folder);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tgz = readdirSync(dir).find((file) => file.endsWith('.tgz'));
	if (!tgz) throw new Error('npm pack produced no tarball');
	return path.join(dir, tgz);
}
