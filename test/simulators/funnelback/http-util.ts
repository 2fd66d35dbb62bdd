/**
 * Small HTTP helpers for the Funnelback simulator: body reading, form
 * parsing, Basic credentials. Node built-ins only.
 */
import type { IncomingMessage } from 'node:http';

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The media type of a Content-Type header value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/**
 * Parse application/x-www-form-urlencoded text (UTF-8) into name -> values.
 * Never throws: malformed percent escapes are kept literally.
 */
export function parseForm(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!text) return out;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const name = safeDecode(rawName.replace(/\+/g, ' '));
    const value = safeDecode(rawValue.replace(/\+/g, ' '));
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * The scheme of an Authorization header ("basic", "bearer", ...), lower case,
 * and for Basic the decoded credentials (undefined when malformed).
 */
export function parseAuthorization(header: string | undefined): { scheme: string; basic?: BasicCredentials } | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  const sp = trimmed.indexOf(' ');
  const scheme = (sp < 0 ? trimmed : trimmed.slice(0, sp)).toLowerCase();
  if (scheme !== 'basic') return { scheme };
  const b64 = sp < 0 ? '' : trimmed.slice(sp + 1).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return { scheme };
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme };
  return { scheme, basic: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
}

export interface ReadBody {
  body: Buffer;
  /** total bytes received (may exceed body.length when truncated) */
  size: number;
  truncated: boolean;
}

/** Read a whole request body, keeping at most `cap` bytes but always draining the rest. */
export function readBody(req: IncomingMessage, cap: number): Promise<ReadBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    let truncated = false;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      resolve({ body: Buffer.concat(chunks), size, truncated });
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (truncated) return;
      if (kept + chunk.length > cap) {
        truncated = true;
        return;
      }
      chunks.push(chunk);
      kept += chunk.length;
    });
    req.on('end', finish);
    req.on('error', finish);
    req.on('close', finish);
  });
}
