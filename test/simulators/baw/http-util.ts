/**
 * Small HTTP helpers for the IBM BAW simulator: cookies, Basic credentials,
 * form parsing, body reading, ISO dates. Node built-ins only.
 */
import type { IncomingMessage } from 'node:http';

/** Parse a Cookie request header into name -> list of values (in order). */
export function parseCookies(header: string | string[] | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (header === undefined) return out;
  const raw = Array.isArray(header) ? header.join('; ') : header;
  for (const piece of raw.split(';')) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    const name = piece.slice(0, eq).trim();
    let value = piece.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!name) continue;
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

/** The media type of a Content-Type header value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
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

/**
 * The user name and password of an `Authorization: Basic` header.
 * undefined: no Authorization header, or another scheme.
 * null: a Basic header that cannot be decoded (no colon, empty).
 */
export function basicCredentials(header: string | undefined): { user: string; password: string } | null | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*Basic(?:\s+(\S*))?\s*$/i.exec(header);
  if (!m) return undefined;
  const b64 = m[1] ?? '';
  if (!/^[A-Za-z0-9+/=_-]+$/.test(b64)) return null;
  const text = Buffer.from(b64, 'base64').toString('utf8');
  const c = text.indexOf(':');
  if (c < 0) return null;
  return { user: text.slice(0, c), password: text.slice(c + 1) };
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

/** ISO 8601 with milliseconds and Z, as BAW prints dates in JSON. */
export function isoDate(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}
