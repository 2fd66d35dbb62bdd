/**
 * Bonita web REST API simulator (login/logout services, CSRF token filter,
 * session resource, process/case/humanTask/userTask resources, file upload).
 *
 * Wire behaviour follows /work/shared/notes/vendor-protocols.md section A and
 * its "Simulator checklist → Bonita". Node built-ins only.
 */
import * as http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { contentTypeParam, mediaType, parseCookies, parseForm, parseMultipart, readBody, safeDecode, type MultipartPart } from '../http-util';
import { listenOnLoopback } from '../listen';
import { bonitaDate } from './bonita-date';
import { BonitaStore, validateContract, type Contract, type Item } from './data';

export interface BonitaSimulatorOptions {
  /** default 0 (ephemeral); the server listens on 127.0.0.1 only */
  port?: number;
  /** default '/bonita' */
  contextPath?: string;
  /** user name -> password; default { 'walter.bates': 'bpm' } */
  users?: Record<string, string>;
  /** default true; false = no X-Bonita-API-Token at all (no token cookie, no token header, no check) */
  csrf?: boolean;
  /** Path of the X-Bonita-API-Token cookie; default = contextPath ('/' when deployed at root) */
  tokenCookiePath?: string;
  /** default 30 min; a session idle for longer is gone (401) */
  idleTimeoutMs?: number;
  /** default 1 MiB; larger uploaded files get 413 */
  maxUploadBytes?: number;
  /** default '2024.1' (session JSON "version"); a '7.x' value below 7.15 also sets the bonita.tenant cookie */
  version?: string;
}

/**
 * Live counters.
 * - logins / loginFailures: loginservice outcomes.
 * - unauthorized: 401 because there was no valid session (API, /portal/fileUpload).
 * - csrfRejections: 401 on an unsafe method with a valid session but a missing or wrong token.
 * - logouts: calls to logoutservice.
 * - apiCalls: every request under <contextPath>/API/ (whatever its outcome).
 */
export interface BonitaStats {
  logins: number;
  loginFailures: number;
  unauthorized: number;
  csrfRejections: number;
  logouts: number;
  apiCalls: number;
}

