/**
 * Small HTTP helpers shared by the vendor simulators: cookies, Basic credentials, form and multipart
 * parsing, body reading. Node built-ins only.
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

/** A parameter (for example boundary or charset) of a Content-Type header value; quoted values may contain ';'. */
export function contentTypeParam(contentType: string | undefined, name: string): string | undefined {
  if (!contentType) return undefined;
  const re = /;\s*([^\s;=]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(contentType)) !== null) {
    if (m[1]!.toLowerCase() !== name.toLowerCase()) continue;
    if (m[3] !== undefined) return m[3].replace(/\\(.)/g, '$1');
    return m[2]!.trim();
  }
  return undefined;
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

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface MultipartPart {
  name: string | undefined;
  /** undefined for a plain form field (no filename attribute), like commons-fileupload isFormField(). */
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

/**
 * Split a multipart/form-data body on its boundary. Returns undefined when the
 * body is not a well-formed multipart body for that boundary.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | undefined {
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  for (;;) {
    let start = pos + delimiter.length;
    // closing delimiter "--boundary--"
    if (body[start] === 0x2d && body[start + 1] === 0x2d) return parts;
    // skip transport padding then CRLF
    while (body[start] === 0x20 || body[start] === 0x09) start++;
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    else if (body[start] === 0x0a) start += 1;
    else return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) return undefined;
    const partBuf = body.subarray(start, next);
    const headerEnd = partBuf.indexOf('\r\n\r\n');
    let headerText: string;
    let data: Buffer;
    if (headerEnd < 0) {
      // a part with no headers at all starts with the blank line
      if (partBuf.subarray(0, 2).toString('latin1') === '\r\n') {
        headerText = '';
        data = partBuf.subarray(2);
      } else {
        return undefined;
      }
    } else {
      headerText = partBuf.subarray(0, headerEnd).toString('utf8');
      data = partBuf.subarray(headerEnd + 4);
    }
    const headers = new Map<string, string>();
    for (const line of headerText.split('\r\n')) {
      const c = line.indexOf(':');
      if (c <= 0) continue;
      headers.set(line.slice(0, c).trim().toLowerCase(), line.slice(c + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    parts.push({
      name: dispositionParam(disposition, 'name'),
      filename: dispositionParam(disposition, 'filename'),
      contentType: headers.get('content-type'),
      data: Buffer.from(data),
    });
    pos = next + 2;
  }
}

function dispositionParam(disposition: string, name: string): string | undefined {
  // name="x"; filename="y" — quoted strings may contain ';'
  const re = /;\s*([A-Za-z0-9_*-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(disposition)) !== null) {
    if (m[1]!.toLowerCase() !== name) continue;
    if (m[3] !== undefined) return m[3].replace(/\\(.)/g, '$1');
    return m[2]!.trim();
  }
  return undefined;
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
