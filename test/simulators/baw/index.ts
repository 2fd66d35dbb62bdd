/**
 * IBM Business Automation Workflow (BAW) REST simulator: the Process REST family
 * under /bpm (login with Basic, BPMCSRFToken, processes and user tasks) and the
 * classic WLE family under /rest/bpm/wle/v1 ({status,data} envelope, process
 * start, task actions, task search), optionally under a cloud prefix.
 *
 * Wire behaviour follows /work/shared/notes/vendor-protocols.md section C and
 * its "Simulator checklist → IBM BAW", and vendor-operations.md section 2 for
 * what the operations use (bpddata, processApps, processes/search, the task
 * search body, claim and complete conflicts). Node built-ins only.
 *
 * Authentication model (WebSphere/Liberty container):
 * - Basic credentials on the request win; a Basic header with bad credentials is 401 even with cookies.
 * - Otherwise the LtpaToken2 cookie (the SSO token; see ltpaTimeoutSeconds), then the JSESSIONID
 *   HTTP session. expireSessions() expires every csrf token and drops every HTTP session, but LTPA
 *   cookies keep authenticating: the next /bpm call made with the cookies (or Basic) is therefore the
 *   documented 403 CWTBG0651E, which tells the client to call /bpm/system/login again.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { basicCredentials, mediaType, parseCookies, parseForm, readBody, safeDecode } from '../http-util';
import { listenOnLoopback } from '../listen';
import { isoDate } from './iso-date';
import { APPS, BPD_VACATION, BPDS, BawStore, SEED_USERS, type BpdRecord, type InstanceRecord, type ProcessState, type SnapshotRecord, type TaskRecord, type TaskState } from './data';
import { bpdData, dataObjects, readDataObjects } from './variables';

export interface BawSimulatorOptions {
  /** default 0 (ephemeral); the server listens on 127.0.0.1 only */
  port?: number;
  /** default '' (on-premises); e.g. '/baw/dev' for the cloud form https://host/<offering>/<environment>, '/bas' for CP4BA. Every path is under it. */
  prefix?: string;
  /** user name -> password; default { admin: 'admin', viewer: 'viewer' } */
  users?: Record<string, string>;
  /** Security.CheckXSRFForOldRestApi: WLE writes need X-XSRF-TOKEN equal to the XSRF-TOKEN cookie; default false */
  wleXsrfCheck?: boolean;
  /** spelling of the WLE error fields ([I]: sources disagree); default 'errorNumber' (errorNumber, errorMessage, errorMessageParameters) */
  wleErrorSpelling?: 'errorNumber' | 'error_number';
  /** milliseconds since the epoch; default Date.now. Tests advance it to expire csrf tokens. */
  clock?: () => number;
  /** users who may read but not start, delete or act on tasks (403 CWTBG0019E); default ['viewer'] */
  readOnlyUsers?: string[];
  /** [I] a missing (empty) login body is 400; default true. false: an empty body counts as {} (an invalid body is still 400). */
  loginBodyRequired?: boolean;
  /** login "expiration": 'seconds' (the granted lifetime, as observed: 7200) or 'epoch' (expiry in epoch seconds); default 'seconds' */
  expirationFormat?: 'seconds' | 'epoch';
  /** [I] lifetime of the LtpaToken2 cookie (and of the HTTP session riding on it) in seconds; default 0 = never expires. WebSphere's default is 7200. */
  ltpaTimeoutSeconds?: number;
  /** [I] status of a WLE write rejected by the XSRF check; default 403 */
  wleXsrfRejectStatus?: number;
  /** [I] status of an unknown task or instance on WLE; default 404 */
  wleNotFoundStatus?: number;
  /**
   * group or team -> its members: who may claim and complete the group's tasks (403 CWTBG0019E otherwise, "not a
   * potential owner"). Default: every user who is not read-only belongs to every group.
   */
  teamMembers?: Record<string, string[]>;
}

/**
 * Live counters.
 * - logins / loginFailures: /bpm/system/login outcomes (201 / anything else).
 * - unauthorized: 401 on any other /bpm or WLE call.
 * - csrfRejections: 403 CWTBG0651E on /bpm, plus WLE writes rejected by the XSRF check.
 * - apiCalls: every /bpm call except login, and every /rest/bpm/wle call, whatever its outcome.
 */
export interface BawStats {
  logins: number;
  loginFailures: number;
  csrfRejections: number;
  unauthorized: number;
  apiCalls: number;
}

/** Non-idempotent operations that really took effect (answered or not: see dropAfterProcessing). */
export interface BawOperations {
  /** instances started, by either family */
  instancesStarted: number;
  /** tasks completed (or finished), by either family */
  tasksCompleted: number;
  /** tasks claimed, by either family (a claim of one's own claimed task counts too) */
  tasksClaimed: number;
}

/** The operation a dropAfterProcessing fault hits. */
export type BawFaultKind = 'start' | 'claim' | 'complete';
const FAULT_KINDS: BawFaultKind[] = ['start', 'claim', 'complete'];

export interface BawRequestRecord {
  method: string;
  /** URL path without the query string */
  path: string;
  /** raw request target (path and query string) */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** the request body as text (bounded like every body) */
  body: string;
}

export interface BawSimulator {
  /** base URL including the prefix, e.g. http://127.0.0.1:41234 or http://127.0.0.1:41234/baw/dev */
  url: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  stats: BawStats;
  operations: BawOperations;
  /** every csrf token and HTTP session is now expired (the next /bpm call: 403 CWTBG0651E) */
  expireSessions(): void;
  /** zero stats and operations (same objects) */
  resetStats(): void;
  /** put the seed data back (instances, tasks) and disarm faults; logins are kept */
  resetData(): void;
  /** the next successful `kind` call is processed, then its socket destroyed without an answer (once per call) */
  dropAfterProcessing(kind: BawFaultKind): void;
  /** the next `kind` call is not processed: its socket is destroyed before any work (once per call) */
  dropBeforeProcessing(kind: BawFaultKind): void;
  /** one new instance of the named BPD (default: Vacation request) holding `count` ready tasks; returns their ids */
  bulkCreateTasks(count: number, bpdName?: string): string[];
  /** every request seen (except /_sim control calls), the last 1000 */
  requests: BawRequestRecord[];
  close(): Promise<void>;
}

interface CsrfToken {
  user: string;
  expiresAt: number;
}
interface Ltpa {
  user: string;
  expiresAt: number | null;
}
interface HttpSession {
  user: string;
  ltpa: string;
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  /** full path, prefix included */
  pathname: string;
  query: URLSearchParams;
  body: Buffer;
  truncated: boolean;
  cookies: Map<string, string[]>;
  setCookies: string[];
  /** the request was processed: destroy the socket instead of answering (an armed dropAfterProcessing fault) */
  drop?: boolean;
}

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html;charset=ISO-8859-1';
const REALM = 'Basic realm="BPMRESTAPI"';
const MAX_LIFETIME = 7200;
const DEFAULT_PAGE = 25;
const DEFAULT_TASK_SEARCH_SIZE = 500;
const BODY_CAP = 1024 * 1024;
const UNSAFE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);
const WLE_EXCEPTION = 'com.lombardisoftware.core.TeamWorksException';

/** Error numbers. [V]/[V3] from the notes; the [I] ones are placeholders with a plausible shape. */
const CODE = {
  csrf: 'CWTBG0651E', // [V]
  invalidParameter: 'CWTBG0012E', // [V3]
  invalidSearchProperty: 'CWTBG0618E', // [V3]
  cancelNotAuthorized: 'CWTBG0549E', // [V3]
  notAuthorized: 'CWTBG0019E', // brief
  notFound: 'CWTBG0016E', // [I] placeholder
  conflict: 'CWTBG0017E', // [I] placeholder
} as const;
const CSRF_MESSAGE = `${CODE.csrf}: The request was blocked because the BPMCSRFToken token header could not be verified.`;

