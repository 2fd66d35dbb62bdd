/**
 * Simplicité API-endpoint simulator (login with the three credential transports
 * and the text / JSON / OAuth2 / redirect response shapes, user tokens carried
 * by header or URL parameter, logout, the generic REST API on a few business
 * objects (search with _count and _page, metadata, OpenAPI documentation,
 * custom actions, publications, documents), health check; counters of the
 * writes that took effect and a fault that drops the answer after processing).
 *
 * Wire behaviour follows /work/shared/notes/vendor-protocols.md section D and
 * its "Simulator checklist → Simplicité"; facts tagged [I] there are options
 * here. Node built-ins only.
 */
import * as http from 'node:http';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { contentTypeParam, mediaType, parseCookies, parseForm, parseMultipart, readBody, safeDecode } from '../http-util';
import { listenOnLoopback } from '../listen';
import { DESIGNER_OBJECTS, SimpliciteStore, type DocValue, type Row, type WriteValue } from './data';
import { objectMarkdown, objectMetadata, objectOpenApi } from './metadata';

export type SimpliciteErrorKind = 'unknownObject' | 'forbidden' | 'notFound' | 'validation';

export interface SimpliciteSimulatorOptions {
  /** default 0 (ephemeral); the server listens on 127.0.0.1 only */
  port?: number;
  /** default '' (ROOT deployment: API at /api); e.g. '/myapp' gives /myapp/api */
  contextPath?: string;
  /** login -> password; default { 'designer': 'designer' } */
  users?: Record<string, string>;
  /** default 30 min; a token unused for longer is expired (401) [I] */
  tokenTimeoutMs?: number;
  /** seconds reported as expires_in in the OAuth2 shape (the server session timeout); default 300 */
  expiresIn?: number;
  /** default false; 3.x: a token is valid only with the JSESSIONID cookie set at its login [I] */
  v3Mode?: boolean;
  /** URL parameter carrying the token (USERTOKENS_URL_PARAM); default '_x_simplicite_authorization_' */
  urlParamName?: string;
  /** HTTP statuses of REST errors [I]; defaults 404, 403, 404, 400 */
  errorStatuses?: Partial<Record<SimpliciteErrorKind, number>>;

  // ---- extra options (all [I] in the notes or not covered by them)

  /** default false; true = the OAuth2 login shape needs HTTPS (X-Forwarded-Proto: https counts), else 400 */
  oauth2RequiresHttps?: boolean;
  /** USERTOKENS_MODE: 'jwt' (default) gives a signed JWT-looking token, 'simple' a 50-character random string */
  tokenMode?: 'jwt' | 'simple';
  /** default false; true = a login returns the user's still-valid token instead of a new one (never in v3Mode) */
  reuseTokens?: boolean;
  /** default true: login also reads an application/x-www-form-urlencoded POST body (the doc shows multipart only) */
  acceptUrlencodedLogin?: boolean;
  /** default true (5.3+/6.0 behaviour): a token header without the `Bearer ` prefix gets 401; false = the raw value is taken as the token */
  bearerPrefixRequired?: boolean;
  /** default false; true = REST calls also accept `Authorization: Basic` (legacy `/myappws` style) */
  acceptBasicOnApi?: boolean;
  /** default true: newer login JSON with authtokenexpiry, userid and email; false = the documented 6-field shape */
  loginJsonExtras?: boolean;
  /** default 302: status of the redirect_uri redirect */
  redirectStatus?: number;
  /** default 200: status of a successful REST create */
  createStatus?: number;
  /** default 50: records per `_page` of a search (the server sets it, probably the user's usr_maxrows [I]) */
  pageSize?: number;
  /** objects a user may not use ('*' = every user); default { '*': ['DemoOrder'] } */
  forbiddenObjects?: Record<string, string[]>;
  /** users who may read the designer objects (ObjectInternal); default ['designer']; the others get 403 */
  designers?: string[];
  /** [I] shape of a `_count=true` answer: 'object' (default) {count, pagesize, pages}, or 'number' (the bare count) */
  countAnswer?: 'object' | 'number';
  /** default true; false = `_metadata=true` is ignored (the call answers a search), as a server without it would */
  serveMetadata?: boolean;
  /** default false; true = `order__<field>` is ignored (rows by row_id), as a server that does not take it in the query would [I] */
  ignoreSearchOrder?: boolean;
}

/** What configure() may change while the simulator runs. */
export type SimpliciteRuntimeOptions = Pick<SimpliciteSimulatorOptions, 'pageSize' | 'countAnswer' | 'serveMetadata' | 'ignoreSearchOrder'>;

/** Writes and custom actions that really took effect (answered or not: see dropAfterProcessing). */
export interface SimpliciteOperations {
  recordsCreated: number;
  recordsUpdated: number;
  recordsDeleted: number;
  /** custom actions run, record or global */
  actionsRun: number;
  /** publications rendered */
  publications: number;
}