export interface BonitaRequestRecord {
  method: string;
  /** URL path without the query string */
  path: string;
  /** raw request target (path and query string) */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface BonitaSimulator {
  /** base URL including the context path, e.g. http://127.0.0.1:41234/bonita */
  url: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  stats: BonitaStats;
  /** drop every session now (the next call gets 401) */
  expireSessions(): void;
  resetStats(): void;
  /** put the seed data back (processes, cases, tasks); sessions are kept */
  resetData(): void;
  /** every request seen (except /_sim control calls), the last 1000 */
  requests: BonitaRequestRecord[];
  close(): Promise<void>;
}

interface Session {
  id: string;
  userName: string;
  userId: string;
  token: string;
  engineSessionId: string;
  lastAccess: number;
}

interface Ctx {
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
}

const JSON_UTF8 = 'application/json;charset=UTF-8';
const TEXT_UTF8 = 'text/plain;charset=UTF-8';
const HTML_UTF8 = 'text/html;charset=UTF-8';
const MEGABYTE = 1048576;
const UNSAFE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
const TOOLKIT_EX = 'org.bonitasoft.web.toolkit.client.common.exception.api';
const CONTRACT_EX = 'class org.bonitasoft.engine.bpm.contract.ContractViolationException';
const TOKEN_COOKIE = 'X-Bonita-API-Token';
const EXPIRED = 'Expires=Thu, 01 Jan 1970 00:00:10 GMT';

class HttpDone extends Error {}

function normalizeContextPath(p: string): string {
  let s = p.trim();
  if (s === '' || s === '/') return '';
  if (!s.startsWith('/')) s = `/${s}`;
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

export async function startBonitaSimulator(options: BonitaSimulatorOptions = {}): Promise<BonitaSimulator> {
  const contextPath = normalizeContextPath(options.contextPath ?? '/bonita');
  const sessionCookiePath = contextPath || '/';
  const tokenCookiePath = options.tokenCookiePath ?? sessionCookiePath;
  const users: Record<string, string> = { ...(options.users ?? { 'walter.bates': 'bpm' }) };
  const csrf = options.csrf ?? true;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60 * 1000;
  const maxUploadBytes = options.maxUploadBytes ?? MEGABYTE;
  const version = options.version ?? '2024.1';
  const bodyCap = Math.max(maxUploadBytes, MEGABYTE) + MEGABYTE;
  const legacy7 = /^7\.(\d+)/.exec(version);
  const tenantCookie = legacy7 !== null && Number(legacy7[1]) < 15;
  const isModern = legacy7 === null;

  const store = new BonitaStore(Object.keys(users));
  const sessions = new Map<string, Session>();
  const stats: BonitaStats = { logins: 0, loginFailures: 0, unauthorized: 0, csrfRejections: 0, logouts: 0, apiCalls: 0 };
  const requests: BonitaRequestRecord[] = [];

  const resetStats = (): void => {
    stats.logins = 0;
    stats.loginFailures = 0;
    stats.unauthorized = 0;
    stats.csrfRejections = 0;
    stats.logouts = 0;
    stats.apiCalls = 0;
  };
  const expireSessions = (): void => sessions.clear();

  // ---------------------------------------------------------------- responses

  function send(ctx: Ctx, status: number, body?: string | Buffer, contentType?: string, extra?: Record<string, string>): never {
    const { res } = ctx;
    if (!res.headersSent) {
      const headers: http.OutgoingHttpHeaders = { ...extra };
      if (ctx.setCookies.length > 0) headers['Set-Cookie'] = ctx.setCookies;
      const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      if (contentType) headers['Content-Type'] = contentType;
      if (status !== 204 && status !== 304) headers['Content-Length'] = String(buf.length);
      res.writeHead(status, headers);
      res.end(ctx.method === 'HEAD' || status === 204 || status === 304 ? undefined : buf);
    }
    throw new HttpDone();
  }
  const empty = (ctx: Ctx, status: number, contentType?: string): never => send(ctx, status, undefined, contentType);
  const json = (ctx: Ctx, status: number, value: unknown, extra?: Record<string, string>): never =>
    send(ctx, status, JSON.stringify(value), JSON_UTF8, extra);

  /** ToolkitHttpServlet error body. */
  function toolkitError(ctx: Ctx, status: number, exception: string, message: string, api: string, resource: string, more: Record<string, unknown> = {}): never {
    const cls = exception.includes('.') ? exception : `${TOOLKIT_EX}.${exception}`;
    return json(ctx, status, { exception: `class ${cls}`, message, api, resource, ...more });
  }
  /** Restlet resource error body. */
  function restletError(ctx: Ctx, status: number, exception: string, message: string, more: Record<string, unknown> = {}): never {
    return json(ctx, status, { exception: `class ${exception}`, message, ...more });
  }
  function html(ctx: Ctx, status: number, title: string): never {
    return send(ctx, status, `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`, HTML_UTF8);
  }
  function methodNotAllowedServlet(ctx: Ctx, allow: string): never {
    return send(ctx, 405, `<!DOCTYPE html><html><body><h1>HTTP Status 405 – Method Not Allowed</h1></body></html>`, HTML_UTF8, { Allow: allow });
  }

  // ---------------------------------------------------------------- sessions and cookies

  function findSession(ctx: Ctx): Session | undefined {
    const ids = ctx.cookies.get('JSESSIONID') ?? [];
    const now = Date.now();
    for (const id of ids) {
      const s = sessions.get(id);
      if (!s) continue;
      if (now - s.lastAccess > idleTimeoutMs) {
        sessions.delete(id);
        continue;
      }
      s.lastAccess = now;
      return s;
    }
    return undefined;
  }

  function sweep(): void {
    const now = Date.now();
    for (const [id, s] of sessions) if (now - s.lastAccess > idleTimeoutMs) sessions.delete(id);
  }

  function createSession(userName: string): Session {
    if (sessions.size > 200) sweep();
    const s: Session = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      userName,
      userId: store.userIdFor(userName),
      token: randomUUID(),
      engineSessionId: (BigInt(`0x${randomBytes(8).toString('hex')}`) & 0x7fffffffffffffffn).toString(),
      lastAccess: Date.now(),
    };
    sessions.set(s.id, s);
    return s;
  }

  /** PortalCookies.addCSRFTokenCookieToResponse */
  function addTokenCookie(ctx: Ctx, token: string): void {
    if (ctx.cookies.has(TOKEN_COOKIE)) {
      ctx.setCookies.push(`${TOKEN_COOKIE}=""; Max-Age=0; ${EXPIRED}; Path=${tokenCookiePath}`);
      if (tokenCookiePath !== '/') ctx.setCookies.push(`${TOKEN_COOKIE}=""; Max-Age=0; ${EXPIRED}; Path=/`);
    }
    ctx.setCookies.push(`${TOKEN_COOKIE}=${token}; Path=${tokenCookiePath}`);
  }

  // ---------------------------------------------------------------- parameters

  /** Servlet getParameter semantics: query string first, then a form body (POST only). */
  function servletParams(ctx: Ctx): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [k, v] of ctx.query) {
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    }
    if (ctx.method === 'POST' && mediaType(ctx.req.headers['content-type']) === 'application/x-www-form-urlencoded') {
      for (const [k, vs] of parseForm(ctx.body.toString('utf8'))) {
        const list = out.get(k);
        if (list) list.push(...vs);
        else out.set(k, [...vs]);
      }
    }
    return out;
  }
  const first = (m: Map<string, string[]>, k: string): string | undefined => m.get(k)?.[0];

  function multipartParts(ctx: Ctx): MultipartPart[] | undefined {
    const ct = ctx.req.headers['content-type'];
    if (mediaType(ct) !== 'multipart/form-data') return undefined;
    return parseMultipart(ctx.body, contentTypeParam(ct, 'boundary') ?? '');
  }

  /** TokenValidatorFilter: header, then CSRFToken parameter, then multipart field. */
  function tokenFrom(ctx: Ctx): string | undefined {
    const h = ctx.req.headersDistinct['x-bonita-api-token'];
    if (h !== undefined && h.length > 0) return h[0];
    const p = first(servletParams(ctx), 'CSRFToken');
    if (p !== undefined) return p;
    const parts = multipartParts(ctx);
    const field = parts?.find((part) => part.name === 'CSRFToken' && part.filename === undefined);
    return field ? field.data.toString('utf8') : undefined;
  }

  function parseJsonBody(ctx: Ctx): { ok: true; value: unknown } | { ok: false; error: string } {
    const text = ctx.body.toString('utf8');
    if (text.trim() === '') return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** JSON object body for restlet resources (contract inputs). */
  function restletInputs(ctx: Ctx): Record<string, unknown> {
    const parsed = parseJsonBody(ctx);
    if (!parsed.ok) return restletError(ctx, 400, 'com.fasterxml.jackson.core.JsonParseException', parsed.error);
    if (parsed.value === undefined || parsed.value === null) return {};
    if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      return restletError(ctx, 400, 'java.lang.IllegalArgumentException', 'Contract inputs must be a JSON object');
    }
    return parsed.value as Record<string, unknown>;
  }

  // ---------------------------------------------------------------- login / logout

  function shouldRedirect(params: Map<string, string[]>, also: string[]): boolean {
    const r = first(params, 'redirect');
    if (r !== undefined) return r.toLowerCase() === 'true';
    return also.some((k) => params.has(k));
  }

  function localeOf(ctx: Ctx, params: Map<string, string[]>): string {
    const l = first(params, '_l') ?? first(params, 'locale') ?? ctx.cookies.get('BOS_Locale')?.[0];
    return l && /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/.test(l) ? l : 'en';
  }

  /** URLProtector + Tomcat relative redirect: keep only path/query, resolve against the request path. */
  function redirectLocation(ctx: Ctx, target: string): string {
    let t = target.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*/, '').replace(/^\/\/+[^/]*/, '');
    if (t === '') t = '/';
    try {
      const u = new URL(t, `http://sim${ctx.pathname}`);
      return u.pathname + u.search + u.hash;
    } catch {
      return `${contextPath}/`;
    }
  }

  function handleLogin(ctx: Ctx): never {
    if (ctx.method !== 'GET' && ctx.method !== 'POST') return methodNotAllowedServlet(ctx, 'GET, POST');
    const ct = ctx.req.headers['content-type'];
    if (ct !== undefined && mediaType(ct) !== 'application/x-www-form-urlencoded') return empty(ctx, 415);
    const params = servletParams(ctx);
    const redirect = shouldRedirect(params, ['redirectUrl']);
    const locale = localeOf(ctx, params);
    const userName = first(params, 'username');
    const password = first(params, 'password');
    const ok =
      userName !== undefined &&
      userName !== '' &&
      Object.prototype.hasOwnProperty.call(users, userName) &&
      users[userName] === password;
    if (!ok) {
      stats.loginFailures++;
      if (redirect) return html(ctx, 200, 'Bonita login - loginFailMessage');
      return empty(ctx, 401);
    }
    stats.logins++;
    // Session fixation protection: the session the request carried is invalidated.
    for (const id of ctx.cookies.get('JSESSIONID') ?? []) sessions.delete(id);
    const s = createSession(userName);
    if (tenantCookie) ctx.setCookies.push('bonita.tenant=1');
    ctx.setCookies.push(`JSESSIONID=${s.id}; Path=${sessionCookiePath}; HttpOnly`);
    if (csrf) addTokenCookie(ctx, s.token);
    if (redirect) {
      const target = first(params, 'redirectUrl') || 'apps/appDirectoryBonita';
      const sep = target.includes('?') ? '&' : '?';
      return send(ctx, 302, undefined, undefined, { Location: redirectLocation(ctx, `${target}${sep}_l=${encodeURIComponent(locale)}`) });
    }
    ctx.setCookies.push(`BOS_Locale=${locale}; Path=/`);
    return empty(ctx, 204);
  }

  function handleLogout(ctx: Ctx): never {
    if (ctx.method !== 'GET' && ctx.method !== 'POST') return methodNotAllowedServlet(ctx, 'GET, POST');
    stats.logouts++;
    for (const id of ctx.cookies.get('JSESSIONID') ?? []) sessions.delete(id);
    const params = servletParams(ctx);
    if (shouldRedirect(params, ['redirectUrl', 'loginUrl'])) {
      const loginUrl = first(params, 'loginUrl');
      const redirectUrl = first(params, 'redirectUrl');
      let target = loginUrl || 'login.jsp';
      if (redirectUrl) target += `${target.includes('?') ? '&' : '?'}redirectUrl=${encodeURIComponent(redirectUrl)}`;
      return send(ctx, 302, undefined, undefined, { Location: redirectLocation(ctx, target) });
    }
    return empty(ctx, 200);
  }

  // ---------------------------------------------------------------- REST API

  function sessionJson(s: Session): Record<string, string> {
    const year = /^(\d{4})/.exec(version)?.[1] ?? '2020';
    const out: Record<string, string> = {
      session_id: s.engineSessionId,
      user_id: s.userId,
      user_name: s.userName,
      is_technical_user: 'false',
      is_guest_user: 'false',
      version,
    };
    if (isModern) {
      out.branding_version = version;
      out.branding_version_with_date = `${version}-u0`;
    }
    out.copyright = `Bonitasoft © ${year}`;
    out.conf = '[]';
    return out;
  }

  /** APIServletCall id check: returns the id or answers 400 / 500. */
  function toolkitId(ctx: Ctx, id: string, api: string, resource: string): string {
    if (/^-?\d+$/.test(id)) {
      if (BigInt(id) <= 0n) {
        return toolkitError(ctx, 400, 'APIIncorrectIdException', `Id must be non-zero positive for ${api} on resource ${resource}`, api, resource);
      }
      return BigInt(id).toString();
    }
    return toolkitError(ctx, 500, 'APIItemIdMalformedException', "Can't convert non numeric ID to long", api, resource);
  }

  /** Restlet resources parse the id with Long.parseLong (NumberFormatException -> 400). */
  function restletId(ctx: Ctx, id: string): string {
    if (!/^-?\d+$/.test(id)) return restletError(ctx, 400, 'java.lang.NumberFormatException', `For input string: "${id}"`);
    return BigInt(id).toString();
  }

  function optionalUserParam(ctx: Ctx): string | undefined {
    const u = ctx.query.get('user');
    if (u === null || u === '') return undefined;
    if (!/^\d+$/.test(u)) return restletError(ctx, 400, 'java.lang.NumberFormatException', `For input string: "${u}"`);
    return BigInt(u).toString();
  }

  interface SearchSpec {
    api: string;
    resource: string;
    /** filter name -> predicate; null = accepted and ignored */
    filters: Record<string, ((item: Item, value: string) => boolean) | null>;
    searchText: (item: Item) => string[];
    deploy?: Record<string, (value: string) => unknown>;
    counters?: Record<string, (item: Item) => string>;
  }

  function intParam(ctx: Ctx, name: string, def: number, spec: SearchSpec): number {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return def;
    if (!/^-?\d+$/.test(raw) || Math.abs(Number(raw)) > 2147483647) {
      return toolkitError(ctx, 500, 'java.lang.NumberFormatException', `For input string: "${raw}"`, spec.api, spec.resource);
    }
    return Number(raw);
  }

  function output(item: Item, spec: SearchSpec, ctx: Ctx): Record<string, unknown> {
    const out: Record<string, unknown> = { ...item };
    if (spec.deploy) {
      for (const d of ctx.query.getAll('d')) {
        const resolve = spec.deploy[d];
        const v = item[d];
        if (!resolve || v === undefined || v === '' || v === '0') continue;
        const resolved = resolve(v);
        if (resolved !== undefined) out[d] = resolved;
      }
    }
    if (spec.counters) {
      for (const n of ctx.query.getAll('n')) {
        const counter = spec.counters[n];
        if (counter) out[n] = counter(item);
      }
    }
    return out;
  }

  function search(ctx: Ctx, items: Item[], spec: SearchSpec): never {
    const p = intParam(ctx, 'p', 0, spec);
    const c = intParam(ctx, 'c', 10, spec);
    let rows = items;
    for (const f of ctx.query.getAll('f')) {
      const eq = f.indexOf('=');
      if (eq < 0) return toolkitError(ctx, 500, 'APIMalformedUrlException', `Malformed filter: ${f}`, spec.api, spec.resource);
      const name = f.slice(0, eq);
      const value = f.slice(eq + 1);
      if (!(name in spec.filters)) {
        return toolkitError(ctx, 500, 'java.lang.RuntimeException', `Can't find search descriptor corresponding to ${name}`, spec.api, spec.resource);
      }
      const pred = spec.filters[name];
      if (pred) rows = rows.filter((it) => pred(it, value));
    }
    const s = (ctx.query.get('s') ?? '').trim().toLowerCase();
    if (s) {
      rows = rows.filter((it) =>
        spec.searchText(it).some((text) => {
          const t = text.toLowerCase();
          return t.startsWith(s) || t.split(/\s+/).some((w) => w.startsWith(s));
        }),
      );
    }
    const o = (ctx.query.get('o') ?? '').trim();
    if (o) {
      const [attr = '', dirRaw = 'ASC'] = o.split(/\s+/);
      const desc = dirRaw.toUpperCase() === 'DESC';
      const sample = items[0];
      if (sample !== undefined && !(attr in sample)) {
        return toolkitError(ctx, 500, 'java.lang.RuntimeException', `Can't find search descriptor corresponding to ${attr}`, spec.api, spec.resource);
      }
      rows = [...rows].sort((a, b) => {
        const x = a[attr] ?? '';
        const y = b[attr] ?? '';
        let r: number;
        if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) {
          const bx = BigInt(x);
          const by = BigInt(y);
          r = bx < by ? -1 : bx > by ? 1 : 0;
        } else {
          r = x < y ? -1 : x > y ? 1 : 0;
        }
        return desc ? -r : r;
      });
    }
    const total = rows.length;
    if (p < 0 || p > total || c < 0) {
      return toolkitError(ctx, 500, 'APISearchIndexOutOfRange', `Search index out of range: page ${p}`, spec.api, spec.resource, { index: String(p) });
    }
    const page = rows.slice(p * c, p * c + c).map((it) => output(it, spec, ctx));
    return json(ctx, 200, page, { 'Content-Range': `${p}-${c}/${total}` });
  }

  const eqFilter = (attr: string) => (it: Item, v: string): boolean => (it[attr] ?? '') === v;

  const userItem = (id: string): unknown => {
    const u = store.users.get(id);
    return u ? { ...u } : undefined;
  };
  const processItem = (id: string): unknown => {
    const p = store.processes.get(id);
    return p ? { ...p.item } : undefined;
  };
  const caseItem = (id: string): unknown => {
    const c = store.cases.get(id);
    return c ? { ...c } : undefined;
  };

  const processSpec: SearchSpec = {
    api: 'bpm',
    resource: 'process',
    filters: {
      id: eqFilter('id'),
      processId: eqFilter('id'),
      name: eqFilter('name'),
      version: eqFilter('version'),
      deploymentDate: eqFilter('deploymentDate'),
      deployedBy: eqFilter('deployedBy'),
      activationState: eqFilter('activationState'),
      configurationState: eqFilter('configurationState'),
      displayName: eqFilter('displayName'),
      lastUpdateDate: eqFilter('last_update_date'),
      last_update_date: eqFilter('last_update_date'),
      categoryId: () => false, // no categories in the seed
      label: null,
      supervisor_id: null,
      team_manager_id: null,
      user_id: null,
      recentProcesses: null,
      forPendingOrAssignedTask: null,
    },
    searchText: (it) => [it.name ?? '', it.displayName ?? ''],
    deploy: { deployedBy: userItem },
  };

  const caseSpec: SearchSpec = {
    api: 'bpm',
    resource: 'case',
    filters: {
      id: eqFilter('id'),
      processDefinitionId: eqFilter('processDefinitionId'),
      name: (it, v) => store.processes.get(it.processDefinitionId ?? '')?.item.name === v,
      state: eqFilter('state'),
      started_by: eqFilter('started_by'),
      startedBySubstitute: eqFilter('startedBySubstitute'),
      rootCaseId: eqFilter('rootCaseId'),
      user_id: null,
      supervisor_id: null,
      team_manager_id: null,
    },
    searchText: (it) => [store.processes.get(it.processDefinitionId ?? '')?.item.name ?? ''],
    deploy: { processDefinitionId: processItem, started_by: userItem, startedBySubstitute: userItem },
    counters: {
      activeFlowNodes: (it) => String([...store.tasks.values()].filter((t) => t.item.caseId === it.id && t.item.state === 'ready').length),
      failedFlowNodes: () => '0',
    },
  };

  const taskSpec = (resource: string): SearchSpec => ({
    api: 'bpm',
    resource,
    filters: {
      id: eqFilter('id'),
      assigned_id: eqFilter('assigned_id'),
      state: eqFilter('state'),
      name: eqFilter('name'),
      displayName: eqFilter('displayName'),
      type: eqFilter('type'),
      priority: eqFilter('priority'),
      processDefinitionId: eqFilter('processId'),
      processId: eqFilter('processId'),
      caseId: eqFilter('caseId'),
      parentCaseId: eqFilter('parentCaseId'),
      rootCaseId: eqFilter('rootCaseId'),
      rootContainerId: eqFilter('rootContainerId'),
      parentTaskId: eqFilter('parentTaskId'),
      isTerminal: eqFilter('isTerminal'),
      user_id: (it, v) => it.assigned_id === '' || it.assigned_id === v,
      supervisor_id: null,
      team_manager_id: null,
    },
    searchText: (it) => [it.name ?? '', it.displayName ?? ''],
    deploy: {
      processId: processItem,
      caseId: caseItem,
      rootContainerId: caseItem,
      parentCaseId: caseItem,
      rootCaseId: caseItem,
      assigned_id: userItem,
      executedBy: userItem,
      executedBySubstitute: userItem,
    },
  });

  const userSpec: SearchSpec = {
    api: 'identity',
    resource: 'user',
    filters: {
      id: eqFilter('id'),
      userName: eqFilter('userName'),
      enabled: eqFilter('enabled'),
      manager_id: eqFilter('manager_id'),
      role_id: null,
      group_id: null,
    },
    searchText: (it) => [it.userName ?? '', it.firstname ?? '', it.lastname ?? ''],
  };

  function notAllowed(ctx: Ctx, api: string, resource: string): never {
    return toolkitError(ctx, 405, 'APIMethodNotAllowedException', `Method ${ctx.method} not allowed for ${api}/${resource}`, api, resource);
  }
  const isGet = (ctx: Ctx): boolean => ctx.method === 'GET' || ctx.method === 'HEAD';

  function contractJson(c: Contract): unknown {
    return { constraints: c.constraints, inputs: c.inputs };
  }

  function handleApi(ctx: Ctx, segs: string[]): never {
    stats.apiCalls++;
    const [api = '', resource = ''] = segs;
    const exemptAuth = api === 'system' && (resource === 'i18ntranslation' || resource === 'feature');
    const exemptCsrf = api === 'system' && (resource === 'i18ntranslation' || resource === 'feature' || resource === 'session');
    const session = findSession(ctx);
    if (!session && !exemptAuth) {
      stats.unauthorized++;
      return empty(ctx, 401);
    }
    ctx.session = session;
    if (csrf && UNSAFE.has(ctx.method) && !exemptCsrf) {
      const given = tokenFrom(ctx);
      if (session === undefined || given !== session.token) {
        stats.csrfRejections++;
        return empty(ctx, 401);
      }
    }

    if (segs.length === 1 && api === 'formFileUpload') return handleUpload(ctx, 'json');
    if (ctx.truncated) return empty(ctx, 413);

    const id = segs[2];
    const rest = segs.slice(3);
    const key = `${api}/${resource}`;
    switch (key) {
      case 'system/session': {
        if (!isGet(ctx) || rest.length > 0) return notAllowed(ctx, api, resource);
        const s = session!;
        const extra: Record<string, string> = {};
        if (csrf) {
          extra['X-Bonita-API-Token'] = s.token;
          addTokenCookie(ctx, s.token);
        }
        return json(ctx, 200, sessionJson(s), extra);
      }
      case 'system/i18ntranslation':
      case 'system/feature':
        if (!isGet(ctx)) return notAllowed(ctx, api, resource);
        return json(ctx, 200, []);
      case 'system/i18nlocale':
        if (!isGet(ctx)) return notAllowed(ctx, api, resource);
        return json(ctx, 200, [
          { locale: 'en', name: 'English' },
          { locale: 'fr', name: 'Français' },
          { locale: 'es', name: 'Español' },
        ]);
      case 'bpm/process':
        return handleProcess(ctx, session!, id, rest);
      case 'bpm/case':
        return handleCase(ctx, session!, id, rest);
      case 'bpm/humanTask':
      case 'bpm/userTask':
        return handleTask(ctx, session!, resource, id, rest);
      case 'identity/user': {
        if (id === undefined) {
          if (!isGet(ctx)) return notAllowed(ctx, api, resource);
          return search(ctx, [...store.users.values()], userSpec);
        }
        if (!isGet(ctx) || rest.length > 0) return notAllowed(ctx, api, resource);
        const uid = toolkitId(ctx, id, api, resource);
        const u = store.users.get(uid);
        if (!u) return empty(ctx, 404, JSON_UTF8);
        return json(ctx, 200, u);
      }
      default:
        return toolkitError(ctx, 404, 'APINotFoundException', `API not found: ${segs.join('/')}`, api, resource);
    }
  }

  function handleProcess(ctx: Ctx, session: Session, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'process';
    if (id === undefined) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      return search(ctx, [...store.processes.values()].map((p) => p.item), processSpec);
    }
    if (rest.length === 0) {
      const pid = toolkitId(ctx, id, api, resource);
      const proc = store.processes.get(pid);
      if (isGet(ctx)) {
        if (!proc) return empty(ctx, 404, JSON_UTF8);
        return json(ctx, 200, output(proc.item, processSpec, ctx));
      }
      if (ctx.method === 'PUT') {
        const body = toolkitJsonObject(ctx, api, resource);
        if (!proc) return empty(ctx, 404, JSON_UTF8);
        const state = body.activationState;
        if (state === 'ENABLED' || state === 'DISABLED') {
          proc.item.activationState = state;
          proc.item.last_update_date = bonitaDate();
        }
        if (typeof body.displayName === 'string') proc.item.displayName = body.displayName;
        return empty(ctx, 200);
      }
      return notAllowed(ctx, api, resource);
    }
    if (rest.length === 1 && rest[0] === 'contract') {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      const pid = restletId(ctx, id);
      const proc = store.processes.get(pid);
      if (!proc) return restletError(ctx, 404, 'org.bonitasoft.engine.bpm.process.ProcessDefinitionNotFoundException', `No process definition found with id ${pid}`);
      return json(ctx, 200, contractJson(proc.contract));
    }
    if (rest.length === 1 && rest[0] === 'instantiation') {
      if (ctx.method !== 'POST') return notAllowed(ctx, api, resource);
      const pid = restletId(ctx, id);
      const user = optionalUserParam(ctx);
      const proc = store.processes.get(pid);
      if (!proc) return restletError(ctx, 404, 'org.bonitasoft.engine.bpm.process.ProcessDefinitionNotFoundException', `No process definition found with id ${pid}`);
      const inputs = restletInputs(ctx);
      if (proc.item.activationState !== 'ENABLED') {
        return restletError(ctx, 500, `${TOOLKIT_EX}.APIException`, `Unable to start the process with ID ${pid} (consult the logs for more information).`);
      }
      const explanations = validateContract(proc.contract, inputs);
      if (explanations.length > 0) {
        return restletError(ctx, 400, CONTRACT_EX.slice('class '.length), `Error while validating expected inputs: [${explanations.join(', ')}]`, { explanations });
      }
      const label = typeof inputs.name === 'string' && inputs.name !== '' ? inputs.name : proc.item.displayName ?? proc.item.name ?? pid;
      const c = store.startCase(pid, user ?? session.userId, session.userId, label);
      return json(ctx, 200, { caseId: Number(c.id) });
    }
    return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/process/${id}/${rest.join('/')}`, api, resource);
  }

  function toolkitJsonObject(ctx: Ctx, api: string, resource: string): Record<string, unknown> {
    const parsed = parseJsonBody(ctx);
    if (!parsed.ok) return toolkitError(ctx, 400, 'APIException', `Invalid JSON body: ${parsed.error}`, api, resource);
    if (parsed.value === undefined || parsed.value === null) return {};
    if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      return toolkitError(ctx, 400, 'APIException', 'Invalid JSON body: a JSON object is expected', api, resource);
    }
    return parsed.value as Record<string, unknown>;
  }

  function handleCase(ctx: Ctx, session: Session, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'case';
    if (id === undefined) {
      if (isGet(ctx)) return search(ctx, [...store.cases.values()], caseSpec);
      if (ctx.method === 'POST') {
        // legacy start: {"processDefinitionId":"...","variables":[...]}
        const body = toolkitJsonObject(ctx, api, resource);
        const pid = body.processDefinitionId;
        if (typeof pid !== 'string' && typeof pid !== 'number') {
          return toolkitError(ctx, 500, 'APIException', 'processDefinitionId is mandatory', api, resource);
        }
        const proc = store.processes.get(String(pid));
        if (!proc) return empty(ctx, 404, JSON_UTF8);
        if (proc.item.activationState !== 'ENABLED') {
          return toolkitError(ctx, 500, 'APIException', `Unable to start the process with ID ${String(pid)} (consult the logs for more information).`, api, resource);
        }
        const explanations = validateContract(proc.contract, {});
        if (explanations.length > 0) {
          return toolkitError(ctx, 500, 'APIException', `Error while validating expected inputs: [${explanations.join(', ')}]`, api, resource);
        }
        const c = store.startCase(proc.item.id!, session.userId, session.userId, proc.item.displayName ?? 'case');
        return json(ctx, 200, c);
      }
      return notAllowed(ctx, api, resource);
    }
    if (rest.length > 0) return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/case/${id}/${rest.join('/')}`, api, resource);
    if (!isGet(ctx)) return notAllowed(ctx, api, resource);
    const cid = toolkitId(ctx, id, api, resource);
    const c = store.cases.get(cid);
    if (!c) return empty(ctx, 404, JSON_UTF8);
    return json(ctx, 200, output(c, caseSpec, ctx));
  }

  function handleTask(ctx: Ctx, session: Session, resource: string, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const spec = taskSpec(resource);
    if (id === undefined) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      return search(ctx, [...store.tasks.values()].map((t) => t.item), spec);
    }
    if (rest.length === 0) {
      if (isGet(ctx)) {
        const tid = toolkitId(ctx, id, api, resource);
        const t = store.tasks.get(tid);
        if (!t) return empty(ctx, 404, JSON_UTF8);
        return json(ctx, 200, output(t.item, spec, ctx));
      }
      if (ctx.method === 'PUT') {
        const tid = toolkitId(ctx, id, api, resource);
        const body = toolkitJsonObject(ctx, api, resource);
        const t = store.tasks.get(tid);
        if (!t) return empty(ctx, 404, JSON_UTF8);
        const now = bonitaDate();
        if ('assigned_id' in body) {
          const raw = body.assigned_id;
          const v = raw === null || raw === undefined ? '' : String(raw);
          if (v !== '' && !/^\d+$/.test(v)) {
            return toolkitError(ctx, 500, 'APIException', `Unable to assign task ${tid} to user "${v}"`, api, resource);
          }
          t.item.assigned_id = v === '0' ? '' : v;
          t.item.assigned_date = t.item.assigned_id ? now : '';
          t.item.last_update_date = now;
        }
        if (body.state === 'skipped') {
          t.item.state = 'skipped';
          t.item.reached_state_date = now;
          t.item.last_update_date = now;
        }
        return empty(ctx, 200);
      }
      return notAllowed(ctx, api, resource);
    }
    if (resource === 'userTask' && rest.length === 1 && (rest[0] === 'contract' || rest[0] === 'context')) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      const tid = restletId(ctx, id);
      const t = store.tasks.get(tid);
      if (!t) return restletError(ctx, 404, 'org.bonitasoft.engine.bpm.flownode.UserTaskNotFoundException', `Unable to find the task with id ${tid}`);
      return json(ctx, 200, rest[0] === 'contract' ? contractJson(t.contract) : {});
    }
    if (resource === 'userTask' && rest.length === 1 && rest[0] === 'execution') {
      if (ctx.method !== 'POST') return notAllowed(ctx, api, resource);
      const tid = restletId(ctx, id);
      const user = optionalUserParam(ctx);
      const t = store.tasks.get(tid);
      if (!t) return restletError(ctx, 404, 'org.bonitasoft.engine.bpm.flownode.UserTaskNotFoundException', `Unable to find the task with id ${tid}`);
      const inputs = restletInputs(ctx);
      const assign = (ctx.query.get('assign') ?? '').toLowerCase() === 'true';
      const executor = user ?? session.userId;
      const failure = `Unable to execute the task with ID ${tid} (consult the logs for more information).`;
      if (t.item.state !== 'ready') return restletError(ctx, 500, `${TOOLKIT_EX}.APIException`, failure);
      if (!assign && (t.item.assigned_id ?? '') === '') return restletError(ctx, 500, `${TOOLKIT_EX}.APIException`, failure);
      const explanations = validateContract(t.contract, inputs);
      if (explanations.length > 0) {
        return restletError(ctx, 400, CONTRACT_EX.slice('class '.length), `Error while validating expected inputs: [${explanations.join(', ')}]`, { explanations });
      }
      const now = bonitaDate();
      if (assign) {
        t.item.assigned_id = executor;
        t.item.assigned_date = now;
      }
      t.item.state = 'completed';
      t.item.executedBy = executor;
      t.item.executedBySubstitute = session.userId;
      t.item.reached_state_date = now;
      t.item.last_update_date = now;
      t.item.isTerminal = 'true';
      return empty(ctx, 204);
    }
    return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/${resource}/${id}/${rest.join('/')}`, api, resource);
  }

  // ---------------------------------------------------------------- uploads

  /** FileUploadServlet: mode 'json' for API/formFileUpload, 'text' for portal/fileUpload. */
  function handleUpload(ctx: Ctx, mode: 'json' | 'text'): never {
    if (ctx.method !== 'POST') return methodNotAllowedServlet(ctx, 'POST');
    if (mediaType(ctx.req.headers['content-type']) !== 'multipart/form-data') return empty(ctx, 200, TEXT_UTF8);
    const tooBig = (message: string): never =>
      mode === 'json'
        ? send(ctx, 413, JSON.stringify({ type: 'EntityTooLarge', message, statusCode: 413 }), TEXT_UTF8)
        : empty(ctx, 413, TEXT_UTF8);
    if (ctx.truncated) return tooBig('Uploaded file is too large, server is unable to process it');
    const parts = multipartParts(ctx);
    if (parts === undefined) return html(ctx, 500, 'HTTP Status 500 – Exception while uploading file.');
    const files = parts.filter((p) => p.filename !== undefined);
    for (const f of files) {
      if (f.data.length > maxUploadBytes) {
        return tooBig(`${f.filename ?? ''} is ${f.data.length} large, limit is set to ${Math.floor(maxUploadBytes / MEGABYTE)}Mb`);
      }
    }
    let out = '';
    for (const f of files) {
      const full = f.filename ?? '';
      const slash = Math.max(full.lastIndexOf('/'), full.lastIndexOf('\\'));
      const filename = full.slice(slash + 1);
      const temp = store.storeUpload(filename, f.contentType, f.data.length);
      if (mode === 'json') {
        const o: Record<string, string> = { filename, tempPath: temp };
        if (f.contentType !== undefined) o.contentType = f.contentType;
        out += JSON.stringify(o);
      } else {
        out += temp;
      }
    }
    return send(ctx, 200, out, TEXT_UTF8);
  }

  function handlePortalUpload(ctx: Ctx): never {
    const session = findSession(ctx);
    if (!session) {
      if (isGet(ctx)) {
        return send(ctx, 302, undefined, undefined, {
          Location: `${contextPath}/login.jsp?redirectUrl=${encodeURIComponent(ctx.pathname + (ctx.query.toString() ? `?${ctx.query.toString()}` : ''))}`,
        });
      }
      stats.unauthorized++;
      return empty(ctx, 401);
    }
    return handleUpload(ctx, 'text');
  }

  // ---------------------------------------------------------------- control endpoints

  function handleSim(ctx: Ctx, name: string): never {
    switch (name) {
      case 'stats':
        if (!isGet(ctx)) return send(ctx, 405, undefined, undefined, { Allow: 'GET' });
        return json(ctx, 200, { ...stats });
      case 'expire':
        if (ctx.method !== 'POST') return send(ctx, 405, undefined, undefined, { Allow: 'POST' });
        expireSessions();
        return empty(ctx, 204);
      case 'reset':
        if (ctx.method !== 'POST') return send(ctx, 405, undefined, undefined, { Allow: 'POST' });
        resetStats();
        store.reseed();
        return empty(ctx, 204);
      default:
        return send(ctx, 404, 'Not found', TEXT_UTF8);
    }
  }

  // ---------------------------------------------------------------- dispatch

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const method = (req.method ?? 'GET').toUpperCase();
    const isSim = pathname.startsWith('/_sim/');
    if (!isSim) {
      requests.push({ method, path: pathname, url: rawUrl, headers: { ...req.headers } });
      if (requests.length > 1000) requests.splice(0, requests.length - 1000);
    }
    const { body, size, truncated } = await readBody(req, bodyCap);
    const ctx: Ctx = {
      req,
      res,
      method,
      pathname,
      query: new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1)),
      body,
      bodySize: size,
      truncated,
      cookies: parseCookies(req.headers.cookie),
      setCookies: [],
    };
    try {
      if (isSim) return handleSim(ctx, pathname.slice('/_sim/'.length));
      if (pathname !== contextPath && !pathname.startsWith(`${contextPath}/`)) return html(ctx, 404, 'HTTP Status 404 – Not Found');
      const segs = pathname
        .slice(contextPath.length)
        .split('/')
        .filter((s) => s !== '')
        .map(safeDecode);
      const [head = '', ...tail] = segs;
      if (head === 'loginservice' && tail.length === 0) return handleLogin(ctx);
      if (head === 'logoutservice' && tail.length === 0) return handleLogout(ctx);
      if (head === 'API') {
        return handleApi(ctx, tail);
      }
      if (head === 'portal' && tail.length === 1 && tail[0] === 'fileUpload') return handlePortalUpload(ctx);
      if (head === 'login.jsp' && tail.length === 0) return html(ctx, 200, 'Bonita login');
      if (head === 'apps') {
        if (!findSession(ctx)) {
          return send(ctx, 302, undefined, undefined, { Location: `${contextPath}/login.jsp?redirectUrl=${encodeURIComponent(pathname)}` });
        }
        return html(ctx, 200, 'Bonita application');
      }
      return html(ctx, 404, 'HTTP Status 404 – Not Found');
    } catch (e) {
      if (e instanceof HttpDone) return;
      if (!res.headersSent) {
        const message = e instanceof Error ? e.message : String(e);
        res.writeHead(500, { 'Content-Type': JSON_UTF8 });
        res.end(JSON.stringify({ exception: 'class java.lang.RuntimeException', message }));
      } else {
        res.destroy();
      }
    }
  }

  const { origin, close } = await listenOnLoopback(handle, options.port);
  return {
    url: `${origin}${contextPath}`,
    origin,
    stats,
    requests,
    expireSessions,
    resetStats,
    resetData: () => store.reseed(),
    close,
  };
}