const BPM_PROCESS_STATES: ProcessState[] = ['running', 'completed', 'failed', 'terminated', 'suspended'];
const BPM_TASK_STATES: TaskState[] = ['ready', 'claimed', 'completed', 'failed'];
const WLE_PROCESS_STATE: Record<ProcessState, [string, string]> = {
  running: ['STATE_RUNNING', 'Active'],
  completed: ['STATE_COMPLETED', 'Completed'],
  failed: ['STATE_FAILED', 'Failed'],
  terminated: ['STATE_TERMINATED', 'Terminated'],
  suspended: ['STATE_SUSPENDED', 'Suspended'],
};
const WLE_TASK_STATE: Record<TaskState, string> = {
  ready: 'STATE_READY',
  claimed: 'STATE_CLAIMED',
  completed: 'STATE_FINISHED',
  failed: 'STATE_FAILED',
};
const SEARCH_TASK_STATE: Record<TaskState, string> = {
  ready: 'State_ready',
  claimed: 'State_claimed',
  completed: 'State_finished',
  failed: 'State_failed',
};
/** The properties of a SavedSearchDefinition, the task search body [V3 PPB]: anything else is 400 CWTBG0618E. */
const TASK_SEARCH_KEYS = ['size', 'interaction', 'owner', 'shared', 'teams', 'conditions', 'fields', 'id', 'aliases', 'organization', 'name', 'sort'];
const TASK_SEARCH_FIELDS = new Set(['instanceId', 'instanceName', 'instanceStatus', 'taskStatus', 'taskSubject', 'bpdName', 'assignedToUser', 'processAppAcronym', 'taskActivityType']);
/** The task search counts at most this many matches (`countLimit`) [V3 PPB]. */
const TASK_COUNT_LIMIT = 500;
const INSTANCE_STATUSES = ['Active', 'Completed', 'Failed', 'Terminated', 'Suspended', 'Late', 'AtRisk'];

class HttpDone extends Error {}

