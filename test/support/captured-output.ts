/**
 * Everything the real runtimes printed and every answer a test received from them, kept on disk so
 * that `npm test` can scan the whole run for marker secrets at the end (scripts/test.ts), not only the
 * places each test thought to look.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TMP_DIR } from './runtimes';

/** This run's own folder: two test runs side by side (a helper's and yours) neither wipe nor scan each other's files. */
export const CAPTURE_DIR = path.join(TMP_DIR, 'captured', String(process.pid));

let counter = 0;

export function captureOutput(source: string, text: string): void {
  fs.mkdirSync(CAPTURE_DIR, { recursive: true });
  fs.writeFileSync(path.join(CAPTURE_DIR, `${source}-${++counter}.log`), text);
}

export interface SecretHit {
  file: string;
  secret: string;
}

/** Each marker secret found in a captured file; the secret is reported by its first characters only. */
export function scanCapturedOutput(secrets: readonly string[], dir = CAPTURE_DIR): { files: number; bytes: number; hits: SecretHit[] } {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
  const hits: SecretHit[] = [];
  let bytes = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    for (const secret of secrets) if (text.includes(secret)) hits.push({ file: path.basename(file), secret: `${secret.slice(0, 4)}…` });
  }
  return { files: files.length, bytes, hits };
}
