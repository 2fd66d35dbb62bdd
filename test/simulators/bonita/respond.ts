/**
 * One request's context and the simulator's ways to answer it: plain, JSON, Toolkit and Restlet error bodies
 * (vendor-protocols.md A.6). Every answer ends the handler by throwing HttpDone.
 */
import type * as http from 'node:http';

export interface Session {
  id: string;
  userName: string;
  userId: string;
  token: string;
  engineSessionId: string;
  lastAccess: number;
}

export interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  pathname: string;
  query: URLSearchParams;
  body: Buffer;
  bodySize: number;
  truncated: boolean;
  cookies: Map<string, string[]>;
  setCookies: string[];
  session?: Session;
  /** wait this long before writing the answer (list answers under the pageDelayMs option) */
  delayMs?: number;
  /** the request was processed: destroy the socket instead of answering (an armed dropAfterProcessing fault) */
  drop?: boolean;
}

export const JSON_UTF8 = 'application/json;charset=UTF-8';
export const TEXT_UTF8 = 'text/plain;charset=UTF-8';
export const HTML_UTF8 = 'text/html;charset=UTF-8';
export const TOOLKIT_EX = 'org.bonitasoft.web.toolkit.client.common.exception.api';

export class HttpDone extends Error {}

export function send(ctx: Ctx, status: number, body?: string | Buffer, contentType?: string, extra?: Record<string, string>): never {
  const { res } = ctx;
  if (ctx.drop) {
    ctx.req.socket.destroy();
    throw new HttpDone();
  }
  if (!res.headersSent) {
    const headers: http.OutgoingHttpHeaders = { ...extra };
    if (ctx.setCookies.length > 0) headers['Set-Cookie'] = ctx.setCookies;
    const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    if (contentType) headers['Content-Type'] = contentType;
    if (status !== 204 && status !== 304) headers['Content-Length'] = String(buf.length);
    const write = (): void => {
      if (res.destroyed) return;
      res.writeHead(status, headers);
      res.end(ctx.method === 'HEAD' || status === 204 || status === 304 ? undefined : buf);
    };
    if (ctx.delayMs) setTimeout(write, ctx.delayMs);
    else write();
  }
  throw new HttpDone();
}

export const empty = (ctx: Ctx, status: number, contentType?: string): never => send(ctx, status, undefined, contentType);

export const json = (ctx: Ctx, status: number, value: unknown, extra?: Record<string, string>): never => send(ctx, status, JSON.stringify(value), JSON_UTF8, extra);

/** ToolkitHttpServlet error body. */
export function toolkitError(ctx: Ctx, status: number, exception: string, message: string, api: string, resource: string, more: Record<string, unknown> = {}): never {
  const cls = exception.includes('.') ? exception : `${TOOLKIT_EX}.${exception}`;
  return json(ctx, status, { exception: `class ${cls}`, message, api, resource, ...more });
}

/** Restlet resource error body. */
export function restletError(ctx: Ctx, status: number, exception: string, message: string, more: Record<string, unknown> = {}): never {
  return json(ctx, status, { exception: `class ${exception}`, message, ...more });
}

export function html(ctx: Ctx, status: number, title: string): never {
  return send(ctx, status, `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, HTML_UTF8);
}

export function methodNotAllowedServlet(ctx: Ctx, allow: string): never {
  return send(ctx, 405, `<!DOCTYPE html><html><body><h1>HTTP Status 405 – Method Not Allowed</h1></body></html>`, HTML_UTF8, { Allow: allow });
}

export function notAllowed(ctx: Ctx, api: string, resource: string): never {
  return toolkitError(ctx, 405, 'APIMethodNotAllowedException', `Method ${ctx.method} not allowed for ${api}/${resource}`, api, resource);
}

export const isGet = (ctx: Ctx): boolean => ctx.method === 'GET' || ctx.method === 'HEAD';

/** Restlet resources parse the id with Long.parseLong (NumberFormatException -> 400). */
export function restletId(ctx: Ctx, id: string): string {
  if (!/^-?\d+$/.test(id)) return restletError(ctx, 400, 'java.lang.NumberFormatException', `For input string: "${id}"`);
  return BigInt(id).toString();
}

/** APIServletCall id check: returns the id or answers 400 / 500. */
export function toolkitId(ctx: Ctx, id: string, api: string, resource: string): string {
  if (/^-?\d+$/.test(id)) {
    if (BigInt(id) <= 0n) {
      return toolkitError(ctx, 400, 'APIIncorrectIdException', `Id must be non-zero positive for ${api} on resource ${resource}`, api, resource);
    }
    return BigInt(id).toString();
  }
  return toolkitError(ctx, 500, 'APIItemIdMalformedException', "Can't convert non numeric ID to long", api, resource);
}

export function parseJsonBody(ctx: Ctx): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = ctx.body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** JSON object body of a Toolkit resource (POST / PUT). */
export function toolkitJsonObject(ctx: Ctx, api: string, resource: string): Record<string, unknown> {
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return toolkitError(ctx, 400, 'APIException', `Invalid JSON body: ${parsed.error}`, api, resource);
  if (parsed.value === undefined || parsed.value === null) return {};
  if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return toolkitError(ctx, 400, 'APIException', 'Invalid JSON body: a JSON object is expected', api, resource);
  }
  return parsed.value as Record<string, unknown>;
}

/** JSON object body of a Restlet resource (contract inputs, message). */
export function restletJsonObject(ctx: Ctx): Record<string, unknown> {
  const parsed = parseJsonBody(ctx);
  if (!parsed.ok) return restletError(ctx, 400, 'com.fasterxml.jackson.core.JsonParseException', parsed.error);
  if (parsed.value === undefined || parsed.value === null) return {};
  if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return restletError(ctx, 400, 'java.lang.IllegalArgumentException', 'Contract inputs must be a JSON object');
  }
  return parsed.value as Record<string, unknown>;
}
