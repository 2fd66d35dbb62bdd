/** The Authorization header as Funnelback's admin, push and search APIs read it. */

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