/** The call a dropAfterProcessing fault hits. */
export type SimpliciteFaultKind = 'create' | 'update' | 'delete' | 'action';

/**
 * Live counters.
 * - logins / loginFailures: outcomes of <api>/login.
 * - unauthorized: 401 because there was no valid token (REST API and logout).
 * - logouts: successful <api>/logout calls.
 * - apiCalls: every request under <api>/ except login and logout (whatever its outcome).
 */
export interface SimpliciteStats {
  logins: number;
  loginFailures: number;
  unauthorized: number;
  logouts: number;
  apiCalls: number;
}

export interface SimpliciteRequestRecord {
  method: string;
  /** URL path without the query string */
  path: string;
  /** raw request target (path and query string) */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface SimpliciteSimulator {
  /** application base including the context path, e.g. http://127.0.0.1:41234 (or .../myapp); the API is at `${url}/api` */
  url: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  stats: SimpliciteStats;
  operations: SimpliciteOperations;
  /** the next successful `kind` call is processed, then its socket destroyed without an answer (once per call) */
  dropAfterProcessing(kind: SimpliciteFaultKind): void;
  /** `count` new records of `object`, required fields generated and `make(i)` (i from 1) on top; their row_ids */
  bulkCreate(object: string, count: number, make?: (i: number) => Record<string, string>): string[];
  configure(changes: SimpliciteRuntimeOptions): void;
  /** every token now expired (the next call with it gets 401) */
  expireSessions(): void;
  /** the server's clock (created_dt, updated_dt) this far from the machine's */
  setClockSkew(ms: number): void;
  /** zero stats and operations (same objects) */
  resetStats(): void;
  /** put the seed data back and disarm the faults; tokens are kept */
  resetData(): void;
  /** every request seen (except /_sim control calls), the last 1000 */
  requests: SimpliciteRequestRecord[];
  close(): Promise<void>;
}

interface TokenRec {
  token: string;
  login: string;
  /** server session id (the JSESSIONID cookie value in v3Mode) */
  sessionId: string;
  lastAccess: number;
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  pathname: string;
  query: URLSearchParams;
  body: Buffer;
  truncated: boolean;
  cookies: Map<string, string[]>;
  setCookies: string[];
  /** the request was processed: destroy the socket instead of answering (an armed dropAfterProcessing fault) */
  drop?: boolean;
}

interface UserInfo {
  login: string;
  userid: string;
  firstname: string;
  lastname: string;
  email: string;
  lang: string;
}

const JSON_UTF8 = 'application/json;charset=UTF-8';
const TEXT_UTF8 = 'text/plain;charset=UTF-8';
const HTML_UTF8 = 'text/html;charset=UTF-8';
const MEGABYTE = 1048576;
const EXPIRED = 'Expires=Thu, 01 Jan 1970 00:00:10 GMT';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PLATFORM_VERSION = '6.2.0';

class HttpDone extends Error {}

function normalizeContextPath(p: string): string {
  let s = p.trim();
  if (s === '' || s === '/') return '';
  if (!s.startsWith('/')) s = `/${s}`;
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

const b64url = (v: Buffer | string): string => Buffer.from(v).toString('base64url');

export async function startSimpliciteSimulator(options: SimpliciteSimulatorOptions = {}): Promise<SimpliciteSimulator> {
  const contextPath = normalizeContextPath(options.contextPath ?? '');
  const cookiePath = contextPath || '/';
  const users: Record<string, string> = { ...(options.users ?? { designer: 'designer' }) };
  const tokenTimeoutMs = options.tokenTimeoutMs ?? 30 * 60 * 1000;
  const expiresIn = options.expiresIn ?? 300;
  const v3Mode = options.v3Mode ?? false;
  const urlParamName = options.urlParamName ?? '_x_simplicite_authorization_';
  const errorStatuses: Record<SimpliciteErrorKind, number> = {
    unknownObject: 404,
    forbidden: 403,
    notFound: 404,
    validation: 400,
    ...options.errorStatuses,
  };
  const oauth2RequiresHttps = options.oauth2RequiresHttps ?? false;
  const tokenMode = options.tokenMode ?? 'jwt';
  const reuseTokens = (options.reuseTokens ?? false) && !v3Mode;
  const acceptUrlencodedLogin = options.acceptUrlencodedLogin ?? true;
  const bearerPrefixRequired = options.bearerPrefixRequired ?? true;
  const acceptBasicOnApi = options.acceptBasicOnApi ?? false;
  const loginJsonExtras = options.loginJsonExtras ?? true;
  const redirectStatus = options.redirectStatus ?? 302;
  const createStatus = options.createStatus ?? 200;
  const runtime = {
    pageSize: Math.max(1, Math.floor(options.pageSize ?? 50)),
    countAnswer: options.countAnswer ?? 'object',
    serveMetadata: options.serveMetadata ?? true,
    ignoreSearchOrder: options.ignoreSearchOrder ?? false,
  };
  const forbiddenObjects = options.forbiddenObjects ?? { '*': ['DemoOrder'] };
  const designers = options.designers ?? ['designer'];
  const jwtSecret = randomBytes(32);
  const startedAt = Date.now();

  const userInfo = new Map<string, UserInfo>();
  let nextUserId = 100;
  for (const login of Object.keys(users)) {
    const name = login.charAt(0).toUpperCase() + login.slice(1);
    userInfo.set(login, {
      login,
      userid: login === 'designer' ? '6' : String(nextUserId++),
      firstname: login === 'designer' ? '' : name,
      lastname: login === 'designer' ? 'Designer' : name,
      email: `${login.replace(/[^A-Za-z0-9._-]/g, '_')}@simplicite.invalid`,
      lang: 'ENU',
    });
  }

  let clockSkewMs = 0;
  // The server's local time as its datetime fields show it (UTC here), to the second.
  const store = new SimpliciteStore(urlParamName, () => new Date(Date.now() + clockSkewMs).toISOString().slice(0, 19).replace('T', ' '));
  const tokens = new Map<string, TokenRec>();
  const stats: SimpliciteStats = { logins: 0, loginFailures: 0, unauthorized: 0, logouts: 0, apiCalls: 0 };
  const operations: SimpliciteOperations = { recordsCreated: 0, recordsUpdated: 0, recordsDeleted: 0, actionsRun: 0, publications: 0 };
  const requests: SimpliciteRequestRecord[] = [];
  const faults = new Map<SimpliciteFaultKind, number>();

  const resetStats = (): void => {
    stats.logins = 0;
    stats.loginFailures = 0;
    stats.unauthorized = 0;
    stats.logouts = 0;
    stats.apiCalls = 0;
    for (const key of Object.keys(operations) as Array<keyof SimpliciteOperations>) operations[key] = 0;
  };
  const resetData = (): void => {
    store.reseed();
    faults.clear();
  };
  const dropAfterProcessing = (kind: SimpliciteFaultKind): void => {
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  };
  /** The call took effect: counted, and an armed fault for it turns the answer into a destroyed socket. */
  function processed(ctx: Ctx, kind: SimpliciteFaultKind, counter: keyof SimpliciteOperations): void {
    operations[counter]++;
    const armed = faults.get(kind) ?? 0;
    if (armed === 0) return;
    if (armed === 1) faults.delete(kind);
    else faults.set(kind, armed - 1);
    ctx.drop = true;
  }
  const configure = (changes: SimpliciteRuntimeOptions): void => {
    if (changes.pageSize !== undefined) runtime.pageSize = Math.max(1, Math.floor(changes.pageSize));
    if (changes.countAnswer !== undefined) runtime.countAnswer = changes.countAnswer;
    if (changes.serveMetadata !== undefined) runtime.serveMetadata = changes.serveMetadata;
    if (changes.ignoreSearchOrder !== undefined) runtime.ignoreSearchOrder = changes.ignoreSearchOrder;
  };
  const expireSessions = (): void => tokens.clear();

  // ---------------------------------------------------------------- responses

  function send(ctx: Ctx, status: number, body?: string | Buffer, contentType?: string, extra?: Record<string, string>): never {
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
      res.writeHead(status, headers);
      res.end(ctx.method === 'HEAD' || status === 204 || status === 304 ? undefined : buf);
    }
    throw new HttpDone();
  }
  const json = (ctx: Ctx, status: number, value: unknown, extra?: Record<string, string>): never =>
    send(ctx, status, JSON.stringify(value), JSON_UTF8, extra);
  /** API error body [I]: {"error":"<message>","status":<code>} */
  const apiError = (ctx: Ctx, status: number, message: string, extra?: Record<string, string>): never =>
    json(ctx, status, { error: message, status }, extra);
  const restError = (ctx: Ctx, kind: SimpliciteErrorKind, message: string): never => apiError(ctx, errorStatuses[kind], message);
  const methodNotAllowed = (ctx: Ctx, allow: string): never => apiError(ctx, 405, `Method ${ctx.method} not allowed`, { Allow: allow });

  // ---------------------------------------------------------------- parameters

  /** Servlet getParameter semantics: query string first, then a form body (urlencoded or multipart fields) on POST. */
  function servletParams(ctx: Ctx, withMultipart: boolean): Map<string, string[]> {
    const out = new Map<string, string[]>();
    const add = (k: string, v: string): void => {
      const list = out.get(k);
      if (list) list.push(v);
      else out.set(k, [v]);
    };
    for (const [k, v] of ctx.query) add(k, v);
    if (ctx.method !== 'POST') return out;
    const ct = ctx.req.headers['content-type'];
    const mt = mediaType(ct);
    if (mt === 'application/x-www-form-urlencoded' && acceptUrlencodedLogin) {
      for (const [k, vs] of parseForm(ctx.body.toString('utf8'))) for (const v of vs) add(k, v);
    } else if (mt === 'multipart/form-data' && withMultipart) {
      const parts = parseMultipart(ctx.body, contentTypeParam(ct, 'boundary') ?? '') ?? [];
      for (const p of parts) if (p.name !== undefined && p.filename === undefined) add(p.name, p.data.toString('utf8'));
    }
    return out;
  }
  const first = (m: Map<string, string[]>, k: string): string | undefined => m.get(k)?.[0];
  const isTrue = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === 'true';

  function acceptsJson(ctx: Ctx): boolean {
    const accept = ctx.req.headers.accept;
    return typeof accept === 'string' && /(^|,)\s*application\/json\s*(;|,|$)/i.test(accept);
  }

  function wantsJson(ctx: Ctx, params: Map<string, string[]>): boolean {
    return (
      isTrue(first(params, '_json')) ||
      (first(params, '_output') ?? '').toLowerCase() === 'json' ||
      (first(params, 'format') ?? '').toLowerCase() === 'json' ||
      acceptsJson(ctx)
    );
  }

  function isHttps(ctx: Ctx): boolean {
    if ((ctx.req.socket as { encrypted?: boolean }).encrypted) return true;
    const xfp = ctx.req.headers['x-forwarded-proto'];
    const v = (Array.isArray(xfp) ? xfp[0] : xfp) ?? '';
    return v.split(',')[0]!.trim().toLowerCase() === 'https';
  }

  /** First value of a request header. */
  function header(ctx: Ctx, name: string): string | undefined {
    const v = ctx.req.headersDistinct[name];
    return v !== undefined && v.length > 0 ? v[0] : undefined;
  }

  // ---------------------------------------------------------------- tokens

  function randomAlnum(n: number): string {
    const bytes = randomBytes(n);
    let s = '';
    for (let i = 0; i < n; i++) s += ALNUM[bytes[i]! % ALNUM.length];
    return s;
  }

  function newTokenValue(login: string): string {
    if (tokenMode === 'simple') return randomAlnum(50);
    const iat = Math.floor(Date.now() / 1000);
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64url(JSON.stringify({ iss: 'simplicite', sub: login, iat, exp: iat + 86400, jti: randomUUID() }));
    const sig = createHmac('sha256', jwtSecret).update(`${head}.${payload}`).digest('base64url');
    return `${head}.${payload}.${sig}`;
  }

  function sweep(): void {
    const now = Date.now();
    for (const [t, rec] of tokens) if (now - rec.lastAccess > tokenTimeoutMs) tokens.delete(t);
  }

  function issueToken(login: string): TokenRec {
    if (tokens.size > 500) sweep();
    const now = Date.now();
    if (reuseTokens) {
      for (const rec of tokens.values()) {
        if (rec.login === login && now - rec.lastAccess <= tokenTimeoutMs) {
          rec.lastAccess = now;
          return rec;
        }
      }
    }
    const rec: TokenRec = { token: newTokenValue(login), login, sessionId: randomBytes(16).toString('hex').toUpperCase(), lastAccess: now };
    tokens.set(rec.token, rec);
    return rec;
  }

  type TokenLookup = { ok: true; rec: TokenRec } | { ok: false; message: string };

  /** A live token (touching it), or why not. */
  function checkToken(ctx: Ctx, value: string): TokenLookup {
    const rec = tokens.get(value);
    if (!rec) return { ok: false, message: 'Invalid or expired token' };
    const now = Date.now();
    if (now - rec.lastAccess > tokenTimeoutMs) {
      tokens.delete(value);
      return { ok: false, message: 'Invalid or expired token' };
    }
    if (v3Mode && !(ctx.cookies.get('JSESSIONID') ?? []).includes(rec.sessionId)) {
      return { ok: false, message: 'Token does not belong to this session (JSESSIONID)' };
    }
    rec.lastAccess = now;
    return { ok: true, rec };
  }

  type Presented =
    | { kind: 'none' }
    | { kind: 'bearer'; token: string }
    | { kind: 'basic'; login: string; password: string }
    | { kind: 'malformed'; message: string };

  /** What the request carries: X-Simplicite-Authorization first, then Authorization, then the URL parameter. */
  function presented(ctx: Ctx, allowUrlParam: boolean): Presented {
    for (const name of ['x-simplicite-authorization', 'authorization']) {
      const raw = header(ctx, name);
      if (raw === undefined) continue;
      const v = raw.trim();
      const m = /^(\S+)\s+(.*)$/.exec(v);
      const scheme = m?.[1]?.toLowerCase();
      if (scheme === 'bearer') {
        const token = m![2]!.trim();
        if (token === '') return { kind: 'malformed', message: `Empty bearer token in ${name} header` };
        return { kind: 'bearer', token };
      }
      if (scheme === 'basic') {
        let decoded: string;
        try {
          decoded = Buffer.from(m![2]!.trim(), 'base64').toString('utf8');
        } catch {
          return { kind: 'malformed', message: `Malformed basic credentials in ${name} header` };
        }
        const c = decoded.indexOf(':');
        return c < 0 ? { kind: 'basic', login: decoded, password: '' } : { kind: 'basic', login: decoded.slice(0, c), password: decoded.slice(c + 1) };
      }
      if (!bearerPrefixRequired && v !== '' && !/\s/.test(v)) return { kind: 'bearer', token: v };
      return { kind: 'malformed', message: `Malformed ${name} header (expected "Bearer <token>")` };
    }
    if (allowUrlParam) {
      const p = ctx.query.get(urlParamName);
      if (p !== null && p !== '') return { kind: 'bearer', token: p };
    }
    return { kind: 'none' };
  }

  function passwordOk(login: string | undefined, password: string | undefined): boolean {
    return (
      login !== undefined &&
      login !== '' &&
      password !== undefined &&
      Object.prototype.hasOwnProperty.call(users, login) &&
      users[login] === password
    );
  }

  /** Token of an API call, or 401. */
  function authenticate(ctx: Ctx): TokenRec {
    const p = presented(ctx, true);
    const deny = (message: string): never => {
      stats.unauthorized++;
      return apiError(ctx, 401, message);
    };
    switch (p.kind) {
      case 'none':
        return deny('Authentication required');
      case 'malformed':
        return deny(p.message);
      case 'basic': {
        if (!acceptBasicOnApi) return deny('Basic authentication is not accepted here, use a bearer token');
        if (!passwordOk(p.login, p.password)) return deny('Invalid credentials');
        // a technical session for this call only
        return { token: '', login: p.login, sessionId: '', lastAccess: Date.now() };
      }
      case 'bearer': {
        const r = checkToken(ctx, p.token);
        if (!r.ok) return deny(r.message);
        return r.rec;
      }
    }
  }

  // ---------------------------------------------------------------- login / logout

  function loginJson(rec: TokenRec): Record<string, unknown> {
    const u = userInfo.get(rec.login)!;
    const out: Record<string, unknown> = {
      authtoken: rec.token,
      sessionid: rec.sessionId,
      login: u.login,
      firstname: u.firstname,
      lastname: u.lastname,
      lang: u.lang,
    };
    if (loginJsonExtras) {
      out.authtokenexpiry = rec.lastAccess + tokenTimeoutMs;
      out.userid = u.userid;
      out.email = u.email;
    }
    return out;
  }

  function redirectTarget(uri: string, token: string): string {
    const hash = uri.indexOf('#');
    const base = hash < 0 ? uri : uri.slice(0, hash);
    const frag = hash < 0 ? '' : uri.slice(hash);
    const sep = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
    return `${base}${sep}access_token=${encodeURIComponent(token)}${frag}`;
  }

  function handleLogin(ctx: Ctx): never {
    if (ctx.method !== 'GET' && ctx.method !== 'POST' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET, POST');
    const params = servletParams(ctx, true);
    const oauth2 = isTrue(first(params, '_oauth2')) || (first(params, '_output') ?? '').toLowerCase() === 'oauth2';
    const jsonMode = oauth2 || wantsJson(ctx, params);
    const redirectUri = first(params, 'redirect_uri');
    const fail = (status: number, message: string): never => {
      stats.loginFailures++;
      if (jsonMode) return apiError(ctx, status, message);
      return send(ctx, status, undefined, TEXT_UTF8);
    };
    if (oauth2 && oauth2RequiresHttps && !isHttps(ctx)) return fail(400, 'OAuth2 style authentication requires HTTPS');

    let rec: TokenRec | undefined;
    const p = presented(ctx, false);
    if (p.kind === 'basic') {
      if (!passwordOk(p.login, p.password)) return fail(401, 'Invalid credentials');
      rec = issueToken(p.login);
    } else if (p.kind === 'bearer') {
      // re-validation of an existing token (what the JS client's login({authtoken}) does)
      const r = checkToken(ctx, p.token);
      if (!r.ok) return fail(401, r.message);
      rec = r.rec;
    } else {
      const login = first(params, 'username');
      const password = first(params, 'password');
      if (login === undefined || login === '' || password === undefined) return fail(401, 'Missing credentials');
      if (!passwordOk(login, password)) return fail(401, 'Invalid credentials');
      rec = issueToken(login);
    }
    stats.logins++;
    if (v3Mode) ctx.setCookies.push(`JSESSIONID=${rec.sessionId}; Path=${cookiePath}; HttpOnly`);
    if (redirectUri !== undefined && redirectUri !== '') {
      return send(ctx, redirectStatus, undefined, undefined, { Location: redirectTarget(redirectUri, rec.token) });
    }
    if (oauth2) return json(ctx, 200, { access_token: rec.token, token_type: 'bearer', expires_in: expiresIn, scope: null });
    if (jsonMode) return json(ctx, 200, loginJson(rec));
    return send(ctx, 200, rec.token, TEXT_UTF8);
  }

  function handleLogout(ctx: Ctx): never {
    if (ctx.method !== 'GET' && ctx.method !== 'POST' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET, POST');
    const rec = authenticate(ctx);
    if (rec.token !== '') tokens.delete(rec.token);
    stats.logouts++;
    if (v3Mode) ctx.setCookies.push(`JSESSIONID=""; Max-Age=0; ${EXPIRED}; Path=${cookiePath}`);
    if (wantsJson(ctx, servletParams(ctx, false))) return json(ctx, 200, { result: 'OK', login: rec.login });
    return send(ctx, 200, undefined, TEXT_UTF8);
  }

  // ---------------------------------------------------------------- REST API

  function isForbidden(login: string, object: string): boolean {
    if (DESIGNER_OBJECTS.includes(object) && !designers.includes(login)) return true;
    return (forbiddenObjects['*'] ?? []).includes(object) || (forbiddenObjects[login] ?? []).includes(object);
  }

  /**
   * JSON body of a create/update: ignored (empty) unless Content-Type is application/json. Scalars become strings;
   * an object is a document written inline (the store refuses it on any other field).
   */
  function recordValues(ctx: Ctx): Record<string, WriteValue> {
    if (mediaType(ctx.req.headers['content-type']) !== 'application/json') return {};
    const text = ctx.body.toString('utf8');
    if (text.trim() === '') return {};
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch (e) {
      return restError(ctx, 'validation', `Invalid JSON body: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return restError(ctx, 'validation', 'Invalid JSON body: a JSON object is expected');
    const out: Record<string, WriteValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined) out[k] = '';
      else if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else if (typeof v === 'object' && !Array.isArray(v)) out[k] = v as DocValue;
      else return restError(ctx, 'validation', `Invalid value for field ${k}: a scalar is expected`);
    }
    return out;
  }

  function writeResult(ctx: Ctx, r: { ok: true; row: Row } | { ok: false; error: string }, okStatus: number, kind: SimpliciteFaultKind, counter: keyof SimpliciteOperations): never {
    if (!r.ok) return restError(ctx, 'validation', r.error);
    processed(ctx, kind, counter);
    return json(ctx, okStatus, r.row);
  }

  /** Search filters: the query parameters that name an output field (the others are ignored, as the server does). */
  function searchFilters(ctx: Ctx, object: string): Array<[string, string]> {
    const names = new Set(store.outputFields(object));
    const filters: Array<[string, string]> = [];
    for (const [k, v] of ctx.query) {
      if (k.startsWith('_') || k === urlParamName || !names.has(k)) continue;
      if (filters.some(([name]) => name === k)) continue;
      filters.push([k, v]);
    }
    return filters;
  }

  /** `order__<field>=<n>`: sorted by |n| (1 first), descending when n is negative (search syntax, "API Filters"). */
  function searchOrder(ctx: Ctx, object: string): Array<{ field: string; descending: boolean }> {
    if (runtime.ignoreSearchOrder) return [];
    const names = new Set(store.outputFields(object));
    const order: Array<{ field: string; rank: number; descending: boolean }> = [];
    for (const [k, v] of ctx.query) {
      const field = k.startsWith('order__') ? k.slice('order__'.length) : undefined;
      const n = Number(v);
      if (field && names.has(field) && Number.isInteger(n) && n !== 0) order.push({ field, rank: Math.abs(n), descending: n < 0 });
    }
    return order.sort((a, b) => a.rank - b.rank);
  }

  function runAction(ctx: Ctx, object: string, rowId: string | undefined, name: string): never {
    const scope = name === '' ? undefined : store.actionScope(object, name);
    if (!scope) return restError(ctx, 'notFound', `Unknown action ${name} on object ${object}`);
    const global = rowId === undefined || rowId === '0' || rowId === '_';
    if (scope === 'record' && global) return restError(ctx, 'validation', `Action ${name} needs a record (row_id)`);
    if (scope === 'global' && !global) return restError(ctx, 'validation', `Action ${name} is a global action: call it without a row_id`);
    let result: string | undefined;
    if (global) result = store.globalAction(object, name, searchFilters(ctx, object));
    else {
      result = store.action(object, rowId!, name);
      if (result === undefined) return restError(ctx, 'notFound', `Record ${rowId!} of object ${object} not found`);
    }
    processed(ctx, 'action', 'actionsRun');
    return json(ctx, 200, { result });
  }

  /** {mime, content}: the content base64 unless the mime type is text. */
  function publish(ctx: Ctx, object: string, rowId: string | undefined, name: string): never {
    const publication = store.publication(object, name);
    if (!publication) return restError(ctx, 'notFound', `Unknown publication ${name} on object ${object}`);
    const global = rowId === undefined || rowId === '0' || rowId === '_';
    if (!publication.global && global) return restError(ctx, 'validation', `Publication ${name} needs a record (row_id)`);
    const rows = store.publicationRows(object, global ? undefined : rowId, searchFilters(ctx, object));
    if (!rows) return restError(ctx, 'notFound', `Record ${rowId!} of object ${object} not found`);
    const rendered = publication.render(rows);
    operations.publications++;
    const content = Buffer.isBuffer(rendered) ? rendered.toString('base64') : publication.mime.startsWith('text/') ? rendered : Buffer.from(rendered, 'utf8').toString('base64');
    return json(ctx, 200, { mime: publication.mime, content });
  }

  function search(ctx: Ctx, object: string): never {
    const def = store.def(object)!;
    if (isTrue(ctx.query.get('_metadata') ?? undefined) && runtime.serveMetadata) return json(ctx, 200, objectMetadata(def));
    if (isTrue(ctx.query.get('_doc') ?? undefined)) {
      const output = (ctx.query.get('_output') ?? '').toLowerCase();
      if (output === 'openapi') return json(ctx, 200, objectOpenApi(def, PLATFORM_VERSION));
      return send(ctx, 200, objectMarkdown(def), 'text/markdown;charset=UTF-8');
    }
    const rows = store.search(object, searchFilters(ctx, object), isTrue(ctx.query.get('_inline_documents') ?? undefined), searchOrder(ctx, object));
    const { pageSize } = runtime;
    if (isTrue(ctx.query.get('_count') ?? undefined)) {
      // [I] shape of the count answer
      if (runtime.countAnswer === 'number') return json(ctx, 200, rows.length);
      return json(ctx, 200, { count: rows.length, pagesize: pageSize, pages: Math.ceil(rows.length / pageSize) });
    }
    const rawPage = ctx.query.get('_page');
    if (rawPage !== null && rawPage !== '') {
      if (!/^\d{1,9}$/.test(rawPage)) return restError(ctx, 'validation', `Invalid page number: ${rawPage}`);
      const page = Number(rawPage);
      return json(ctx, 200, rows.slice(page * pageSize, (page + 1) * pageSize));
    }
    return json(ctx, 200, rows);
  }

  /** `action:<name>` or `publication:<name>` as a path segment (5.1+). */
  function customSegment(segment: string | undefined): { kind: 'action' | 'publication'; name: string } | undefined {
    const match = segment === undefined ? null : /^(action|publication):(.*)$/.exec(segment);
    return match ? { kind: match[1] as 'action' | 'publication', name: match[2]! } : undefined;
  }

  function handleRest(ctx: Ctx, tail: string[]): never {
    const rec = authenticate(ctx);
    let method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
    if (method === 'POST') {
      const m = (ctx.query.get('_method') ?? '').toUpperCase();
      if (m === 'PUT' || m === 'DELETE' || m === 'GET') method = m;
    }
    const [object, idSeg, extra, ...more] = tail;
    if (object === undefined) {
      if (method !== 'GET') return methodNotAllowed(ctx, 'GET');
      const u = userInfo.get(rec.login)!;
      // [I] application / session information
      if (isTrue(ctx.query.get('session') ?? undefined)) return json(ctx, 200, { sessionid: rec.sessionId, login: u.login, userid: u.userid, lang: u.lang });
      return json(ctx, 200, {
        app: { name: 'simplicite-simulator', version: PLATFORM_VERSION },
        user: { login: u.login, userid: u.userid, firstname: u.firstname, lastname: u.lastname, email: u.email, lang: u.lang },
      });
    }
    if (!store.has(object)) return restError(ctx, 'unknownObject', `Unknown object ${object}`);
    if (isForbidden(rec.login, object)) return restError(ctx, 'forbidden', `Object ${object} is not granted to user ${rec.login}`);
    if (more.length > 0) return restError(ctx, 'notFound', `Not found: ${tail.join('/')}`);

    // <Object>/action:<name> (global) and <Object>/<row_id>/action:<name>; the same for publication:<name>
    let rowId: string | undefined = idSeg;
    let custom = customSegment(idSeg);
    if (custom) {
      if (extra !== undefined) return restError(ctx, 'notFound', `Not found: ${tail.join('/')}`);
      rowId = undefined;
    } else if (extra !== undefined) {
      custom = customSegment(extra);
      if (!custom) return restError(ctx, 'notFound', `Not found: ${tail.join('/')}`);
    }
    if (!custom && method === 'GET') {
      const action = ctx.query.get('_action');
      const template = ctx.query.get('_printtemplate');
      if (action !== null) custom = { kind: 'action', name: action };
      else if (template !== null) custom = { kind: 'publication', name: template };
    }
    if (custom) {
      if (method !== 'GET' && method !== 'POST') return methodNotAllowed(ctx, 'GET, POST');
      return custom.kind === 'action' ? runAction(ctx, object, rowId, custom.name) : publish(ctx, object, rowId, custom.name);
    }

    const isNew = rowId === undefined || rowId === '0' || rowId === '_';
    const inline = isTrue(ctx.query.get('_inline_documents') ?? undefined);
    switch (method) {
      case 'GET': {
        if (rowId === undefined) return search(ctx, object);
        const row = store.get(object, rowId, inline);
        if (!row) return restError(ctx, 'notFound', `Record ${rowId} of object ${object} not found`);
        return json(ctx, 200, row);
      }
      case 'POST': {
        const values = recordValues(ctx);
        if (isNew) return writeResult(ctx, store.create(object, values), createStatus, 'create', 'recordsCreated');
        // [I] a POST on an existing row_id updates it
        const r = store.update(object, rowId!, values);
        if (!r) return restError(ctx, 'notFound', `Record ${rowId!} of object ${object} not found`);
        return writeResult(ctx, r, 200, 'update', 'recordsUpdated');
      }
      case 'PUT': {
        const values = recordValues(ctx);
        const given = isNew ? values.row_id : rowId;
        const id = typeof given === 'string' ? given : undefined;
        if (id === undefined || id === '' || id === '0') return restError(ctx, 'validation', `Update of object ${object} needs a row_id`);
        const r = store.update(object, id, values);
        if (!r) return restError(ctx, 'notFound', `Record ${id} of object ${object} not found`);
        return writeResult(ctx, r, 200, 'update', 'recordsUpdated');
      }
      case 'DELETE': {
        if (isNew) return restError(ctx, 'validation', `Delete of object ${object} needs a row_id`);
        if (!store.delete(object, rowId!)) return restError(ctx, 'notFound', `Record ${rowId!} of object ${object} not found`);
        processed(ctx, 'delete', 'recordsDeleted');
        return json(ctx, 200, { row_id: rowId });
      }
      default:
        return methodNotAllowed(ctx, 'GET, POST, PUT, DELETE');
    }
  }

  function handleApi(ctx: Ctx, tail: string[]): never {
    const [head = '', ...rest] = tail;
    if (head === 'login' && rest.length === 0) return handleLogin(ctx);
    if (head === 'logout' && rest.length === 0) return handleLogout(ctx);
    stats.apiCalls++;
    if (ctx.truncated) return apiError(ctx, 413, 'Request body too large');
    if (head === 'rest') return handleRest(ctx, rest);
    authenticate(ctx);
    return apiError(ctx, 404, `Not found: ${ctx.pathname}`);
  }

  // ---------------------------------------------------------------- health

  function handleHealth(ctx: Ctx): never {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return send(ctx, 405, undefined, undefined, { Allow: 'GET' });
    sweep();
    const now = new Date();
    const health = {
      platform: { status: 'OK', version: PLATFORM_VERSION, encoding: 'UTF-8', timezone: 'UTC', uptime: Math.floor((Date.now() - startedAt) / 1000) },
      application: { name: 'simplicite-simulator', version: '1.0', contextpath: contextPath || '/', activesessions: tokens.size, date: now.toISOString() },
      server: { info: `Node.js ${process.version}`, type: 'WEB' },
      database: { status: 'OK', vendor: 'memory' },
    };
    if ((ctx.query.get('format') ?? '').toLowerCase() === 'json') return json(ctx, 200, health);
    const lines: string[] = [];
    for (const [section, values] of Object.entries(health)) {
      lines.push(`[${section}]`);
      for (const [k, v] of Object.entries(values)) lines.push(`${k}=${String(v)}`);
    }
    return send(ctx, 200, `${lines.join('\n')}\n`, TEXT_UTF8);
  }

  // ---------------------------------------------------------------- control endpoints

  function handleSim(ctx: Ctx, name: string): never {
    switch (name) {
      case 'stats':
        if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return send(ctx, 405, undefined, undefined, { Allow: 'GET' });
        return json(ctx, 200, { ...stats });
      case 'expire':
        if (ctx.method !== 'POST') return send(ctx, 405, undefined, undefined, { Allow: 'POST' });
        expireSessions();
        return send(ctx, 204);
      case 'reset':
        if (ctx.method !== 'POST') return send(ctx, 405, undefined, undefined, { Allow: 'POST' });
        resetStats();
        resetData();
        return send(ctx, 204);
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
    const { body, truncated } = await readBody(req, MEGABYTE);
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
      if (pathname !== contextPath && !pathname.startsWith(`${contextPath}/`)) return send(ctx, 404, 'Not Found', HTML_UTF8);
      const segs = pathname
        .slice(contextPath.length)
        .split('/')
        .filter((s) => s !== '')
        .map(safeDecode);
      const [head = '', ...tail] = segs;
      if (head === 'api') return handleApi(ctx, tail);
      if (head === 'health' && tail.length === 0) return handleHealth(ctx);
      return send(ctx, 404, 'Not Found', HTML_UTF8);
    } catch (e) {
      if (e instanceof HttpDone) return;
      if (!res.headersSent) {
        const message = e instanceof Error ? e.message : String(e);
        res.writeHead(500, { 'Content-Type': JSON_UTF8 });
        res.end(JSON.stringify({ error: message, status: 500 }));
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
    dropAfterProcessing,
    bulkCreate: (object, count, make) => store.bulkCreate(object, count, make),
    configure,
    requests,
    expireSessions,
    setClockSkew: (ms) => {
      clockSkewMs = ms;
    },
    resetStats,
    resetData,
    close,
  };
}
