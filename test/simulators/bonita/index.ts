/**
 * Bonita web REST API simulator: login/logout services, CSRF token filter, session resource, and the resources
 * the operation nodes call (processes and contracts, instantiation, live and archived cases and human tasks, case
 * variables and context, case documents, business data queries, messages, system information), plus uploads.
 *
 * Wire behaviour follows /work/shared/notes/vendor-protocols.md section A and vendor-operations.md section 1.
 * Node built-ins only.
 */
import * as http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { contentTypeParam, mediaType, parseCookies, parseForm, parseMultipart, readBody, safeDecode, type MultipartPart } from '../http-util';
import { listenOnLoopback } from '../listen';
import { seedBusinessData, type BdmClass } from './bdm';
import { handleBusinessData } from './bdm-routes';
import { bonitaDate } from './bonita-date';
import { CaseQuota, QUOTA_MESSAGE, retryAfterHeader, type CaseQuotaOptions } from './case-quota';
import { contractJson, fileTempPaths, validateContract } from './contract';
import { BonitaStore, type CaseRecord, type Item, type ProcessRecord } from './data';
import { PROCESS_REGISTRATION } from './processes';
import {
  HttpDone,
  JSON_UTF8,
  TEXT_UTF8,
  TOOLKIT_EX,
  empty,
  html,
  isGet,
  json,
  methodNotAllowedServlet,
  notAllowed,
  restletError,
  restletId,
  restletJsonObject,
  send,
  toolkitError,
  toolkitId,
  toolkitJsonObject,
  type Ctx,
  type Session,
} from './respond';
import { eqFilter, output, search, type SearchSpec } from './search';

export type { CaseQuotaOptions } from './case-quota';

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
  /** instantiation success: 'restlet' (default, what the code does) 200 {"caseId":<number>}; 'openapi' 201 {"caseId":"<string>"} */
  instantiationStyle?: 'restlet' | 'openapi';
  /** keep FILE temp files after a failed instantiation, as the Restlet endpoint does; default false (Spring: deleted) */
  keepTempFilesOnFailedInstantiation?: boolean;
  /** Community case creation limit: 429 "Case creation limit reached." past `limit` cases per rolling 30 days */
  caseQuota?: CaseQuotaOptions;
  /** time between a 204 execution and its effect (task archived; next task or case archived); default 0 = at once */
  executionDelayMs?: number;
  /** every list answer (Toolkit search, BDM query) waits this long; default 0 */
  pageDelayMs?: number;
  /** extra ready tasks (one Registration case each) on top of the seed, also after a data reset; default 0 */
  bulkTasks?: number;
  /** BDM 2026.1 "standard shape": a count is {"value":n}, a single result an object; default false ([n], [obj]) */
  bdmStandardShape?: boolean;
}

/** What configure() and POST /_sim/configure may change on a running simulator (caseQuota null = no quota). */
export type BonitaRuntimeOptions = Pick<
  BonitaSimulatorOptions,
  'instantiationStyle' | 'keepTempFilesOnFailedInstantiation' | 'executionDelayMs' | 'pageDelayMs' | 'bdmStandardShape'
> & { caseQuota?: CaseQuotaOptions | null };

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

/** Non-idempotent operations that really took effect (answered or not: see dropAfterProcessing). */
export interface BonitaOperations {
  /** cases created by process instantiation or the legacy POST API/bpm/case */
  instantiations: number;
  /** task executions accepted (204) */
  executions: number;
  /** documents attached with POST API/bpm/caseDocument */
  documentsAttached: number;
  /** messages accepted by POST API/bpm/message */
  messagesReceived: number;
}

/** The operation a dropAfterProcessing fault hits. */
export type BonitaFaultKind = 'instantiation' | 'execution' | 'caseDocument' | 'message';
const FAULT_KINDS: BonitaFaultKind[] = ['instantiation', 'execution', 'caseDocument', 'message'];

export interface BonitaMessageRecord {
  messageName: string;
  targetProcess: string;
  targetFlowNode?: string;
  messageContent: Record<string, unknown>;
  correlations: Record<string, unknown>;
  /** user id of the sender */
  sentBy: string;
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
  operations: BonitaOperations;
  /** messages received by POST API/bpm/message, oldest first */
  messages: BonitaMessageRecord[];
  /** drop every session now (the next call gets 401) */
  expireSessions(): void;
  /** zero stats and operations (same objects) */
  resetStats(): void;
  /** put the seed data back (processes, cases, tasks, documents, business data, messages, quota); sessions are kept */
  resetData(): void;
  /** the next successful `kind` call is processed, then its socket destroyed without an answer (once per call) */
  dropAfterProcessing(kind: BonitaFaultKind): void;
  /** `count` new Registration (or `processId`) cases with one ready task each; returns the task ids */
  bulkCreateTasks(count: number, processId?: string): string[];
  /** a live task's date attribute set as given (tasks that share a stamp, a date in the past) */
  setTaskDate(taskId: string, field: 'reached_state_date' | 'assigned_date' | 'last_update_date', value: string): void;
  configure(changes: BonitaRuntimeOptions): void;
  /** every request seen (except /_sim control calls), the last 1000 */
  requests: BonitaRequestRecord[];
  close(): Promise<void>;
}

