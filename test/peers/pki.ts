/**
 * A throw-away PKI for TLS tests, made with the `openssl` CLI (commands of http.md §6):
 *
 *  - `ca`               Test CA (self-signed, CA:TRUE, keyCertSign)
 *  - `server`           CN=localhost, SAN DNS:localhost + IP:127.0.0.1, serverAuth, signed by the CA
 *  - `wrongHost`        SAN DNS:example.invalid only, serverAuth, signed by the CA
 *  - `selfSigned`       self-signed server cert (SAN localhost + 127.0.0.1), not from the CA
 *  - `client`           CN=bpm-test-client, clientAuth, signed by the CA
 *  - `untrustedClient`  CN=bpm-untrusted-client, clientAuth, self-signed (an mTLS server must refuse it)
 *  - `clientP12`        client key + cert + CA as PKCS#12, OpenSSL 3 default (AES-256/PBES2), pass `changeit`
 *  - `clientLegacyP12`  the same with `-legacy` (RC2-40/3DES): Node 20 refuses it
 *
 * Without `dir`, the PKI is made once per process in a temp dir under <repo>/.tmp (removed on exit
 * unless BPM_KEEP_TMP=1). With `dir`, it is made there, or reused when a complete one from the last
 * 24 hours is found.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../support/runtimes';
import { makeTempDir } from '../support/node-red-runner';

export interface PemFiles {
	/** PEM certificate. */
	cert: string;
	/** PEM private key (unencrypted). */
	key: string;
	certPath: string;
	keyPath: string;
}

export interface P12File {
	path: string;
	pfx: Buffer;
	passphrase: string;
}

export interface Pki {
	dir: string;
	ca: PemFiles;
	server: PemFiles;
	wrongHost: PemFiles;
	selfSigned: PemFiles;
	client: PemFiles & { subject: string };
	untrustedClient: PemFiles & { subject: string };
	clientP12: P12File;
	clientLegacyP12: P12File;
	/** The P12 password: `changeit`. */
	passphrase: string;
}

export const P12_PASSPHRASE = 'changeit';
export const CLIENT_CN = 'bpm-test-client';
export const UNTRUSTED_CLIENT_CN = 'bpm-untrusted-client';

const MARKER = '.pki-complete';
const DAYS = '7';

const cache = new Map<string, Promise<Pki>>();
const ownedDirs = new Set<string>();
process.on('exit', () => {
	if (process.env.BPM_KEEP_TMP === '1') return;
	for (const dir of ownedDirs) {
		try {
			fs.rmSync(dir, { recursive: true, force: true });
		} catch {
			/* best effort */
		}
	}
});

function openssl(args: string[], cwd: string): Promise<unknown> {
	return run('openssl', args, { cwd, timeoutMs: 60_000, label: 'openssl' });
}

function serial(): string {
	return `0x${randomBytes(8).toString('hex').replace(/^./, '1')}`;
}

/** Key + CSR, then a leaf cert signed by the CA with the given extensions. */
async function leaf(dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
	await openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
	fs.writeFileSync(path.join(dir, `${name}.ext`), extensions.join('\n') + '\n');
	await openssl(
		[
			'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', serial(),
			'-days', DAYS, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`,
		],
		dir,
	);
}

/** Self-signed cert with its own key. */
async function selfSigned(dir: string, name: string, subject: string, exts: string[]): Promise<void> {
	await openssl(
		[
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`,
			'-days', DAYS, '-subj', subject, ...exts.flatMap((e) => ['-addext', e]),
		],
		dir,
	);
}

async function generate(dir: string): Promise<void> {
	fs.rmSync(path.join(dir, MARKER), { force: true });
	await selfSigned(dir, 'ca', '/CN=BPM Connect Test CA', [
		'basicConstraints=critical,CA:TRUE',
		'keyUsage=critical,keyCertSign,cRLSign',
	]);
	const serverExt = (san: string) => [
		'basicConstraints=CA:FALSE',
		'keyUsage=critical,digitalSignature,keyEncipherment',
		'extendedKeyUsage=serverAuth',
		`subjectAltName=${san}`,
	];
	const clientExt = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth'];
	await Promise.all([
		leaf(dir, 'server', '/CN=localhost', serverExt('DNS:localhost,IP:127.0.0.1')),
		leaf(dir, 'wrong-host', '/CN=example.invalid', serverExt('DNS:example.invalid')),
		selfSigned(dir, 'self-signed', '/CN=localhost', ['basicConstraints=critical,CA:FALSE', 'subjectAltName=DNS:localhost,IP:127.0.0.1', 'extendedKeyUsage=serverAuth']),
		leaf(dir, 'client', `/CN=${CLIENT_CN}`, clientExt),
		selfSigned(dir, 'untrusted-client', `/CN=${UNTRUSTED_CLIENT_CN}`, ['basicConstraints=critical,CA:FALSE', 'extendedKeyUsage=clientAuth']),
	]);
	const p12 = ['pkcs12', '-export', '-inkey', 'client.key', '-in', 'client.crt', '-certfile', 'ca.crt', '-name', CLIENT_CN, '-passout', `pass:${P12_PASSPHRASE}`];
	await openssl([...p12, '-out', 'client.p12'], dir);
	await openssl([...p12, '-legacy', '-out', 'client-legacy.p12'], dir).catch((err: Error) => {
		throw new Error(`openssl could not write the legacy (-legacy, RC2/3DES) P12: ${err.message}`);
	});
	for (const f of fs.readdirSync(dir)) if (/\.(csr|ext)$/.test(f)) fs.rmSync(path.join(dir, f));
	fs.writeFileSync(path.join(dir, MARKER), new Date().toISOString());
}

function load(dir: string): Pki {
	const pem = (name: string): PemFiles => {
		const certPath = path.join(dir, `${name}.crt`);
		const keyPath = path.join(dir, `${name}.key`);
		return { cert: fs.readFileSync(certPath, 'utf8'), key: fs.readFileSync(keyPath, 'utf8'), certPath, keyPath };
	};
	const p12 = (file: string): P12File => {
		const p = path.join(dir, file);
		return { path: p, pfx: fs.readFileSync(p), passphrase: P12_PASSPHRASE };
	};
	return {
		dir,
		ca: pem('ca'),
		server: pem('server'),
		wrongHost: pem('wrong-host'),
		selfSigned: pem('self-signed'),
		client: { ...pem('client'), subject: `CN=${CLIENT_CN}` },
		untrustedClient: { ...pem('untrusted-client'), subject: `CN=${UNTRUSTED_CLIENT_CN}` },
		clientP12: p12('client.p12'),
		clientLegacyP12: p12('client-legacy.p12'),
		passphrase: P12_PASSPHRASE,
	};
}

function reusable(dir: string): boolean {
	try {
		const age = Date.now() - fs.statSync(path.join(dir, MARKER)).mtimeMs;
		return age < 24 * 3600 * 1000;
	} catch {
		return false;
	}
}

export function createTestPki(dir?: string): Promise<Pki> {
	const key = dir ? path.resolve(dir) : '';
	let p = cache.get(key);
	if (!p) {
		p = (async () => {
			let target: string;
			if (dir) {
				target = path.resolve(dir);
				fs.mkdirSync(target, { recursive: true });
				if (reusable(target)) return load(target);
			} else {
				target = makeTempDir('pki');
				ownedDirs.add(target);
			}
			try {
				await generate(target);
			} catch (err) {
				throw new Error(`test PKI could not be created in ${target}: ${(err as Error).message}`);
			}
			return load(target);
		})();
		cache.set(key, p);
		p.catch(() => cache.delete(key));
	}
	return p;
}