function normalizePrefix(p: string): string {
  let s = p.trim();
  if (s === '' || s === '/') return '';
  if (!s.startsWith('/')) s = `/${s}`;
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

const isOpen = (t: TaskRecord): boolean => t.state === 'ready' || t.state === 'claimed';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startBawSimulator(options: BawSimulatorOptions = {}): Promise<BawSimulator> {
  const prefix = normalizePrefix(options.prefix ?? '');
  const users: Record<string, string> = { ...(options.users ?? { admin: 'admin', viewer: 'viewer' }) };
  const readOnly = new Set(options.readOnlyUsers ?? ['viewer']);
  const wleXsrfCheck = options.wleXsrfCheck ?? false;
  const snakeWle = (options.wleErrorSpelling ?? 'errorNumber') === 'error_number';
  const clock = options.clock ?? Date.now;
  const loginBodyRequired = options.loginBodyRequired ?? true;
  const epochExpiration = (options.expirationFormat ?? 'seconds') === 'epoch';
  const ltpaTimeoutMs = Math.max(0, options.ltpaTimeoutSeconds ?? 0) * 1000;
  const wleXsrfRejectStatus = options.wleXsrfRejectStatus ?? 403;
  const wleNotFoundStatus = options.wleNotFoundStatus ?? 404;
  const directory = new Set([...Object.keys(users), ...SEED_USERS]);
  const teamMembers = options.teamMembers;

  const store = new BawStore();
  const tokens = new Map<string, CsrfToken>();
  const ltpas = new Map<string, Ltpa>();
  const sessions = new Map<string, HttpSession>();
  const stats: BawStats = { logins: 0, loginFailures: 0, csrfRejections: 0, unauthorized: 0, apiCalls: 0 };
  const operations: BawOperations = { instancesStarted: 0, tasksCompleted: 0, tasksClaimed: 0 };
  const faults = new Map<BawFaultKind, number>();
  const earlyFaults = new Map<BawFaultKind, number>();
  const requests: BawRequestRecord[] = [];

  const resetStats = (): void => {
    stats.logins = 0;
    stats.loginFailures = 0;
    stats.csrfRejections = 0;
    stats.unauthorized = 0;
    stats.apiCalls = 0;
    operations.instancesStarted = 0;
    operations.tasksCompleted = 0;
    operations.tasksClaimed = 0;
  };
  const resetData = (): void => {
    store.reseed();
    faults.clear();
    earlyFaults.clear();
  };
  const dropAfterProcessing = (kind: BawFaultKind): void => {
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  };
  const dropBeforeProcessing = (kind: BawFaultKind): void => {
    earlyFaults.set(kind, (earlyFaults.get(kind) ?? 0) + 1);
  };
  /** About to do a `kind` operation: an armed early fault destroys the socket first, nothing done. */
  function beforeProcessing(ctx: Ctx, kind: BawFaultKind): void {
    const armed = earlyFaults.get(kind) ?? 0;
    if (armed === 0) return;
    if (armed === 1) earlyFaults.delete(kind);
    else earlyFaults.set(kind, armed - 1);
    ctx.drop = true;
    send(ctx, 500);
  }
  /** The operation took effect: it is counted, and an armed fault for it turns the answer into a destroyed socket. */
  function processed(ctx: Ctx, kind: BawFaultKind): void {
    if (kind === 'start') operations.instancesStarted++;
    else if (kind === 'claim') operations.tasksClaimed++;
    else operations.tasksCompleted++;
    const armed = faults.get(kind) ?? 0;
    if (armed === 0) return;
    if (armed === 1) faults.delete(kind);
    else faults.set(kind, armed - 1);
    ctx.drop = true;
  }
  const bulkCreateTasks = (count: number, bpdName = BPD_VACATION.name): string[] => {
    const bpd = BPDS.find((b) => b.name === bpdName);
    if (!bpd) throw new Error(`no BPD named ${bpdName}`);
    return store.bulkCreateTasks(count, bpd, SEED_USERS[0]!, now());
  };
  const expireSessions = (): void => {
    tokens.clear();
    sessions.clear();
  };
  const now = (): number => {
    const t = clock();
    return Number.isFinite(t) ? t : Date.now();
  };

  // ---------------------------------------------------------------- responses

  function send(ctx: Ctx, status: number, body?: string, contentType?: string, extra?: Record<string, string>): never {
    const { res } = ctx;
    if (ctx.drop) {
      ctx.req.socket.destroy();
      throw new HttpDone();
    }
    if (!res.headersSent) {
      const headers: http.OutgoingHttpHeaders = { ...extra };
      if (ctx.setCookies.length > 0) headers['Set-Cookie'] = ctx.setCookies;
      const buf = Buffer.from(body ?? '', 'utf8');
      if (contentType) headers['Content-Type'] = contentType;
      if (status !== 204 && status !== 304) headers['Content-Length'] = String(buf.length);
      res.writeHead(status, headers);
      res.end(ctx.method === 'HEAD' || status === 204 || status === 304 ? undefined : buf);
    }
    throw new HttpDone();
  }
  const json = (ctx: Ctx, status: number, value: unknown): never => send(ctx, status, JSON.stringify(value), JSON_TYPE);

  /** Swagger `exception` model of the /bpm family. */
  function bpmError(ctx: Ctx, status: number, errorNumber: string, message: string, params: string[] = []): never {
    return json(ctx, status, { error_number: errorNumber, error_message: `${errorNumber}: ${message}`, error_message_parameters: params });
  }
  /** Classic WLE error response. */
  function wleError(ctx: Ctx, status: number, errorNumber: string, message: string, params: string[] = []): never {
    const text = `${errorNumber}: ${message}`;
    const fields = snakeWle
      ? { error_number: errorNumber, error_message: text, error_message_parameters: params }
      : { errorNumber, errorMessage: text, errorMessageParameters: params };
    return json(ctx, status, {
      status: 'error',
      Data: {
        status: 'error',
        exceptionType: WLE_EXCEPTION,
        ...fields,
        programmersDetails: { className: WLE_EXCEPTION, message: text },
      },
    });
  }
  const wleOk = (ctx: Ctx, data: unknown): never => json(ctx, 200, { status: '200', data });
  function unauthorized(ctx: Ctx): never {
    stats.unauthorized++;
    return send(ctx, 401, '', undefined, { 'WWW-Authenticate': REALM });
  }
  function notFoundHtml(ctx: Ctx): never {
    return send(ctx, 404, `Error 404: SRVE0190E: File not found: ${ctx.pathname.replace(/[<>&"]/g, '')}`, HTML_TYPE);
  }
  const methodNotAllowed = (ctx: Ctx, allow: string): never => send(ctx, 405, '', undefined, { Allow: allow });

  // ---------------------------------------------------------------- authentication

  function validBasic(ctx: Ctx): { user: string } | 'bad' | undefined {
    const creds = basicCredentials(ctx.req.headers.authorization);
    if (creds === undefined) return undefined;
    if (creds === null) return 'bad';
    const ok = creds.user !== '' && Object.prototype.hasOwnProperty.call(users, creds.user) && users[creds.user] === creds.password;
    return ok ? { user: creds.user } : 'bad';
  }

  function ltpaValid(value: string): Ltpa | undefined {
    const l = ltpas.get(value);
    if (!l) return undefined;
    if (l.expiresAt !== null && now() >= l.expiresAt) {
      ltpas.delete(value);
      return undefined;
    }
    return l;
  }

  /** The authenticated user name, or undefined (the caller answers 401). */
  function authenticate(ctx: Ctx): string | undefined {
    const basic = validBasic(ctx);
    if (basic === 'bad') return undefined;
    if (basic) return basic.user;
    for (const v of ctx.cookies.get('LtpaToken2') ?? []) {
      const l = ltpaValid(v);
      if (l) return l.user;
    }
    for (const id of ctx.cookies.get('JSESSIONID') ?? []) {
      const s = sessions.get(id);
      if (s && ltpaValid(s.ltpa)) return s.user;
      if (s) sessions.delete(id);
    }
    return undefined;
  }

  function sweep(): void {
    const t = now();
    for (const [k, v] of tokens) if (t >= v.expiresAt) tokens.delete(k);
    for (const [k, v] of ltpas) if (v.expiresAt !== null && t >= v.expiresAt) ltpas.delete(k);
    for (const [k, v] of sessions) if (!ltpas.has(v.ltpa)) sessions.delete(k);
  }

  // ---------------------------------------------------------------- parameters and bodies

  /** Query parameters, then a form body (WLE accepts the same parameters as application/x-www-form-urlencoded). */
  function params(ctx: Ctx): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (k: string, v: string): void => {
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    };
    for (const [k, v] of ctx.query) add(k, v);
    if (mediaType(ctx.req.headers['content-type']) === 'application/x-www-form-urlencoded') {
      for (const [k, vs] of parseForm(ctx.body.toString('utf8'))) for (const v of vs) add(k, v);
    }
    return out;
  }
  /** first non-empty value */
  const param = (m: Map<string, string[]>, k: string): string | undefined => m.get(k)?.find((v) => v !== '');

  type JsonBody = { kind: 'empty' } | { kind: 'invalid'; error: string } | { kind: 'ok'; value: unknown };
  function jsonBody(ctx: Ctx): JsonBody {
    const text = ctx.body.toString('utf8');
    if (text.trim() === '') return { kind: 'empty' };
    try {
      return { kind: 'ok', value: JSON.parse(text) as unknown };
    } catch (e) {
      return { kind: 'invalid', error: e instanceof Error ? e.message : String(e) };
    }
  }

  function intParam(ctx: Ctx, name: string, def: number, min: number, fail: (name: string, value: string) => never): number {
    const raw = ctx.query.get(name);
    if (raw === null || raw === '') return def;
    if (!/^\d+$/.test(raw) || Number(raw) > 2147483647 || Number(raw) < min) return fail(name, raw);
    return Number(raw);
  }

  // ---------------------------------------------------------------- login

  function handleLogin(ctx: Ctx): never {
    if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
    const basic = validBasic(ctx);
    if (basic === undefined || basic === 'bad') {
      stats.loginFailures++;
      return send(ctx, 401, '', undefined, { 'WWW-Authenticate': REALM });
    }
    const fail = (message: string, p: string[] = []): never => {
      stats.loginFailures++;
      return bpmError(ctx, 400, CODE.invalidParameter, message, p);
    };
    if (ctx.truncated) return fail('The request body is too large.');
    const parsed = jsonBody(ctx);
    let body: Record<string, unknown>;
    if (parsed.kind === 'empty') {
      if (loginBodyRequired) return fail('The request body is missing. A login_request JSON object is required, even if it is empty.', ['body']);
      body = {};
    } else if (parsed.kind === 'invalid') {
      return fail(`The request body is not valid JSON: ${parsed.error}`, ['body']);
    } else if (!isPlainObject(parsed.value)) {
      return fail('The request body must be a login_request JSON object.', ['body']);
    } else {
      body = parsed.value;
    }
    const refresh = body.refresh_groups ?? body['refresh-groups'];
    if (refresh !== undefined && refresh !== null && typeof refresh !== 'boolean') {
      return fail("The parameter 'refresh_groups' is invalid: a boolean is expected.", ['refresh_groups']);
    }
    const requested = body.requested_lifetime ?? body['requested-lifetime'];
    let lifetime = MAX_LIFETIME;
    if (requested !== undefined && requested !== null) {
      if (typeof requested !== 'number' || !Number.isInteger(requested) || requested <= 0) {
        return fail("The parameter 'requested_lifetime' is invalid: a positive integer is expected.", ['requested_lifetime']);
      }
      lifetime = Math.min(requested, MAX_LIFETIME);
    }
    if (tokens.size + ltpas.size > 2000) sweep();
    const t = now();
    const user = basic.user;
    const csrfToken = randomBytes(33).toString('base64');
    tokens.set(csrfToken, { user, expiresAt: t + lifetime * 1000 });
    const ltpa = randomBytes(150).toString('base64');
    ltpas.set(ltpa, { user, expiresAt: ltpaTimeoutMs > 0 ? t + ltpaTimeoutMs : null });
    const sessionId = `0000${randomBytes(16).toString('base64url').slice(0, 23)}:-1`;
    sessions.set(sessionId, { user, ltpa });
    const xsrf = randomBytes(16).toString('hex');
    ctx.setCookies.push(`LtpaToken2=${ltpa}; Path=/; HttpOnly`);
    ctx.setCookies.push(`JSESSIONID=${sessionId}; Path=/; HttpOnly`);
    ctx.setCookies.push(`XSRF-TOKEN=${xsrf}; Path=/`);
    stats.logins++;
    const expiration = epochExpiration ? Math.floor(t / 1000) + lifetime : lifetime;
    return json(ctx, 201, { csrf_token: csrfToken, expiration });
  }

  // ---------------------------------------------------------------- /bpm (Process REST)

  function checkCsrf(ctx: Ctx, user: string): void {
    const given = ctx.req.headersDistinct.bpmcsrftoken?.[0];
    const rec = given === undefined ? undefined : tokens.get(given);
    if (rec && rec.user === user && now() < rec.expiresAt) return;
    stats.csrfRejections++;
    bpmError(ctx, 403, CODE.csrf, CSRF_MESSAGE.slice(CODE.csrf.length + 2));
  }

  function bpmForbidden(ctx: Ctx, user: string, what: string): never {
    return bpmError(ctx, 403, CODE.notAuthorized, `The user "${user}" is not authorized to ${what}.`, [user, what]);
  }

  function bpmInvalid(ctx: Ctx, name: string, value: string): never {
    return bpmError(ctx, 400, CODE.invalidParameter, `The parameter '${name}' is invalid. The value '${value}' is not supported.`, [name, value]);
  }

  function bpmProcess(inst: InstanceRecord, parts: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      piid: inst.piid,
      name: inst.name,
      state: inst.state,
      model: inst.bpd.name,
      model_id: inst.bpd.bpdId,
      container: inst.bpd.app.acronym,
      container_name: inst.bpd.app.name,
      container_version: inst.snapshot.acronym,
      snapshot_id: inst.snapshot.id,
      branch_name: inst.bpd.app.branchName,
      creator: inst.creator,
      creation_time: isoDate(inst.created),
      last_modification_time: isoDate(inst.modified),
      completion_time: inst.completed === null ? null : isoDate(inst.completed),
    };
    if (parts.has('data') || parts.has('all')) out.data = { ...inst.variables };
    if (parts.has('actions') || parts.has('all')) {
      out.actions = inst.state === 'running' ? ['suspend', 'terminate', 'delete'] : inst.state === 'suspended' ? ['resume', 'terminate', 'delete'] : ['delete'];
    }
    return out;
  }

  function bpmTask(t: TaskRecord, parts: Set<string>): Record<string, unknown> {
    const inst = store.instances.get(t.piid);
    const out: Record<string, unknown> = {
      tkiid: t.tkiid,
      name: t.name,
      state: t.state,
      piid: t.piid,
      process_name: inst?.name ?? null,
      model: inst?.bpd.name ?? null,
      container: inst?.bpd.app.acronym ?? null,
      owner: t.owner,
      assigned_to: t.owner ?? t.group,
      assigned_to_type: t.owner ? 'user' : 'group',
      priority: t.priority,
      due_time: isoDate(t.due),
      creation_time: isoDate(t.created),
      last_modification_time: isoDate(t.modified),
      completion_time: t.completed === null ? null : isoDate(t.completed),
    };
    if ((parts.has('data') || parts.has('all')) && inst) {
      out.data = { input: dataObjects(inst.bpd.inputs, inst.variables), output: dataObjects(inst.bpd.taskOutputs, t.data), internal: [] };
    }
    if (parts.has('actions') || parts.has('all')) out.actions = isOpen(t) ? ['claim', 'complete', 'fail'] : [];
    return out;
  }

  function optionalParts(ctx: Ctx): Set<string> {
    return new Set((ctx.query.get('optional_parts') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''));
  }

  /** Page a list and build the previous/next links (same query, other offset). */
  function page<T>(ctx: Ctx, rows: T[], offset: number, size: number): { items: T[]; previous: string | null; next: string | null } {
    const link = (o: number): string => {
      const q = new URLSearchParams(ctx.query);
      q.set('offset', String(o));
      q.set('size', String(size));
      return `${ctx.pathname}?${q.toString()}`;
    };
    return {
      items: rows.slice(offset, offset + size),
      previous: offset > 0 ? link(Math.max(0, offset - size)) : null,
      next: offset + size < rows.length ? link(offset + size) : null,
    };
  }

  function csv(ctx: Ctx, ...names: string[]): string[] | undefined {
    const values = names.map((n) => ctx.query.get(n)).filter((v): v is string => v !== null && v !== '');
    if (values.length === 0) return undefined;
    return values
      .join(',')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  function sortRows<T>(ctx: Ctx, rows: T[], keys: Record<string, (row: T) => string | number>, def: string): T[] {
    const raw = ctx.query.get('sort') || def;
    const [field = '', dir = 'asc'] = raw.split(':');
    const key = keys[field];
    if (!key || (dir !== 'asc' && dir !== 'desc')) return bpmInvalid(ctx, 'sort', raw);
    const sign = dir === 'desc' ? -1 : 1;
    return [...rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  }

  const listFail =
    (ctx: Ctx) =>
    (name: string, value: string): never =>
      bpmInvalid(ctx, name, value);

  function listProcesses(ctx: Ctx): never {
    const offset = intParam(ctx, 'offset', 0, 0, listFail(ctx));
    const size = intParam(ctx, 'size', DEFAULT_PAGE, 1, listFail(ctx));
    let rows = [...store.instances.values()];
    const states = csv(ctx, 'states');
    if (states) {
      for (const s of states) if (!BPM_PROCESS_STATES.includes(s as ProcessState)) return bpmInvalid(ctx, 'states', s);
      rows = rows.filter((r) => states.includes(r.state));
    }
    const model = ctx.query.get('model');
    if (model) rows = rows.filter((r) => r.bpd.name === model || r.bpd.bpdId === model);
    const containers = csv(ctx, 'containers', 'container');
    if (containers) rows = rows.filter((r) => containers.includes(r.bpd.app.acronym));
    const term = (ctx.query.get('search_term') ?? '').trim().toLowerCase();
    if (term) rows = rows.filter((r) => r.name.toLowerCase().includes(term));
    rows = sortRows(
      ctx,
      rows,
      {
        creation_time: (r) => r.created,
        last_modification_time: (r) => r.modified,
        name: (r) => r.name,
        piid: (r) => Number(r.piid),
      },
      'creation_time:desc',
    );
    const parts = optionalParts(ctx);
    const p = page(ctx, rows, offset, size);
    return json(ctx, 200, { processes: p.items.map((r) => bpmProcess(r, parts)), previous: p.previous, next: p.next });
  }

  function startProcessBpm(ctx: Ctx, user: string): never {
    beforeProcessing(ctx, 'start');
    if (readOnly.has(user)) return bpmForbidden(ctx, user, 'start a process instance');
    const model = ctx.query.get('model');
    if (!model) return bpmError(ctx, 400, CODE.invalidParameter, "The parameter 'model' is required.", ['model']);
    const container = ctx.query.get('container');
    const version = ctx.query.get('version');
    const branch = ctx.query.get('branch_name');
    const bpd = BPDS.find((b) => (b.name === model || b.bpdId === model) && (!container || b.app.acronym === container));
    const what = `${container ? `${container}/` : ''}${model}`;
    if (!bpd) return bpmError(ctx, 404, CODE.notFound, `The process model '${what}' was not found.`, [what]);
    let snapshot: SnapshotRecord | undefined = bpd.app.snapshots[0];
    if (version) snapshot = bpd.app.snapshots.find((s) => s.acronym === version || s.name === version || s.id === version);
    if (!snapshot || (branch && branch !== bpd.app.branchName)) {
      return bpmError(ctx, 404, CODE.notFound, `The process model '${what}' was not found in the requested version.`, [what]);
    }
    if (ctx.truncated) return bpmError(ctx, 413, CODE.invalidParameter, 'The request body is too large.');
    const parsed = jsonBody(ctx);
    let variables: Record<string, unknown> = {};
    if (parsed.kind === 'invalid') return bpmError(ctx, 400, CODE.invalidParameter, `The request body is not valid JSON: ${parsed.error}`, ['body']);
    if (parsed.kind === 'ok') {
      if (!isPlainObject(parsed.value)) return bpmError(ctx, 400, CODE.invalidParameter, 'The request body must be a JSON object.', ['body']);
      const read = readDataObjects(parsed.value.input, bpd.inputs, 'input');
      if ('error' in read) return bpmError(ctx, 400, CODE.invalidParameter, read.error, [read.parameter]);
      variables = read.values;
    }
    const { instance } = store.start(bpd, snapshot, user, variables, now());
    processed(ctx, 'start');
    return json(ctx, 201, bpmProcess(instance, optionalParts(ctx)));
  }

  /**
   * A task can be claimed or closed by a user when it is open, not claimed by someone else, and offered to a group
   * the user belongs to. [I] The messages name the holder and the completer, so a client can say who got there first.
   */
  function taskTransition(t: TaskRecord, user: string, fail: (status: number, code: string, message: string, p: string[]) => never): void {
    if (!isOpen(t)) {
      const by = t.completedBy ? ` by user '${t.completedBy}'` : '';
      return fail(409, CODE.conflict, `The task '${t.tkiid}' is already closed (${t.state}${by}).`, [t.tkiid, t.completedBy ?? '']);
    }
    if (t.state === 'claimed' && t.owner !== user) {
      return fail(409, CODE.conflict, `The task '${t.tkiid}' is already claimed by user '${t.owner}'.`, [t.tkiid, t.owner ?? '']);
    }
    if (t.owner !== user && teamMembers && !(teamMembers[t.group] ?? []).includes(user)) {
      return fail(403, CODE.notAuthorized, `The user "${user}" is not a potential owner of the task '${t.tkiid}' (offered to '${t.group}').`, [user, t.tkiid]);
    }
  }

  function completeTask(t: TaskRecord, user: string, state: TaskState, data: Record<string, unknown>): void {
    const t0 = now();
    t.state = state;
    t.owner = user;
    t.completed = t0;
    t.completedBy = user;
    t.modified = t0;
    t.data = { ...t.data, ...data };
    const inst = store.instances.get(t.piid);
    if (inst) {
      Object.assign(inst.variables, data);
      inst.modified = t0;
    }
    store.settle(t.piid, t0);
  }

  function handleBpmTask(ctx: Ctx, user: string, id: string, action: string | undefined): never {
    const t = store.tasks.get(id);
    if (action === undefined) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
      if (!t) return bpmError(ctx, 404, CODE.notFound, `The task '${id}' was not found.`, [id]);
      return json(ctx, 200, bpmTask(t, optionalParts(ctx)));
    }
    if (action !== 'claim' && action !== 'complete' && action !== 'fail') {
      return bpmError(ctx, 404, CODE.notFound, `The resource '${ctx.pathname}' was not found.`, [ctx.pathname]);
    }
    if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
    if (action !== 'fail') beforeProcessing(ctx, action);
    if (readOnly.has(user)) return bpmForbidden(ctx, user, `${action} the task '${id}'`);
    if (!t) return bpmError(ctx, 404, CODE.notFound, `The task '${id}' was not found.`, [id]);
    const fail = (status: number, code: string, message: string, p: string[]): never => bpmError(ctx, status, code, message, p);
    let data: Record<string, unknown> = {};
    if (action !== 'claim') {
      const parsed = jsonBody(ctx);
      if (parsed.kind === 'invalid') return bpmError(ctx, 400, CODE.invalidParameter, `The request body is not valid JSON: ${parsed.error}`, ['body']);
      if (parsed.kind === 'ok') {
        if (!isPlainObject(parsed.value)) return bpmError(ctx, 400, CODE.invalidParameter, 'The request body must be a JSON object.', ['body']);
        if (action === 'complete') {
          // The complete body holds business data only: {"output":[{name,data}]} [V3 PPB].
          const outputs = store.instances.get(t.piid)?.bpd.taskOutputs ?? [];
          const read = readDataObjects(parsed.value.output, outputs, 'output');
          if ('error' in read) return bpmError(ctx, 400, CODE.invalidParameter, read.error, [read.parameter]);
          data = read.values;
        } else {
          data = parsed.value;
        }
      }
    }
    taskTransition(t, user, fail);
    if (action === 'claim') {
      t.state = 'claimed';
      t.owner = user;
      t.modified = now();
      processed(ctx, 'claim');
    } else {
      completeTask(t, user, action === 'complete' ? 'completed' : 'failed', data);
      if (action === 'complete') processed(ctx, 'complete');
    }
    return json(ctx, 200, bpmTask(t, optionalParts(ctx)));
  }

  function listTasks(ctx: Ctx): never {
    const offset = intParam(ctx, 'offset', 0, 0, listFail(ctx));
    const size = intParam(ctx, 'size', DEFAULT_PAGE, 1, listFail(ctx));
    let rows = [...store.tasks.values()];
    const states = csv(ctx, 'states');
    if (states) {
      for (const s of states) if (!BPM_TASK_STATES.includes(s as TaskState)) return bpmInvalid(ctx, 'states', s);
      rows = rows.filter((r) => states.includes(r.state));
    }
    const piid = ctx.query.get('process_id') ?? ctx.query.get('piid');
    if (piid) rows = rows.filter((r) => r.piid === piid);
    const model = ctx.query.get('model');
    const containers = csv(ctx, 'containers', 'container');
    if (model || containers) {
      rows = rows.filter((r) => {
        const inst = store.instances.get(r.piid);
        if (!inst) return false;
        if (model && inst.bpd.name !== model && inst.bpd.bpdId !== model) return false;
        return !containers || containers.includes(inst.bpd.app.acronym);
      });
    }
    const term = (ctx.query.get('search_term') ?? '').trim().toLowerCase();
    if (term) rows = rows.filter((r) => r.name.toLowerCase().includes(term) || (store.instances.get(r.piid)?.name ?? '').toLowerCase().includes(term));
    rows = sortRows(
      ctx,
      rows,
      {
        creation_time: (r) => r.created,
        due_time: (r) => r.due,
        name: (r) => r.name,
        tkiid: (r) => Number(r.tkiid),
        priority: (r) => r.priority,
      },
      'creation_time:desc',
    );
    const parts = optionalParts(ctx);
    const p = page(ctx, rows, offset, size);
    return json(ctx, 200, { user_task_instances: p.items.map((r) => bpmTask(r, parts)), previous: p.previous, next: p.next });
  }

  function handleBpm(ctx: Ctx, segs: string[]): never {
    if (segs.length === 2 && segs[0] === 'system' && segs[1] === 'login') return handleLogin(ctx);
    stats.apiCalls++;
    const user = authenticate(ctx);
    if (user === undefined) return unauthorized(ctx);
    checkCsrf(ctx, user);
    const [resource = '', id, action, ...rest] = segs;
    const isGet = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (rest.length > 0) return bpmError(ctx, 404, CODE.notFound, `The resource '${ctx.pathname}' was not found.`, [ctx.pathname]);
    if (resource === 'processes' && action === undefined) {
      if (id === undefined) {
        if (isGet) return listProcesses(ctx);
        if (ctx.method === 'POST') return startProcessBpm(ctx, user);
        return methodNotAllowed(ctx, 'GET, POST');
      }
      const inst = store.instances.get(id);
      if (isGet) {
        if (!inst) return bpmError(ctx, 404, CODE.notFound, `The process instance '${id}' was not found.`, [id]);
        return json(ctx, 200, bpmProcess(inst, optionalParts(ctx)));
      }
      if (ctx.method === 'DELETE') {
        if (readOnly.has(user)) return bpmForbidden(ctx, user, `delete the process instance '${id}'`);
        if (!inst) return bpmError(ctx, 404, CODE.notFound, `The process instance '${id}' was not found.`, [id]);
        store.deleteInstance(id);
        return send(ctx, 204);
      }
      return methodNotAllowed(ctx, 'GET, DELETE');
    }
    if ((resource === 'user-tasks' || resource === 'tasks') && id === undefined) {
      if (!isGet) return methodNotAllowed(ctx, 'GET');
      return listTasks(ctx);
    }
    if ((resource === 'user-tasks' || resource === 'tasks') && id !== undefined) return handleBpmTask(ctx, user, id, action);
    return bpmError(ctx, 404, CODE.notFound, `The resource '${ctx.pathname}' was not found.`, [ctx.pathname]);
  }

  // ---------------------------------------------------------------- WLE (/rest/bpm/wle/v1)

  function wleInvalid(ctx: Ctx, name: string, detail: string): never {
    return wleError(ctx, 400, CODE.invalidParameter, `The parameter '${name}' is invalid. ${detail}`, [name]);
  }

  function wleTask(t: TaskRecord): Record<string, unknown> {
    const inst = store.instances.get(t.piid);
    return {
      tkiid: t.tkiid,
      name: t.name,
      displayName: t.name,
      subject: `Step: ${t.name}`,
      state: WLE_TASK_STATE[t.state],
      status: isOpen(t) ? 'Received' : 'Closed',
      owner: t.owner,
      assignedTo: t.owner ?? t.group,
      assignedToType: t.owner ? 'user' : 'group',
      piid: t.piid,
      processInstanceName: inst?.name ?? null,
      bpdName: inst?.bpd.name ?? null,
      processAppAcronym: inst?.bpd.app.acronym ?? null,
      priority: t.priority,
      priorityName: 'Normal',
      startTime: isoDate(t.created),
      dueTime: isoDate(t.due),
      lastModificationTime: isoDate(t.modified),
      completionTime: t.completed === null ? null : isoDate(t.completed),
      closeByUser: t.completedBy,
      data: { variables: { ...t.data } },
    };
  }

  function wleInstance(inst: InstanceRecord, parts: string): Record<string, unknown> {
    const [state, executionState] = WLE_PROCESS_STATE[inst.state];
    const out: Record<string, unknown> = {
      piid: inst.piid,
      name: inst.name,
      processTemplateID: inst.bpd.bpdId,
      processTemplateName: inst.bpd.name,
      processAppName: inst.bpd.app.name,
      processAppAcronym: inst.bpd.app.acronym,
      processAppID: inst.bpd.app.processAppId,
      snapshotID: inst.snapshot.id,
      snapshotName: inst.snapshot.name,
      branchID: inst.bpd.app.branchId,
      branchName: inst.bpd.app.branchName,
      state,
      executionState,
      creationTime: isoDate(inst.created),
      lastModificationTime: isoDate(inst.modified),
      completionTime: inst.completed === null ? null : isoDate(inst.completed),
      startingUser: inst.creator,
      tasks: store.tasksOf(inst.piid).map(wleTask),
    };
    if (parts !== 'none') out.variables = { ...inst.variables };
    if (parts === 'all') {
      out.documents = [];
      out.comments = [];
    }
    return out;
  }

  function wleParamsJson(ctx: Ctx, raw: string | undefined): Record<string, unknown> {
    if (raw === undefined) return {};
    let v: unknown;
    try {
      v = JSON.parse(raw) as unknown;
    } catch {
      return wleInvalid(ctx, 'params', 'The value is not a valid JSON object.');
    }
    if (!isPlainObject(v)) return wleInvalid(ctx, 'params', 'The value is not a valid JSON object.');
    return v;
  }

  function wleStart(ctx: Ctx, user: string): never {
    const p = params(ctx);
    const action = param(p, 'action');
    if (action !== 'start') return wleInvalid(ctx, 'action', `The value '${action ?? ''}' is not supported.`);
    const bpdId = param(p, 'bpdId');
    if (bpdId === undefined) return wleInvalid(ctx, 'bpdId', 'The parameter is required.');
    const bpd: BpdRecord | undefined = store.bpdById(bpdId);
    if (!bpd) return wleInvalid(ctx, 'bpdId', `No business process definition with ID '${bpdId}' was found.`);
    const snapshotId = param(p, 'snapshotId');
    const branchId = param(p, 'branchId');
    const processAppId = param(p, 'processAppId');
    let snapshot: SnapshotRecord | undefined;
    if (snapshotId !== undefined) {
      snapshot = bpd.app.snapshots.find((s) => s.id === snapshotId);
      if (!snapshot) return wleInvalid(ctx, 'snapshotId', `The snapshot '${snapshotId}' does not contain the business process definition '${bpdId}'.`);
    } else if (branchId !== undefined) {
      if (branchId !== bpd.app.branchId) return wleInvalid(ctx, 'branchId', `The branch '${branchId}' does not contain the business process definition '${bpdId}'.`);
      snapshot = bpd.app.snapshots[0];
    } else if (processAppId !== undefined) {
      if (processAppId !== bpd.app.processAppId) {
        return wleInvalid(ctx, 'processAppId', `The process application '${processAppId}' does not contain the business process definition '${bpdId}'.`);
      }
      snapshot = bpd.app.snapshots[0];
    } else {
      return wleInvalid(ctx, 'processAppId', 'One of snapshotId, branchId or processAppId is required.');
    }
    const variables = wleParamsJson(ctx, param(p, 'params'));
    const parts = param(p, 'parts') ?? 'all';
    if (parts !== 'all' && parts !== 'data' && parts !== 'none') return wleInvalid(ctx, 'parts', `The value '${parts}' is not supported.`);
    if (readOnly.has(user)) {
      return wleError(ctx, 403, CODE.notAuthorized, `The user "${user}" is not authorized to start the business process definition '${bpd.name}'.`, [user, bpd.name]);
    }
    const { instance } = store.start(bpd, snapshot!, user, variables, now());
    processed(ctx, 'start');
    return wleOk(ctx, wleInstance(instance, parts));
  }

  function wleTaskAction(ctx: Ctx, user: string, id: string): never {
    const p = params(ctx);
    const action = param(p, 'action');
    const known = ['finish', 'complete', 'claim', 'assign', 'cancel'];
    if (action === undefined || !known.includes(action)) return wleInvalid(ctx, 'action', `The value '${action ?? ''}' is not supported.`);
    const t = store.tasks.get(id);
    if (!t) return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The task with ID '${id}' was not found.`, [id]);
    if (readOnly.has(user)) {
      if (action === 'cancel') return wleError(ctx, 403, CODE.cancelNotAuthorized, `The user "${user}" is not authorized to cancel the task '${id}'.`, [user, id]);
      return wleError(ctx, 403, CODE.notAuthorized, `The user "${user}" is not authorized to ${action} the task '${id}'.`, [user, id]);
    }
    const fail = (status: number, code: string, message: string, ps: string[]): never => wleError(ctx, status, code, message, ps);
    switch (action) {
      case 'finish':
      case 'complete': {
        const data = wleParamsJson(ctx, param(p, 'params'));
        taskTransition(t, user, fail);
        completeTask(t, user, 'completed', data);
        processed(ctx, 'complete');
        return wleOk(ctx, wleTask(t));
      }
      case 'claim':
        taskTransition(t, user, fail);
        t.state = 'claimed';
        t.owner = user;
        t.modified = now();
        processed(ctx, 'claim');
        return wleOk(ctx, wleTask(t));
      case 'assign': {
        const targets = ['toMe', 'back', 'toUser', 'toGroup', 'toTeam'].filter((k) => param(p, k) !== undefined);
        if (targets.length !== 1) return wleInvalid(ctx, 'action', 'assign needs exactly one of toMe, back, toUser, toGroup or toTeam.');
        const key = targets[0]!;
        const value = param(p, key)!;
        if ((key === 'toMe' || key === 'back') && value !== 'true') return wleInvalid(ctx, key, `The value '${value}' is not supported.`);
        if (key === 'toUser' && !directory.has(value)) return wleInvalid(ctx, 'toUser', `The user '${value}' was not found.`);
        if (!isOpen(t)) return fail(409, CODE.conflict, `The task '${t.tkiid}' is already closed.`, [t.tkiid]);
        if (key === 'toMe' || key === 'toUser') {
          t.state = 'claimed';
          t.owner = key === 'toMe' ? user : value;
        } else {
          t.state = 'ready';
          t.owner = null;
          if (key !== 'back') t.group = value;
        }
        t.modified = now();
        return wleOk(ctx, wleTask(t));
      }
      default: {
        // cancel: releases the claim; 200 with an empty body
        if (!isOpen(t)) return fail(409, CODE.conflict, `The task '${t.tkiid}' is already closed.`, [t.tkiid]);
        t.state = 'ready';
        t.owner = null;
        t.modified = now();
        return send(ctx, 200, '');
      }
    }
  }

  /**
   * PUT tasks: a read sent as PUT [V3 PPB]. `offset` comes in the query; the body is a SavedSearchDefinition whose
   * `size` is the page size (a `size` in the query is read when the body has none, as older clients send it).
   * Matches are counted up to TASK_COUNT_LIMIT: beyond it `totalCount` is cut and `countLimitExceeded` is true.
   */
  function wleTaskSearch(ctx: Ctx, user: string): never {
    const fail = (name: string, value: string): never => wleInvalid(ctx, name, `The value '${value}' is not supported.`);
    const offset = intParam(ctx, 'offset', 0, 0, fail);
    const calcStats = (ctx.query.get('calcStats') ?? '').toLowerCase() === 'true';
    const badProperty = (name: string): never =>
      wleError(
        ctx,
        400,
        CODE.invalidSearchProperty,
        `Unrecognized field "${name}" (class SavedSearchDefinition), not marked as ignorable (${TASK_SEARCH_KEYS.length} known properties: ${TASK_SEARCH_KEYS.map((k) => `"${k}"`).join(', ')}).`,
        [name],
      );
    const badValue = (name: string): never => wleError(ctx, 400, CODE.invalidSearchProperty, `The value of the property '${name}' in the task search request is not valid.`, [name]);
    const parsed = jsonBody(ctx);
    let body: Record<string, unknown> = {};
    if (parsed.kind === 'invalid') return wleInvalid(ctx, 'body', 'The request body is not valid JSON.');
    if (parsed.kind === 'ok') {
      if (!isPlainObject(parsed.value)) return wleInvalid(ctx, 'body', 'The request body must be a JSON object.');
      body = parsed.value;
    }
    for (const k of Object.keys(body)) if (!TASK_SEARCH_KEYS.includes(k)) return badProperty(k);
    let size = intParam(ctx, 'size', DEFAULT_TASK_SEARCH_SIZE, 1, fail);
    if (body.size !== undefined) {
      if (!Number.isInteger(body.size) || (body.size as number) < 1) return badValue('size');
      size = body.size as number;
    }
    const interaction = body.interaction ?? 'claimed_and_available';
    let rows = [...store.tasks.values()];
    switch (interaction) {
      case 'all':
        break;
      case 'available':
        rows = rows.filter((t) => t.state === 'ready');
        break;
      case 'claimed':
        rows = rows.filter((t) => t.state === 'claimed' && t.owner === user);
        break;
      case 'claimed_and_available':
        rows = rows.filter((t) => t.state === 'ready' || (t.state === 'claimed' && t.owner === user));
        break;
      case 'completed':
        rows = rows.filter((t) => !isOpen(t));
        break;
      default:
        return badValue('interaction');
    }
    const conditions = body.conditions ?? [];
    if (!Array.isArray(conditions)) return badValue('conditions');
    for (const c of conditions) {
      if (!isPlainObject(c) || typeof c.field !== 'string') return badValue('conditions');
      if (!TASK_SEARCH_FIELDS.has(c.field)) return badValue(c.field);
      const op = c.operator ?? 'Equals';
      if (op !== 'Equals' && op !== 'NotEquals' && op !== 'Contains') return badValue('operator');
      const want = String(c.value ?? '');
      const field = c.field;
      const valueOf = (t: TaskRecord): string => {
        const inst = store.instances.get(t.piid);
        switch (field) {
          case 'instanceId':
            return t.piid;
          case 'instanceName':
            return inst?.name ?? '';
          case 'instanceStatus':
            return inst ? WLE_PROCESS_STATE[inst.state][1] : '';
          case 'taskStatus':
            return isOpen(t) ? 'Received' : 'Closed';
          case 'taskSubject':
            return `Step: ${t.name}`;
          case 'bpdName':
            return inst?.bpd.name ?? '';
          case 'assignedToUser':
            return t.owner ?? '';
          case 'taskActivityType':
            return 'USER_TASK';
          default:
            return inst?.bpd.app.acronym ?? '';
        }
      };
      rows = rows.filter((t) => {
        const v = valueOf(t);
        if (op === 'Contains') return v.toLowerCase().includes(want.toLowerCase());
        return op === 'Equals' ? v === want : v !== want;
      });
    }
    const sort = body.sort ?? [];
    if (!Array.isArray(sort) || sort.some((s) => !isPlainObject(s) || (s.field !== 'taskDueDate' && s.field !== 'taskPriority') || (s.order !== undefined && s.order !== 'ASC' && s.order !== 'DESC'))) {
      return badValue('sort');
    }
    rows.sort((a, b) => {
      for (const s of sort as Array<{ field: string; order?: string }>) {
        const diff = s.field === 'taskDueDate' ? a.due - b.due : a.priority - b.priority;
        if (diff !== 0) return s.order === 'DESC' ? -diff : diff;
      }
      return Number(a.tkiid) - Number(b.tkiid);
    });
    const t0 = now();
    const items = rows.slice(offset, offset + size).map((t) => {
      const inst = store.instances.get(t.piid);
      return {
        'TASK.TKIID': t.tkiid,
        TKIID: t.tkiid,
        'PROCESS_INSTANCE.PIID': t.piid,
        TAD_DISPLAY_NAME: t.name,
        TAS_SUBJECT: `Step: ${t.name}`,
        PT_NAME: inst?.bpd.name ?? null,
        PI_NAME: inst?.name ?? null,
        PI_PIID: t.piid,
        PROCESS_APP_ACRONYM: inst?.bpd.app.acronym ?? null,
        PRIORITY: t.priority,
        DUE: isoDate(t.due),
        STATE: SEARCH_TASK_STATE[t.state],
        STATUS: isOpen(t) ? 'Received' : 'Closed',
        OWNER: t.owner,
        ASSIGNED_TO_ROLE_DISPLAY_NAME: t.owner ? null : t.group,
      };
    });
    const data: Record<string, unknown> = {
      identifier: 'TASK.TKIID',
      items,
      offset,
      size: items.length,
      requestedSize: size,
      totalCount: Math.min(rows.length, TASK_COUNT_LIMIT),
      countLimit: TASK_COUNT_LIMIT,
      countLimitExceeded: rows.length > TASK_COUNT_LIMIT,
    };
    if (calcStats) {
      const open = rows.filter(isOpen);
      const overdue = open.filter((t) => t.due <= t0).length;
      const atRisk = open.filter((t) => t.due > t0 && t.due - t0 <= 15 * 60 * 1000).length;
      data.stats = { total: rows.length, open: open.length, onTrack: open.length - overdue - atRisk, atRisk, overdue };
    }
    return wleOk(ctx, data);
  }

  /**
   * POST (or GET) processes/search [V IBM resource; V3 parameters]: instances filtered by process app acronyms
   * (projectFilter), statuses, modification time and a name search, newest change first, paged by offset/limit.
   * An unknown acronym matches nothing: an empty list, not an error.
   */
  function wleInstanceSearch(ctx: Ctx): never {
    const fail = (name: string, value: string): never => wleInvalid(ctx, name, `The value '${value}' is not supported.`);
    const offset = intParam(ctx, 'offset', 0, 0, fail);
    const limit = intParam(ctx, 'limit', DEFAULT_TASK_SEARCH_SIZE, 1, fail);
    const list = (name: string): string[] | undefined => csv(ctx, name);
    const statuses = list('statusFilter');
    for (const status of statuses ?? []) if (!INSTANCE_STATUSES.includes(status)) return fail('statusFilter', status);
    const time = (name: string): number | undefined => {
      const raw = ctx.query.get(name);
      if (raw === null || raw === '') return undefined;
      const t = Date.parse(raw);
      return Number.isNaN(t) ? fail(name, raw) : t;
    };
    const after = time('modifiedAfter');
    const before = time('modifiedBefore');
    const projects = list('projectFilter');
    const term = (ctx.query.get('searchFilter') ?? '').trim().toLowerCase();
    const rows = [...store.instances.values()]
      .filter((i) => !projects || projects.includes(i.bpd.app.acronym))
      .filter((i) => !statuses || statuses.includes(WLE_PROCESS_STATE[i.state][1]))
      .filter((i) => (after === undefined || i.modified >= after) && (before === undefined || i.modified <= before))
      .filter((i) => !term || i.name.toLowerCase().includes(term) || i.bpd.app.acronym.toLowerCase() === term)
      .sort((a, b) => b.modified - a.modified || Number(b.piid) - Number(a.piid));
    const processes = rows.slice(offset, offset + limit).map((i) => ({
      piid: i.piid,
      name: i.name,
      bpdName: i.bpd.name,
      executionState: WLE_PROCESS_STATE[i.state][1],
      snapshotID: i.snapshot.id,
      projectID: i.bpd.app.processAppId,
      dueDate: isoDate(i.created + 24 * 3600 * 1000),
      creationDate: isoDate(i.created),
      lastModificationTime: isoDate(i.modified),
      closedDate: i.completed === null ? null : isoDate(i.completed),
    }));
    return wleOk(ctx, { processes });
  }

  function wleInstanceAction(ctx: Ctx, user: string, id: string): never {
    const p = params(ctx);
    const action = param(p, 'action');
    if (action === undefined || !['terminate', 'suspend', 'resume', 'delete'].includes(action)) {
      return wleInvalid(ctx, 'action', `The value '${action ?? ''}' is not supported.`);
    }
    const inst = store.instances.get(id);
    if (!inst) return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The process instance with ID '${id}' was not found.`, [id]);
    if (readOnly.has(user)) return wleError(ctx, 403, CODE.notAuthorized, `The user "${user}" is not authorized to ${action} the process instance '${id}'.`, [user, id]);
    const t0 = now();
    const conflict = (): never => wleError(ctx, 409, CODE.conflict, `The action '${action}' is not allowed on the process instance '${id}' in its current state.`, [action, id]);
    switch (action) {
      case 'delete':
        store.deleteInstance(id);
        return wleOk(ctx, { piid: id });
      case 'terminate':
        if (inst.state !== 'running' && inst.state !== 'suspended') return conflict();
        inst.state = 'terminated';
        inst.completed = t0;
        for (const t of store.tasksOf(id)) if (isOpen(t)) t.state = 'failed';
        break;
      case 'suspend':
        if (inst.state !== 'running') return conflict();
        inst.state = 'suspended';
        break;
      default:
        if (inst.state !== 'suspended') return conflict();
        inst.state = 'running';
    }
    inst.modified = t0;
    return wleOk(ctx, wleInstance(inst, 'all'));
  }

  function handleWle(ctx: Ctx, segs: string[]): never {
    stats.apiCalls++;
    const user = authenticate(ctx);
    if (user === undefined) return unauthorized(ctx);
    if (wleXsrfCheck && UNSAFE.has(ctx.method)) {
      const header = ctx.req.headersDistinct['x-xsrf-token']?.[0];
      const cookie = ctx.cookies.get('XSRF-TOKEN') ?? [];
      if (header === undefined || header === '' || !cookie.includes(header)) {
        stats.csrfRejections++;
        return wleError(ctx, wleXsrfRejectStatus, CODE.csrf, 'The request was blocked because the X-XSRF-TOKEN header could not be verified.');
      }
    }
    if (ctx.truncated) return wleError(ctx, 413, CODE.invalidParameter, 'The request body is too large.');
    const isGet = ctx.method === 'GET' || ctx.method === 'HEAD';
    const key = segs.map((s, i) => (i === 1 && (segs[0] === 'process' || segs[0] === 'task' || segs[0] === 'bpddata') ? '{id}' : s)).join('/');
    switch (key) {
      case 'process':
        if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
        return wleStart(ctx, user);
      case 'process/{id}': {
        const id = segs[1]!;
        if (isGet) {
          const inst = store.instances.get(id);
          if (!inst) return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The process instance with ID '${id}' was not found.`, [id]);
          const parts = ctx.query.get('parts') ?? 'all';
          return wleOk(ctx, wleInstance(inst, parts === 'none' || parts === 'data' ? parts : 'all'));
        }
        if (ctx.method === 'PUT' || ctx.method === 'POST') return wleInstanceAction(ctx, user, id);
        return methodNotAllowed(ctx, 'GET, PUT, POST');
      }
      case 'task/{id}': {
        const id = segs[1]!;
        if (isGet) {
          const t = store.tasks.get(id);
          if (!t) return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The task with ID '${id}' was not found.`, [id]);
          return wleOk(ctx, wleTask(t));
        }
        if (ctx.method === 'PUT' || ctx.method === 'POST') return wleTaskAction(ctx, user, id);
        return methodNotAllowed(ctx, 'GET, PUT, POST');
      }
      case 'tasks':
        if (ctx.method !== 'PUT') return methodNotAllowed(ctx, 'PUT');
        return wleTaskSearch(ctx, user);
      case 'processes/search':
        if (ctx.method !== 'POST' && !isGet) return methodNotAllowed(ctx, 'GET, POST');
        return wleInstanceSearch(ctx);
      case 'bpddata/{id}': {
        if (!isGet) return methodNotAllowed(ctx, 'GET');
        const bpd = store.bpdById(segs[1]!);
        if (!bpd) return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The business process definition '${segs[1]!}' was not found.`, [segs[1]!]);
        const snapshotId = ctx.query.get('snapshotId');
        const branchId = ctx.query.get('branchId');
        if (!snapshotId && !branchId) return wleInvalid(ctx, 'snapshotId', 'One of snapshotId or branchId is required.');
        const snapshot = snapshotId ? bpd.app.snapshots.find((sn) => sn.id === snapshotId) : branchId === bpd.app.branchId ? bpd.app.snapshots[0] : undefined;
        if (!snapshot) return wleInvalid(ctx, snapshotId ? 'snapshotId' : 'branchId', `The ${snapshotId ? 'snapshot' : 'branch'} does not contain the business process definition '${bpd.bpdId}'.`);
        return wleOk(ctx, bpdData(bpd, snapshot));
      }
      case 'processApps':
        if (!isGet) return methodNotAllowed(ctx, 'GET');
        return wleOk(ctx, {
          processAppsList: APPS.map((a) => ({ ID: a.processAppId, name: a.name, shortName: a.acronym, description: '', richDescription: '', defaultVersion: a.snapshots[0]!.acronym })),
        });
      case 'exposed/process':
        if (!isGet) return methodNotAllowed(ctx, 'GET');
        return wleOk(ctx, {
          exposedItemsList: BPDS.map((b) => ({
            type: 'process',
            itemID: b.bpdId,
            itemReference: `/${b.bpdId}`,
            processAppID: b.app.processAppId,
            processAppName: b.app.name,
            processAppAcronym: b.app.acronym,
            snapshotID: b.app.snapshots[0]!.id,
            snapshotName: b.app.snapshots[0]!.name,
            branchID: b.app.branchId,
            branchName: b.app.branchName,
            display: b.name,
            tip: true,
            ID: `${b.bpdId}/${b.app.snapshots[0]!.id}`,
            subtype: 'process',
            startURL: `${prefix}/rest/bpm/wle/v1/process?action=start&bpdId=${b.bpdId}&processAppId=${b.app.processAppId}`,
          })),
        });
      case 'user/current':
        if (!isGet) return methodNotAllowed(ctx, 'GET');
        return wleOk(ctx, {
          userID: String(Object.keys(users).indexOf(user) + 1),
          userName: user,
          fullName: user,
          isDisabled: false,
          memberships: readOnly.has(user) ? ['tw_allusers'] : ['tw_allusers', 'tw_admins', ...new Set(BPDS.map((b) => b.group))],
          processApps: APPS.map((a) => a.acronym),
        });
      default:
        return wleError(ctx, wleNotFoundStatus, CODE.notFound, `The resource '${ctx.pathname}' was not found.`, [ctx.pathname]);
    }
  }

  // ---------------------------------------------------------------- control endpoints

  function handleSim(ctx: Ctx, name: string): never {
    switch (name) {
      case 'stats':
        if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
        return json(ctx, 200, { ...stats });
      case 'expire':
        if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
        expireSessions();
        return send(ctx, 204);
      case 'reset':
        if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
        resetStats();
        resetData();
        return send(ctx, 204);
      case 'operations':
        if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
        return json(ctx, 200, { ...operations });
      case 'drop': {
        if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
        const kind = ctx.query.get('kind') as BawFaultKind;
        if (!FAULT_KINDS.includes(kind)) return send(ctx, 400, `kind must be one of ${FAULT_KINDS.join(', ')}`, 'text/plain;charset=UTF-8');
        dropAfterProcessing(kind);
        return send(ctx, 204);
      }
      case 'tasks': {
        if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
        const count = Number(ctx.query.get('count'));
        if (!Number.isInteger(count) || count < 1 || count > 10000) return send(ctx, 400, 'count must be a whole number from 1 to 10000', 'text/plain;charset=UTF-8');
        const ids = bulkCreateTasks(count, ctx.query.get('bpd') ?? undefined);
        return json(ctx, 200, { count, firstId: ids[0], lastId: ids[ids.length - 1] });
      }
      default:
        return send(ctx, 404, 'Not found', 'text/plain;charset=UTF-8');
    }
  }

  // ---------------------------------------------------------------- dispatch

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const method = (req.method ?? 'GET').toUpperCase();
    const isSim = pathname.startsWith('/_sim/');
    const { body, truncated } = await readBody(req, BODY_CAP);
    if (!isSim) {
      requests.push({ method, path: pathname, url: rawUrl, headers: { ...req.headers }, body: body.toString('utf8') });
      if (requests.length > 1000) requests.splice(0, requests.length - 1000);
    }
    const ctx: Ctx = {
      req,
      res,
      method,
      pathname,
      query: new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1)),
      body,
      truncated,
      cookies: parseCookies(req.headers.cookie),
      setCookies: [],
    };
    try {
      if (isSim) return handleSim(ctx, pathname.slice('/_sim/'.length));
      if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return notFoundHtml(ctx);
      const segs = pathname
        .slice(prefix.length)
        .split('/')
        .filter((s) => s !== '')
        .map(safeDecode);
      if (segs[0] === 'bpm') return handleBpm(ctx, segs.slice(1));
      if (segs[0] === 'rest' && segs[1] === 'bpm' && segs[2] === 'wle' && segs[3] === 'v1') return handleWle(ctx, segs.slice(4));
      return notFoundHtml(ctx);
    } catch (e) {
      if (e instanceof HttpDone) return;
      if (!res.headersSent) {
        const message = e instanceof Error ? e.message : String(e);
        res.writeHead(500, { 'Content-Type': JSON_TYPE });
        res.end(JSON.stringify({ error_number: 'CWTBG0000E', error_message: `Internal error: ${message}`, error_message_parameters: [] }));
      } else {
        res.destroy();
      }
    }
  }

  const { origin, close } = await listenOnLoopback(handle, options.port);
  return {
    url: `${origin}${prefix}`,
    origin,
    stats,
    operations,
    requests,
    expireSessions,
    resetStats,
    resetData,
    dropAfterProcessing,
    dropBeforeProcessing,
    bulkCreateTasks,
    close,
  };
}