const MEGABYTE = 1048576;
const UNSAFE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
const CONTRACT_EX = 'org.bonitasoft.engine.bpm.contract.ContractViolationException';
const PROCESS_NOT_FOUND = 'org.bonitasoft.engine.bpm.process.ProcessDefinitionNotFoundException';
const TASK_NOT_FOUND = 'org.bonitasoft.engine.bpm.flownode.UserTaskNotFoundException';
const TOKEN_COOKIE = 'X-Bonita-API-Token';
const EXPIRED = 'Expires=Thu, 01 Jan 1970 00:00:10 GMT';
/** Bonita's TaskPriority order (o=priority sorts by it, not alphabetically) */
const PRIORITIES = ['lowest', 'under_normal', 'normal', 'above_normal', 'highest'];
const VARIABLE_TYPES = ['java.lang.String', 'java.lang.Integer', 'java.lang.Double', 'java.lang.Long', 'java.lang.Boolean', 'java.util.Date'];
const MESSAGE_TYPES = new Set([
  'java.lang.String',
  'java.lang.Boolean',
  'java.lang.Integer',
  'java.lang.Double',
  'java.lang.Float',
  'java.lang.Long',
  'java.util.Date',
  'java.time.LocalDate',
  'java.time.LocalDateTime',
  'java.time.OffsetDateTime',
]);

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
  const bulkTasks = options.bulkTasks ?? 0;
  const config = {
    instantiationStyle: options.instantiationStyle ?? 'restlet',
    keepTempFilesOnFailedInstantiation: options.keepTempFilesOnFailedInstantiation ?? false,
    caseQuota: options.caseQuota as CaseQuotaOptions | undefined,
    executionDelayMs: options.executionDelayMs ?? 0,
    pageDelayMs: options.pageDelayMs ?? 0,
    bdmStandardShape: options.bdmStandardShape ?? false,
  };

  const store = new BonitaStore(Object.keys(users));
  let businessData: Map<string, BdmClass> = seedBusinessData();
  const quota = new CaseQuota();
  const sessions = new Map<string, Session>();
  const stats: BonitaStats = { logins: 0, loginFailures: 0, unauthorized: 0, csrfRejections: 0, logouts: 0, apiCalls: 0 };
  const operations: BonitaOperations = { instantiations: 0, executions: 0, documentsAttached: 0, messagesReceived: 0 };
  const messages: BonitaMessageRecord[] = [];
  const faults = new Map<BonitaFaultKind, number>();
  /** pending asynchronous executions (executionDelayMs) */
  const timers = new Set<NodeJS.Timeout>();
  const requests: BonitaRequestRecord[] = [];

  const resetStats = (): void => {
    stats.logins = 0;
    stats.loginFailures = 0;
    stats.unauthorized = 0;
    stats.csrfRejections = 0;
    stats.logouts = 0;
    stats.apiCalls = 0;
    operations.instantiations = 0;
    operations.executions = 0;
    operations.documentsAttached = 0;
    operations.messagesReceived = 0;
  };
  const resetData = (): void => {
    for (const t of timers) clearTimeout(t);
    timers.clear();
    store.reseed();
    if (bulkTasks > 0) store.bulkCreateTasks(bulkTasks, PROCESS_REGISTRATION);
    businessData = seedBusinessData();
    quota.reset();
    messages.length = 0;
    faults.clear();
  };
  if (bulkTasks > 0) store.bulkCreateTasks(bulkTasks, PROCESS_REGISTRATION);
  const expireSessions = (): void => sessions.clear();

  const dropAfterProcessing = (kind: BonitaFaultKind): void => {
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  };
  /** The operation took effect: an armed fault for it turns the answer into a destroyed socket. */
  function processed(ctx: Ctx, kind: BonitaFaultKind): void {
    const armed = faults.get(kind) ?? 0;
    if (armed === 0) return;
    if (armed === 1) faults.delete(kind);
    else faults.set(kind, armed - 1);
    ctx.drop = true;
  }

  const configure = (changes: BonitaRuntimeOptions): void => {
    if (changes.instantiationStyle !== undefined) config.instantiationStyle = changes.instantiationStyle;
    if (changes.keepTempFilesOnFailedInstantiation !== undefined) config.keepTempFilesOnFailedInstantiation = changes.keepTempFilesOnFailedInstantiation;
    if (changes.caseQuota !== undefined) config.caseQuota = changes.caseQuota ?? undefined;
    if (changes.executionDelayMs !== undefined) config.executionDelayMs = changes.executionDelayMs;
    if (changes.pageDelayMs !== undefined) config.pageDelayMs = changes.pageDelayMs;
    if (changes.bdmStandardShape !== undefined) config.bdmStandardShape = changes.bdmStandardShape;
  };

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

  function optionalUserParam(ctx: Ctx): string | undefined {
    const u = ctx.query.get('user');
    if (u === null || u === '') return undefined;
    if (!/^\d+$/.test(u)) return restletError(ctx, 400, 'java.lang.NumberFormatException', `For input string: "${u}"`);
    return BigInt(u).toString();
  }


  /** A Toolkit list answer (waits pageDelayMs). */
  function list(ctx: Ctx, items: Item[], spec: SearchSpec): never {
    ctx.delayMs = config.pageDelayMs;
    return search(ctx, items, spec);
  }

  // ---------------------------------------------------------------- search specs

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
    return c ? { ...c.item } : undefined;
  };
  const processName = (it: Item): string | undefined => store.processes.get(it.processDefinitionId ?? '')?.item.name;
  const validId = (v: string | undefined): boolean => v !== undefined && /^\d+$/.test(v) && v !== '0';

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
      // searchProcessDeploymentInfosCanBeStartedBy
      user_id: (it, v) => !validId(v) || store.canStart(store.processes.get(it.id ?? '')!, v),
      recentProcesses: null,
      forPendingOrAssignedTask: null,
    },
    searchText: (it) => [it.name ?? '', it.displayName ?? ''],
    deploy: { deployedBy: userItem },
  };

  const caseFilters: SearchSpec['filters'] = {
    id: eqFilter('id'),
    processDefinitionId: eqFilter('processDefinitionId'),
    name: (it, v) => processName(it) === v,
    state: eqFilter('state'),
    started_by: eqFilter('started_by'),
    startedBySubstitute: eqFilter('startedBySubstitute'),
    rootCaseId: eqFilter('rootCaseId'),
    user_id: null,
    supervisor_id: null,
    team_manager_id: null,
  };
  for (let i = 1; i <= 5; i++) caseFilters[`searchIndex${i}Value`] = eqFilter(`searchIndex${i}Value`);

  const caseSpec: SearchSpec = {
    api: 'bpm',
    resource: 'case',
    filters: caseFilters,
    searchText: (it) => [processName(it) ?? ''],
    deploy: { processDefinitionId: processItem, started_by: userItem, startedBySubstitute: userItem },
    counters: {
      activeFlowNodes: (it) => String([...store.tasks.values()].filter((t) => t.item.caseId === it.id).length),
      failedFlowNodes: () => '0',
    },
  };

  const archivedCaseSpec: SearchSpec = {
    api: 'bpm',
    resource: 'archivedCase',
    filters: { ...caseFilters, sourceObjectId: eqFilter('sourceObjectId') },
    searchText: caseSpec.searchText,
    deploy: caseSpec.deploy,
  };

  const taskDeploy = {
    processId: processItem,
    caseId: caseItem,
    rootContainerId: caseItem,
    parentCaseId: caseItem,
    rootCaseId: caseItem,
    assigned_id: userItem,
    executedBy: userItem,
    executedBySubstitute: userItem,
  };
  const taskFilters: SearchSpec['filters'] = {
    id: eqFilter('id'),
    assigned_id: eqFilter('assigned_id'),
    state: eqFilter('state'),
    name: eqFilter('name'),
    displayName: eqFilter('displayName'),
    type: eqFilter('type'),
    priority: eqFilter('priority'),
    processDefinitionId: eqFilter('processId'),
    caseId: eqFilter('caseId'),
    parentCaseId: eqFilter('parentCaseId'),
    rootCaseId: eqFilter('rootCaseId'),
    rootContainerId: eqFilter('rootContainerId'),
    parentTaskId: eqFilter('parentTaskId'),
    isTerminal: eqFilter('isTerminal'),
    supervisor_id: null,
    team_manager_id: null,
  };

  /**
   * AbstractHumanTaskDatastore: a plain processId filter is dropped when user_id is set; user_id picks the
   * engine search (mine plus pooled; pooled only with assigned_id=; everything I am a candidate for with
   * show_assigned_to_others=true; mine plus pooled of one process with processId). A valid assigned_id wins.
   */
  const humanTaskSpec = (resource: string): SearchSpec => ({
    api: 'bpm',
    resource,
    filters: {
      ...taskFilters,
      processId: (it, v, all) => all.has('user_id') || all.has('team_manager_id') || it.processId === v,
      user_id: (it, v, all) => {
        if (!validId(v) || validId(all.get('assigned_id'))) return true;
        const candidate = store.isCandidate(it, v);
        if (all.get('show_assigned_to_others') === 'true') return candidate;
        if (all.get('assigned_id') === '') return candidate;
        const pid = all.get('processId');
        if (pid !== undefined && it.processId !== pid) return false;
        return it.assigned_id === v || (it.assigned_id === '' && candidate);
      },
      show_assigned_to_others: null,
    },
    searchText: (it) => [it.name ?? '', it.displayName ?? ''],
    deploy: taskDeploy,
    sortKeys: { priority: (it) => PRIORITIES.indexOf(it.priority ?? '') },
  });

  const archivedTaskSpec: SearchSpec = {
    api: 'bpm',
    resource: 'archivedHumanTask',
    filters: { ...taskFilters, processId: eqFilter('processId'), sourceObjectId: eqFilter('sourceObjectId') },
    searchText: (it) => [it.name ?? '', it.displayName ?? ''],
    deploy: taskDeploy,
    sortKeys: { priority: (it) => PRIORITIES.indexOf(it.priority ?? '') },
  };

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

  const caseVariableSpec: SearchSpec = {
    api: 'bpm',
    resource: 'caseVariable',
    filters: { case_id: eqFilter('case_id'), name: eqFilter('name') },
    searchText: (it) => [it.name ?? ''],
  };

  const documentSpec: SearchSpec = {
    api: 'bpm',
    resource: 'caseDocument',
    filters: {
      id: eqFilter('id'),
      caseId: eqFilter('caseId'),
      name: eqFilter('name'),
      submittedBy: eqFilter('submittedBy'),
      description: eqFilter('description'),
      supervisor_id: null,
    },
    searchText: (it) => [it.name ?? '', it.fileName ?? '', it.description ?? ''],
    deploy: { submittedBy: userItem, caseId: caseItem },
  };

  // ---------------------------------------------------------------- dispatch under API/

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
      case 'system/information':
        if (!isGet(ctx) || id !== undefined) return notAllowed(ctx, api, resource);
        // PlatformInformationAPIImpl: the counter exists only where a case creation limit applies
        return json(ctx, 200, config.caseQuota ? { caseCounter: String(quota.counter), caseCounterLimit: String(config.caseQuota.limit) } : {});
      case 'bpm/process':
        return handleProcess(ctx, session!, id, rest);
      case 'bpm/case':
        return handleCase(ctx, session!, id, rest);
      case 'bpm/archivedCase':
        return handleArchivedCase(ctx, id, rest);
      case 'bpm/humanTask':
      case 'bpm/userTask':
        return handleTask(ctx, session!, resource, id, rest);
      case 'bpm/archivedHumanTask':
      case 'bpm/archivedUserTask':
        return handleArchivedTask(ctx, resource, id, rest);
      case 'bpm/caseVariable':
        return handleCaseVariable(ctx, id, rest);
      case 'bpm/caseDocument':
        return handleCaseDocument(ctx, session!, id, rest);
      case 'bpm/message':
        return handleMessage(ctx, session!, id);
      case 'bdm/businessData':
        return handleBusinessData(ctx, businessData, segs.slice(2), { standardShape: config.bdmStandardShape, listDelayMs: config.pageDelayMs });
      case 'identity/user': {
        if (id === undefined) {
          if (!isGet(ctx)) return notAllowed(ctx, api, resource);
          return list(ctx, [...store.users.values()], userSpec);
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

  // ---------------------------------------------------------------- processes and instantiation

  function handleProcess(ctx: Ctx, session: Session, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'process';
    if (id === undefined) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      return list(
        ctx,
        [...store.processes.values()].map((p) => p.item),
        processSpec,
      );
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
      if (!proc) return restletError(ctx, 404, PROCESS_NOT_FOUND, `No process definition found with id ${pid}`);
      return json(ctx, 200, contractJson(proc.def.contract));
    }
    if (rest.length === 1 && rest[0] === 'instantiation') {
      if (ctx.method !== 'POST') return notAllowed(ctx, api, resource);
      const pid = restletId(ctx, id);
      const user = optionalUserParam(ctx);
      const proc = store.processes.get(pid);
      if (!proc) return restletError(ctx, 404, PROCESS_NOT_FOUND, `No process definition found with id ${pid}`);
      return instantiate(ctx, session, proc, restletJsonObject(ctx), user);
    }
    return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/process/${id}/${rest.join('/')}`, api, resource);
  }

  /** 429 with Retry-After when the case quota is used up; returns otherwise. */
  function checkQuota(ctx: Ctx, cleanup: () => void): void {
    const q = config.caseQuota;
    if (!q) return;
    const until = quota.blockedUntil(q.limit);
    if (until === undefined) return;
    cleanup();
    const headers = { 'Retry-After': retryAfterHeader(q.retryAfter, until) };
    if (q.body === 'json') json(ctx, 429, { code: 429, description: QUOTA_MESSAGE, reasonPhrase: 'Too Many Requests' }, headers);
    else send(ctx, 429, QUOTA_MESSAGE, TEXT_UTF8, headers);
  }

  /** The case label task names show: the first TEXT input's value, else the process display name. */
  function caseLabel(proc: ProcessRecord, inputs: Record<string, unknown>): string {
    const text = proc.def.contract.inputs.find((i) => i.type === 'TEXT' && !i.multiple);
    const v = text ? inputs[text.name] : undefined;
    return typeof v === 'string' && v !== '' ? v : (proc.item.displayName ?? proc.item.name ?? proc.item.id!);
  }

  function contractViolation(ctx: Ctx, explanations: string[]): never {
    return restletError(ctx, 400, CONTRACT_EX, `Error while validating expected inputs: [${explanations.join(', ')}]`, { explanations });
  }

  /**
   * ProcessInstantiation: the REST layer reads the FILE temp files (404 File Not Found), then the engine checks
   * a disabled process (500), the contract (400) and the case quota (429). The temp files are deleted after the
   * call, also after a failure unless keepTempFilesOnFailedInstantiation (vendor-operations.md 6).
   */
  function instantiate(ctx: Ctx, session: Session, proc: ProcessRecord, inputs: Record<string, unknown>, user: string | undefined): never {
    const pid = proc.item.id!;
    const temps = fileTempPaths(proc.def.contract.inputs, inputs);
    const consume = (): void => temps.forEach((t) => store.uploads.delete(t));
    const failed = (): void => {
      if (!config.keepTempFilesOnFailedInstantiation) consume();
    };
    if (temps.some((t) => !store.uploads.has(t))) {
      failed();
      return restletError(ctx, 404, 'java.io.FileNotFoundException', 'File Not Found');
    }
    if (proc.item.activationState !== 'ENABLED') {
      failed();
      return restletError(ctx, 500, `${TOOLKIT_EX}.APIException`, `Unable to start the process with ID ${pid} (consult the logs for more information).`);
    }
    const explanations = validateContract(proc.def.contract, inputs);
    if (explanations.length > 0) {
      failed();
      return contractViolation(ctx, explanations);
    }
    checkQuota(ctx, failed);
    consume();
    const c = startCase(proc, user ?? session.userId, session.userId, caseLabel(proc, inputs));
    processed(ctx, 'instantiation');
    if (config.instantiationStyle === 'openapi') return json(ctx, 201, { caseId: c.id });
    return json(ctx, 200, { caseId: Number(c.id) });
  }

  function startCase(proc: ProcessRecord, startedBy: string, substitute: string, label: string): Item {
    const { item } = store.startCase(proc.item.id!, startedBy, substitute, label);
    quota.record();
    operations.instantiations++;
    return item;
  }

  // ---------------------------------------------------------------- cases

  /** Case context: `<business variable>_ref` and `<document name>_ref` (vendor-operations.md 1.3). */
  function caseContext(c: CaseRecord): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const bd = store.processes.get(c.item.processDefinitionId ?? '')?.def.businessData;
    if (bd && c.businessDataId) {
      out[`${bd.name}_ref`] = { name: bd.name, type: bd.fqcn, link: `API/bdm/businessData/${bd.fqcn}/${c.businessDataId}`, storageId: Number(c.businessDataId), storageId_string: c.businessDataId };
    }
    for (const d of store.documents.values()) if (d.item.caseId === c.item.id) out[`${d.item.name}_ref`] = { ...d.item };
    return out;
  }

  function handleCase(ctx: Ctx, session: Session, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'case';
    if (id === undefined) {
      if (isGet(ctx)) {
        return list(
          ctx,
          [...store.cases.values()].map((c) => c.item),
          caseSpec,
        );
      }
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
        const explanations = validateContract(proc.def.contract, {});
        if (explanations.length > 0) {
          return toolkitError(ctx, 500, 'APIException', `Error while validating expected inputs: [${explanations.join(', ')}]`, api, resource);
        }
        checkQuota(ctx, () => undefined);
        const c = startCase(proc, session.userId, session.userId, proc.item.displayName ?? 'case');
        processed(ctx, 'instantiation');
        return json(ctx, 200, c);
      }
      return notAllowed(ctx, api, resource);
    }
    const cid = rest.length === 1 && rest[0] === 'context' ? restletId(ctx, id) : toolkitId(ctx, id, api, resource);
    const c = store.cases.get(cid);
    if (rest.length === 1 && rest[0] === 'context') {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      if (!c) return restletError(ctx, 404, 'org.bonitasoft.engine.core.process.instance.api.exceptions.SProcessInstanceNotFoundException', `No process instance found with id ${cid}`);
      return json(ctx, 200, caseContext(c));
    }
    if (rest.length > 0) return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/case/${id}/${rest.join('/')}`, api, resource);
    if (!isGet(ctx)) return notAllowed(ctx, api, resource);
    // a finished case is only under archivedCase
    if (!c) return empty(ctx, 404, JSON_UTF8);
    return json(ctx, 200, output(c.item, caseSpec, ctx));
  }

  function handleArchivedCase(ctx: Ctx, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'archivedCase';
    if (!isGet(ctx)) return notAllowed(ctx, api, resource);
    if (id === undefined) {
      return list(
        ctx,
        [...store.archivedCases.values()].map((a) => a.item),
        archivedCaseSpec,
      );
    }
    const aid = toolkitId(ctx, id, api, resource);
    const a = store.archivedCases.get(aid);
    if (rest.length === 1 && rest[0] === 'context') {
      if (!a) return restletError(ctx, 404, 'org.bonitasoft.engine.bpm.process.ArchivedProcessInstanceNotFoundException', `Archived process instance ${aid} not found`);
      return json(ctx, 200, caseContext(a.source));
    }
    if (rest.length > 0) return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/archivedCase/${id}/${rest.join('/')}`, api, resource);
    if (!a) return empty(ctx, 404, JSON_UTF8);
    return json(ctx, 200, output(a.item, archivedCaseSpec, ctx));
  }

  // ---------------------------------------------------------------- case variables

  const variableItem = (caseId: string, name: string, v: { type: string; value: string; description: string }): Item => ({
    case_id: caseId,
    name,
    description: v.description,
    type: v.type,
    value: v.value,
  });

  /** Whether a value reads as the Java type (CaseVariableDatastore converts it before updating the engine's data). */
  function variableValueFits(type: string, value: string): boolean {
    switch (type) {
      case 'java.lang.Integer':
        return /^-?\d+$/.test(value) && Math.abs(Number(value)) <= 2147483647;
      case 'java.lang.Long':
        return /^-?\d+$/.test(value) && BigInt(value) <= 2n ** 63n - 1n && BigInt(value) >= -(2n ** 63n);
      case 'java.lang.Double':
        return value.trim() !== '' && Number.isFinite(Number(value));
      case 'java.lang.Boolean':
        return true; // Boolean.valueOf: anything but "true" is false
      case 'java.util.Date':
        return !Number.isNaN(Date.parse(value.replace(' ', 'T')));
      default:
        return true;
    }
  }

  function handleCaseVariable(ctx: Ctx, caseId: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'caseVariable';
    if (caseId === undefined) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      const items = [...store.cases.values()].flatMap((c) => [...c.variables].map(([name, v]) => variableItem(c.item.id!, name, v)));
      return list(ctx, items, caseVariableSpec);
    }
    if (rest.length !== 1) return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/caseVariable/${caseId}/${rest.join('/')}`, api, resource);
    const name = rest[0]!;
    const cid = toolkitId(ctx, caseId, api, resource);
    const v = store.cases.get(cid)?.variables.get(name);
    if (isGet(ctx)) {
      if (!v) return empty(ctx, 404, JSON_UTF8);
      return json(ctx, 200, variableItem(cid, name, v));
    }
    if (ctx.method !== 'PUT') return notAllowed(ctx, api, resource);
    const body = toolkitJsonObject(ctx, api, resource);
    if (!v) return empty(ctx, 404, JSON_UTF8);
    const type = typeof body.type === 'string' ? body.type : '';
    const value = body.value === null || body.value === undefined ? '' : String(body.value);
    if (!VARIABLE_TYPES.includes(type)) {
      return toolkitError(ctx, 500, 'APIException', `${type || 'null'} is not a supported type: use java.lang.String, Integer, Double, Long, Boolean or java.util.Date`, api, resource);
    }
    if (type !== v.type || !variableValueFits(type, value)) {
      return toolkitError(ctx, 500, 'APIException', `Unable to update the variable ${name} of case ${cid} with the ${type} value "${value}"`, api, resource);
    }
    v.value = type === 'java.lang.Boolean' ? String(value.toLowerCase() === 'true') : value;
    return empty(ctx, 200);
  }

  // ---------------------------------------------------------------- human tasks

  /** Tasks a search sees: an execution under way hides its task from searches (but not from GET by id). */
  const searchableTasks = (): Item[] => [...store.tasks.values()].filter((t) => t.item.state !== 'executing').map((t) => t.item);

  function handleTask(ctx: Ctx, session: Session, resource: string, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const spec = humanTaskSpec(resource);
    if (id === undefined) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      return list(ctx, searchableTasks(), spec);
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
        if (body.state === 'skipped') store.finishTask(tid, 'skipped');
        return empty(ctx, 200);
      }
      return notAllowed(ctx, api, resource);
    }
    if (resource === 'userTask' && rest.length === 1 && (rest[0] === 'contract' || rest[0] === 'context')) {
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      const tid = restletId(ctx, id);
      const t = store.tasks.get(tid);
      if (!t) return restletError(ctx, 404, TASK_NOT_FOUND, `Unable to find the task with id ${tid}`);
      if (rest[0] === 'contract') return json(ctx, 200, contractJson(t.contract));
      const c = store.cases.get(t.item.caseId ?? '');
      return json(ctx, 200, c ? caseContext(c) : {});
    }
    if (resource === 'userTask' && rest.length === 1 && rest[0] === 'execution') {
      if (ctx.method !== 'POST') return notAllowed(ctx, api, resource);
      return execute(ctx, session, restletId(ctx, id));
    }
    return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/${resource}/${id}/${rest.join('/')}`, api, resource);
  }

  /**
   * UserTaskExecution: 404 for a task that is gone (already executed) or being executed; FILE temp files read
   * first (404); then the contract (400) before the not-assigned check (500). Temp files are deleted on success
   * only. The effect (archive, next task or archived case) lands executionDelayMs after the 204.
   */
  function execute(ctx: Ctx, session: Session, tid: string): never {
    const user = optionalUserParam(ctx);
    const t = store.tasks.get(tid);
    if (!t) return restletError(ctx, 404, TASK_NOT_FOUND, `The user task with id ${tid} is not found, it might already be executed`);
    if (t.item.state === 'executing') {
      return restletError(ctx, 404, TASK_NOT_FOUND, `The user task with id ${tid} is not executable (currently in state 'executing'), someone else already executed it`);
    }
    const inputs = restletJsonObject(ctx);
    const temps = fileTempPaths(t.contract.inputs, inputs);
    if (temps.some((p) => !store.uploads.has(p))) return restletError(ctx, 404, 'java.io.FileNotFoundException', 'File Not Found');
    const explanations = validateContract(t.contract, inputs);
    if (explanations.length > 0) return contractViolation(ctx, explanations);
    const assign = (ctx.query.get('assign') ?? '').toLowerCase() === 'true';
    const executor = user ?? session.userId;
    if (!assign && (t.item.assigned_id ?? '') === '') {
      return restletError(ctx, 500, `${TOOLKIT_EX}.APIException`, `Unable to execute the task with ID ${tid} (consult the logs for more information).`);
    }
    temps.forEach((p) => store.uploads.delete(p));
    const now = bonitaDate();
    if (assign) {
      t.item.assigned_id = executor;
      t.item.assigned_date = now;
    }
    t.item.executedBy = executor;
    t.item.executedBySubstitute = session.userId;
    t.item.last_update_date = now;
    operations.executions++;
    if (config.executionDelayMs > 0) {
      t.item.state = 'executing';
      const timer = setTimeout(() => {
        timers.delete(timer);
        store.finishTask(tid, 'completed');
      }, config.executionDelayMs);
      timers.add(timer);
    } else {
      store.finishTask(tid, 'completed');
    }
    processed(ctx, 'execution');
    return empty(ctx, 204);
  }

  function handleArchivedTask(ctx: Ctx, resource: string, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    if (!isGet(ctx) || rest.length > 0) return notAllowed(ctx, api, resource);
    if (id === undefined) return list(ctx, [...store.archivedTasks.values()], { ...archivedTaskSpec, resource });
    const aid = toolkitId(ctx, id, api, resource);
    const a = store.archivedTasks.get(aid);
    if (!a) return empty(ctx, 404, JSON_UTF8);
    return json(ctx, 200, output(a, archivedTaskSpec, ctx));
  }

  // ---------------------------------------------------------------- case documents

  /**
   * CaseDocumentDatastore.add: `caseId` and `name` are needed (a body with processInstanceId fails with 500);
   * `file` (an upload's temp name) or `url`. The temp file is removed whatever the outcome, once the case id
   * has been read.
   */
  function attachDocument(ctx: Ctx, session: Session): never {
    const api = 'bpm';
    const resource = 'caseDocument';
    const body = toolkitJsonObject(ctx, api, resource);
    const str = (k: string): string | undefined => (body[k] === undefined || body[k] === null ? undefined : String(body[k]));
    const caseId = str('caseId');
    if (caseId !== undefined && !/^-?\d+$/.test(caseId)) {
      return toolkitError(ctx, 500, 'APIException', 'Error while attaching a new document. Request with bad case id value.', api, resource);
    }
    const name = str('name');
    const url = str('url');
    const file = str('file');
    const fail = (message: string): never => {
      if (url === undefined && file !== undefined) store.uploads.delete(file);
      return toolkitError(ctx, 500, 'APIException', message, api, resource);
    };
    if (caseId === undefined || name === undefined) return fail('Error while attaching a new document. Request with bad param value.');
    const upload = url === undefined && file !== undefined ? store.uploads.get(file) : undefined;
    if (url === undefined && file !== undefined && !upload) return fail(`java.io.FileNotFoundException: Cannot find ${file} in the tenant temp directory.`);
    const c = store.cases.get(BigInt(caseId).toString());
    if (!c) return fail(`org.bonitasoft.engine.core.process.instance.api.exceptions.SProcessInstanceNotFoundException: No process instance found with id ${caseId}`);
    if (file !== undefined && url === undefined) store.uploads.delete(file);
    const description = str('description') ?? '';
    const content = url !== undefined ? { url } : { upload: upload ?? { filename: '', contentType: undefined, data: Buffer.alloc(0) }, fileName: str('fileName') || upload?.filename || '' };
    const item = store.addDocument(c.item.id!, name, description, session.userId, content);
    operations.documentsAttached++;
    processed(ctx, 'caseDocument');
    return json(ctx, 200, item);
  }

  function handleCaseDocument(ctx: Ctx, session: Session, id: string | undefined, rest: string[]): never {
    const api = 'bpm';
    const resource = 'caseDocument';
    if (rest.length > 0) return toolkitError(ctx, 404, 'APINotFoundException', `API not found: bpm/caseDocument/${id}/${rest.join('/')}`, api, resource);
    if (id === undefined) {
      if (ctx.method === 'POST') return attachDocument(ctx, session);
      if (!isGet(ctx)) return notAllowed(ctx, api, resource);
      return list(
        ctx,
        [...store.documents.values()].map((d) => d.item),
        documentSpec,
      );
    }
    if (!isGet(ctx)) return notAllowed(ctx, api, resource);
    const did = toolkitId(ctx, id, api, resource);
    const d = store.documents.get(did);
    // CaseDocumentDatastore.get wraps DocumentNotFoundException in an APIException
    if (!d) return toolkitError(ctx, 500, 'APIException', `org.bonitasoft.engine.bpm.document.DocumentNotFoundException: document ${did} not found`, api, resource);
    return json(ctx, 200, output(d.item, documentSpec, ctx));
  }

  /** GET portal/documentDownload?fileName=…&contentStorageId=…: the stored bytes with their content type. */
  function handleDocumentDownload(ctx: Ctx): never {
    if (!isGet(ctx)) return methodNotAllowedServlet(ctx, 'GET');
    if (!findSession(ctx)) return redirectToLogin(ctx);
    const storageId = ctx.query.get('contentStorageId') ?? '';
    const d = [...store.documents.values()].find((doc) => doc.item.contentStorageId === storageId && doc.data !== undefined);
    if (!d) return html(ctx, 404, 'HTTP Status 404 – Not Found');
    const fileName = ctx.query.get('fileName') || d.item.fileName || 'document';
    return send(ctx, 200, d.data, d.item.contentMimetype, { 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` });
  }

  // ---------------------------------------------------------------- messages

  /** Each value of messageContent / correlations is {value, type?}; a given type must be one Bonita supports. */
  function messageValues(ctx: Ctx, body: Record<string, unknown>, key: string): Record<string, unknown> {
    const raw = body[key];
    if (raw === undefined || raw === null) return {};
    if (typeof raw !== 'object' || Array.isArray(raw)) return restletError(ctx, 400, 'java.lang.IllegalArgumentException', `${key} must be a JSON object`);
    for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
      const type = typeof v === 'object' && v !== null ? (v as { type?: unknown }).type : undefined;
      if (typeof v !== 'object' || v === null || !('value' in v)) return restletError(ctx, 400, 'java.lang.IllegalArgumentException', `${key}.${name} must be {"value":…,"type"?:…}`);
      if (type !== undefined && (typeof type !== 'string' || !MESSAGE_TYPES.has(type))) {
        return restletError(ctx, 400, 'java.lang.IllegalArgumentException', `${String(type)} is not a supported type for ${key}.${name}`);
      }
    }
    return raw as Record<string, unknown>;
  }

  function handleMessage(ctx: Ctx, session: Session, id: string | undefined): never {
    if (ctx.method !== 'POST' || id !== undefined) return notAllowed(ctx, 'bpm', 'message');
    const body = restletJsonObject(ctx);
    const { messageName, targetProcess, targetFlowNode } = body;
    if (typeof messageName !== 'string' || messageName === '') return restletError(ctx, 400, 'java.lang.IllegalArgumentException', 'messageName is mandatory');
    if (typeof targetProcess !== 'string' || targetProcess === '') return restletError(ctx, 400, 'java.lang.IllegalArgumentException', 'targetProcess is mandatory');
    const messageContent = messageValues(ctx, body, 'messageContent');
    const correlations = messageValues(ctx, body, 'correlations');
    if (![...store.processes.values()].some((p) => p.item.name === targetProcess)) {
      return restletError(ctx, 404, PROCESS_NOT_FOUND, `No process definition found with name ${targetProcess}`);
    }
    const record: BonitaMessageRecord = { messageName, targetProcess, messageContent, correlations, sentBy: session.userId };
    if (typeof targetFlowNode === 'string' && targetFlowNode !== '') record.targetFlowNode = targetFlowNode;
    messages.push(record);
    operations.messagesReceived++;
    processed(ctx, 'message');
    return empty(ctx, 204);
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
      const temp = store.storeUpload(filename, f.contentType, f.data);
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

  /** AuthenticationFilter on /portal/*: a GET without a session goes to the login page. */
  function redirectToLogin(ctx: Ctx): never {
    const query = ctx.query.toString();
    return send(ctx, 302, undefined, undefined, {
      Location: `${contextPath}/login.jsp?redirectUrl=${encodeURIComponent(ctx.pathname + (query ? `?${query}` : ''))}`,
    });
  }

  function handlePortalUpload(ctx: Ctx): never {
    const session = findSession(ctx);
    if (!session) {
      if (isGet(ctx)) return redirectToLogin(ctx);
      stats.unauthorized++;
      return empty(ctx, 401);
    }
    return handleUpload(ctx, 'text');
  }

  // ---------------------------------------------------------------- control endpoints

  function simJsonBody(ctx: Ctx): Record<string, unknown> {
    try {
      const v = JSON.parse(ctx.body.toString('utf8') || '{}') as unknown;
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // answered below
    }
    return send(ctx, 400, 'a JSON object is expected', TEXT_UTF8);
  }

  function handleSim(ctx: Ctx, name: string): never {
    const only = (method: string): void => {
      if (ctx.method !== method && !(method === 'GET' && ctx.method === 'HEAD')) send(ctx, 405, undefined, undefined, { Allow: method });
    };
    switch (name) {
      case 'stats':
        only('GET');
        return json(ctx, 200, { ...stats });
      case 'operations':
        only('GET');
        return json(ctx, 200, { ...operations });
      case 'messages':
        only('GET');
        return json(ctx, 200, messages);
      case 'expire':
        only('POST');
        expireSessions();
        return empty(ctx, 204);
      case 'reset':
        only('POST');
        resetStats();
        resetData();
        return empty(ctx, 204);
      case 'drop': {
        only('POST');
        const kind = ctx.query.get('kind') as BonitaFaultKind | null;
        if (kind === null || !FAULT_KINDS.includes(kind)) return send(ctx, 400, `kind must be one of ${FAULT_KINDS.join(', ')}`, TEXT_UTF8);
        dropAfterProcessing(kind);
        return empty(ctx, 204);
      }
      case 'tasks': {
        only('POST');
        const count = Number(ctx.query.get('count'));
        const processId = ctx.query.get('processId') ?? PROCESS_REGISTRATION;
        if (!Number.isInteger(count) || count < 1 || count > 100000) return send(ctx, 400, 'count must be an integer from 1 to 100000', TEXT_UTF8);
        if (!store.processes.has(processId)) return send(ctx, 400, `unknown process ${processId}`, TEXT_UTF8);
        const ids = store.bulkCreateTasks(count, processId);
        return json(ctx, 200, { count: ids.length, firstId: ids[0], lastId: ids[ids.length - 1] });
      }
      case 'configure':
        only('POST');
        configure(simJsonBody(ctx) as BonitaRuntimeOptions);
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
      if (head === 'portal' && tail.length === 1 && tail[0] === 'documentDownload') return handleDocumentDownload(ctx);
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
    operations,
    messages,
    requests,
    expireSessions,
    resetStats,
    resetData,
    dropAfterProcessing,
    bulkCreateTasks: (count, processId = PROCESS_REGISTRATION) => store.bulkCreateTasks(count, processId),
    setTaskDate: (taskId, field, value) => {
      const task = store.tasks.get(taskId);
      if (!task) throw new Error(`no live task ${taskId}`);
      task.item[field] = value;
    },
    configure,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await close();
    },
  };
}
