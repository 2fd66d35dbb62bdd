/**
 * Funnelback / Squiz DXP Search simulator: admin API login with the
 * X-Security-Token response header, token-only admin API (login tokens that
 * expire and die on a "server restart", non-expiring application tokens per
 * user and per client), generic admin resources, the push API (collection
 * state; documents put and deleted by key, then committed into the index),
 * the public search API /s/search.json and the bulk /s/all-results.json over
 * a seeded corpus.
 *
 * Wire behaviour follows /work/shared/notes/vendor-protocols.md section E and
 * its "Simulator checklist → Funnelback". Facts tagged [I] there are options
 * here. Node built-ins only.
 */
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { mediaType, parseForm, readBody, safeDecode } from '../http-util';
import { listenOnLoopback } from '../listen';
import { parseAuthorization } from './authorization';
import { canonicalKey, metadataHeaders, PushIndex, type PushedDocument } from './push-index';
import {
  FACETS,
  FunnelbackStore,
  matchDocs,
  parseQuery,
  rank,
  sortMode,
  type CollectionRecord,
  type DocRecord,
  type ScoredDoc,
} from './data';

export type { PushedDocument } from './push-index';

export interface FunnelbackUser {
  password: string;
  /** sec.application-token.non-expiring.create=yes (default-super-user, dxp-developer); default false */
  canCreateNonExpiring?: boolean;
  /**
   * may read the generic admin resources (search-packages, data-sources) [I];
   * default = canCreateNonExpiring (a super user)
   */
  canReadAdminResources?: boolean;
}

export interface FunnelbackSimulatorOptions {
  /** default 0 (ephemeral); the server listens on 127.0.0.1 only */
  port?: number;
  /** default { admin: { password: 'admin', canCreateNonExpiring: true }, searcher: { password: 'searcher' } } */
  users?: Record<string, FunnelbackUser>;
  /** lifetime of a login token; default 14 days */
  loginTokenLifetimeMs?: number;
  /** default Date.now; tests advance time */
  clock?: () => number;
  /** spelling of the login response header; default 'X-Security-Token' (older docs write it lower case) */
  loginHeaderCase?: 'X-Security-Token' | 'x-security-token';
  /** HTTP status of a search with a missing or unknown collection (the error node is set) [I]; default 200 */
  unknownCollectionStatus?: number;
  /** body of a successful login [I]: 'json' = {"username":...} (default), 'empty' = no body */
  loginBody?: 'json' | 'empty';
  /** body of a 401 [I]: 'json' = {"error":"Unauthorized"} (default), 'empty' = no body */
  unauthorizedBody?: 'json' | 'empty';
  /** status of a successful application token creation [I]; default 200 */
  applicationTokenCreateStatus?: number;
  /** metadata map of a search result [I]: 'listMetadata' (v16, class -> string[]; default) or 'metaData' (15.x, class -> string) */
  resultMetadataField?: 'listMetadata' | 'metaData';
  /**
   * the search API normally needs no credentials; when a request does carry
   * Basic or X-Security-Token and they are wrong, answer 401 (true, default) or
   * ignore them (false) [I]
   */
  searchRejectsBadCredentials?: boolean;
  /** state reported by the push API; default 'STOPPED' */
  pushState?: string;
  /**
   * a search without a query [I]: 'noSearch' runs nothing (resultPacket null, error null; default),
   * 'error' sets the error node MissingParameter (query), with the unknownCollectionStatus status
   */
  missingQuery?: 'noSearch' | 'error';
  /** HTTP status of an all-results.json error (unknown collection, missing parameter) [I]; default 400 */
  allResultsErrorStatus?: number;
  /** the field of a push PUT or DELETE answer that echoes the canonical key [I]; default 'key' */
  pushKeyField?: 'key' | 'canonicalUri';
  /** DELETE of a key the push data source does not hold [I]: 'ok' (200, default: a removal is queued anyway) or 'notFound' (404) */
  deleteUnknownKey?: 'ok' | 'notFound';
}

/**
 * Live counters.
 * - logins / loginFailures: outcomes of POST /admin-api/account/v1/login.
 * - unauthorized: 401 because credentials were missing or invalid (admin API,
 *   push API, search with bad credentials).
 * - apiCalls: every request under /admin-api/ (login excluded), /push-api/ and /s/ (whatever its outcome).
 */
export interface FunnelbackStats {
  logins: number;
  loginFailures: number;
  unauthorized: number;
  apiCalls: number;
}

/** Writes that really took effect, answered or not (see dropAfterProcessing). */
export interface FunnelbackOperations {
  /** push PUTs stored (queued until a commit) */
  documentsPushed: number;
  /** push DELETEs queued */
  documentsDeleted: number;
  /** push commits */
  commits: number;
  applicationTokensCreated: number;
  applicationTokensRevoked: number;
}

/** The write a dropAfterProcessing fault hits. */
export type FunnelbackFaultKind = 'pushDocument' | 'deleteDocument' | 'commit' | 'createApplicationToken';
const FAULT_KINDS: FunnelbackFaultKind[] = ['pushDocument', 'deleteDocument', 'commit', 'createApplicationToken'];

export interface FunnelbackRequestRecord {
  method: string;
  /** URL path without the query string */
  path: string;
  /** raw request target (path and query string) */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FunnelbackSimulator {
  /** server base, e.g. http://127.0.0.1:41234 (admin API at /admin-api, search at /s) */
  url: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  stats: FunnelbackStats;
  /** side effects; reset by resetStats() */
  operations: FunnelbackOperations;
  /** every document a push PUT stored (answered or not), in order; emptied by resetData() */
  pushedDocuments: readonly PushedDocument[];
  /** changes queued on a push data source and not committed yet */
  pendingChanges(collection: string): number;
  /** the next `kind` write is done, then its socket destroyed without an answer (once per call; they add up) */
  dropAfterProcessing(kind: FunnelbackFaultKind): void;
  /** a "server restart": every login token is invalid now; application tokens survive */
  expireSessions(): void;
  resetStats(): void;
  /** put the seed data back (corpus, collections, no pushed documents) and drop every application token and armed fault; login tokens are kept */
  resetData(): void;
  /** every request seen (except /_sim control calls), the last 1000 */
  requests: FunnelbackRequestRecord[];
  close(): Promise<void>;
}

interface LoginToken {
  token: string;
  userName: string;
  created: number;
  expires: number;
  rememberMe: boolean;
}

interface ApplicationToken {
  name: string;
  token: string;
  /** the user who created it (its permissions are shared) */
  createdBy: string;
  /** set for a client (DXP) token */
  clientId?: string;
  /** DXP client tokens carry a username and password value */
  username?: string;
  password?: string;
  created: number;
}

interface Principal {
  userName: string;
  via: 'login-token' | 'application-token' | 'basic';
  canCreateNonExpiring: boolean;
  canReadAdminResources: boolean;
}

interface Ctx {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  method: string;
  pathname: string;
  query: URLSearchParams;
  body: Buffer;
  truncated: boolean;
  /** the request was processed: destroy the socket instead of answering (an armed dropAfterProcessing fault) */
  drop?: boolean;
}

const JSON_UTF8 = 'application/json;charset=UTF-8';
const TEXT_UTF8 = 'text/plain;charset=UTF-8';
const MEGABYTE = 1048576;
const DAY = 24 * 60 * 60 * 1000;
const NAME_RE = /^[A-Za-z0-9._~-]{1,128}$/;

class HttpDone extends Error {}

const DEFAULT_USERS: Record<string, FunnelbackUser> = {
  admin: { password: 'admin', canCreateNonExpiring: true },
  searcher: { password: 'searcher' },
};

export async function startFunnelbackSimulator(options: FunnelbackSimulatorOptions = {}): Promise<FunnelbackSimulator> {
  const users: Record<string, FunnelbackUser> = {};
  for (const [k, v] of Object.entries(options.users ?? DEFAULT_USERS)) users[k] = { ...v };
  const lifetime = options.loginTokenLifetimeMs ?? 14 * DAY;
  const clock = options.clock ?? Date.now;
  const loginHeader = options.loginHeaderCase ?? 'X-Security-Token';
  const unknownCollectionStatus = options.unknownCollectionStatus ?? 200;
  const loginBody = options.loginBody ?? 'json';
  const unauthorizedBody = options.unauthorizedBody ?? 'json';
  const createStatus = options.applicationTokenCreateStatus ?? 200;
  const metadataField = options.resultMetadataField ?? 'listMetadata';
  const searchRejectsBadCredentials = options.searchRejectsBadCredentials ?? true;
  const pushState = options.pushState ?? 'STOPPED';
  const missingQuery = options.missingQuery ?? 'noSearch';
  const allResultsErrorStatus = options.allResultsErrorStatus ?? 400;
  const pushKeyField = options.pushKeyField ?? 'key';
  const deleteUnknownKey = options.deleteUnknownKey ?? 'ok';

  const store = new FunnelbackStore();
  const push = new PushIndex(store);
  const faults = new Map<FunnelbackFaultKind, number>();
  const loginTokens = new Map<string, LoginToken>();
  const appTokens = new Map<string, ApplicationToken>();
  const stats: FunnelbackStats = { logins: 0, loginFailures: 0, unauthorized: 0, apiCalls: 0 };
  const operations: FunnelbackOperations = { documentsPushed: 0, documentsDeleted: 0, commits: 0, applicationTokensCreated: 0, applicationTokensRevoked: 0 };
  const requests: FunnelbackRequestRecord[] = [];

  const resetStats = (): void => {
    stats.logins = 0;
    stats.loginFailures = 0;
    stats.unauthorized = 0;
    stats.apiCalls = 0;
    for (const key of Object.keys(operations) as Array<keyof FunnelbackOperations>) operations[key] = 0;
  };
  const expireSessions = (): void => loginTokens.clear();
  const resetData = (): void => {
    store.reseed();
    push.reset();
    appTokens.clear();
    faults.clear();
  };
  const dropAfterProcessing = (kind: FunnelbackFaultKind): void => {
    faults.set(kind, (faults.get(kind) ?? 0) + 1);
  };
  /** The write took effect: an armed fault for it turns the answer into a destroyed socket. */
  function processed(ctx: Ctx, kind: FunnelbackFaultKind): void {
    const armed = faults.get(kind) ?? 0;
    if (armed === 0) return;
    if (armed === 1) faults.delete(kind);
    else faults.set(kind, armed - 1);
    ctx.drop = true;
  }

  const hasUser = (name: string): boolean => Object.prototype.hasOwnProperty.call(users, name);
  const newSecret = (): string => randomBytes(32).toString('base64url');

  // ---------------------------------------------------------------- responses

  function send(ctx: Ctx, status: number, body?: string, contentType?: string, extra?: Record<string, string>): never {
    const { res } = ctx;
    if (ctx.drop) {
      ctx.req.socket.destroy();
      throw new HttpDone();
    }
    if (!res.headersSent) {
      if (extra) for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
      const buf = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
      if (contentType) res.setHeader('Content-Type', contentType);
      if (status !== 204 && status !== 304) res.setHeader('Content-Length', String(buf.length));
      res.writeHead(status);
      res.end(ctx.method === 'HEAD' || status === 204 || status === 304 ? undefined : buf);
    }
    throw new HttpDone();
  }
  const json = (ctx: Ctx, status: number, value: unknown, extra?: Record<string, string>): never =>
    send(ctx, status, JSON.stringify(value), JSON_UTF8, extra);
  const errorJson = (ctx: Ctx, status: number, error: string, message?: string, extra?: Record<string, string>): never =>
    json(ctx, status, message === undefined ? { error } : { error, message }, extra);
  function unauthorized(ctx: Ctx): never {
    stats.unauthorized++;
    if (unauthorizedBody === 'empty') return send(ctx, 401);
    return json(ctx, 401, { error: 'Unauthorized' });
  }
  const forbidden = (ctx: Ctx, message: string): never => errorJson(ctx, 403, 'Forbidden', message);
  const notFound = (ctx: Ctx, message?: string): never => errorJson(ctx, 404, 'Not Found', message);
  const methodNotAllowed = (ctx: Ctx, allow: string): never =>
    errorJson(ctx, 405, 'Method Not Allowed', `Request method '${ctx.method}' is not supported`, { Allow: allow });

  // ---------------------------------------------------------------- credentials

  function principalFor(userName: string, via: Principal['via']): Principal | undefined {
    if (!hasUser(userName)) return undefined;
    const u = users[userName]!;
    const canCreate = u.canCreateNonExpiring === true;
    return { userName, via, canCreateNonExpiring: canCreate, canReadAdminResources: u.canReadAdminResources ?? canCreate };
  }

  function securityToken(ctx: Ctx): string | undefined {
    const values = ctx.req.headersDistinct['x-security-token'];
    if (values === undefined || values.length === 0) return undefined;
    return values[0]!.trim();
  }

  /** A valid login or application token -> its principal; anything else -> undefined. */
  function principalFromToken(token: string | undefined): Principal | undefined {
    if (token === undefined || token === '') return undefined;
    const login = loginTokens.get(token);
    if (login) {
      if (clock() >= login.expires) {
        loginTokens.delete(token);
        return undefined;
      }
      return principalFor(login.userName, 'login-token');
    }
    const app = appTokens.get(token);
    if (app) return principalFor(app.createdBy, 'application-token');
    return undefined;
  }

  /** Basic credentials: a user's password, or a DXP client application token's username and password. */
  function principalFromBasic(ctx: Ctx): { present: boolean; principal?: Principal } {
    const auth = parseAuthorization(ctx.req.headers.authorization);
    if (auth === undefined || auth.scheme !== 'basic') return { present: false };
    const basic = auth.basic;
    if (!basic) return { present: true };
    if (hasUser(basic.username) && users[basic.username]!.password === basic.password) {
      return { present: true, principal: principalFor(basic.username, 'basic') };
    }
    for (const app of appTokens.values()) {
      if (app.username !== undefined && app.username === basic.username && app.password === basic.password) {
        return { present: true, principal: principalFor(app.createdBy, 'basic') };
      }
    }
    return { present: true };
  }

  function sweepLoginTokens(): void {
    const now = clock();
    for (const [k, t] of loginTokens) if (now >= t.expires) loginTokens.delete(k);
  }

  // ---------------------------------------------------------------- login

  /** Servlet getParameter semantics: query string first, then a form body (POST only). */
  function params(ctx: Ctx): Map<string, string[]> {
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

  function handleLogin(ctx: Ctx): never {
    if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
    const p = params(ctx);
    // form fields win over URL parameters when both are present (the body is the documented way)
    const pick = (k: string): string | undefined => {
      const list = p.get(k);
      return list && list.length > 0 ? list[list.length - 1] : undefined;
    };
    const userName = pick('username');
    const password = pick('password');
    const ok = userName !== undefined && userName !== '' && hasUser(userName) && users[userName]!.password === password;
    if (!ok) {
      stats.loginFailures++;
      if (unauthorizedBody === 'empty') return send(ctx, 401);
      return json(ctx, 401, { error: 'Unauthorized' });
    }
    stats.logins++;
    if (loginTokens.size > 500) sweepLoginTokens();
    const now = clock();
    const t: LoginToken = {
      token: newSecret(),
      userName,
      created: now,
      expires: now + lifetime,
      rememberMe: (pick('remember-me') ?? '').toLowerCase() === 'true',
    };
    loginTokens.set(t.token, t);
    const extra = { [loginHeader]: t.token };
    if (loginBody === 'empty') return send(ctx, 200, undefined, undefined, extra);
    return json(ctx, 200, { username: userName }, extra);
  }

  // ---------------------------------------------------------------- application tokens

  function userTokenView(t: ApplicationToken): Record<string, unknown> {
    return { name: t.name, username: t.createdBy, created: new Date(t.created).toISOString() };
  }
  function clientTokenView(t: ApplicationToken): Record<string, unknown> {
    return { name: t.name, clientId: t.clientId, createdBy: t.createdBy, created: new Date(t.created).toISOString() };
  }

  function findUserToken(userName: string, name: string): ApplicationToken | undefined {
    for (const t of appTokens.values()) if (t.clientId === undefined && t.createdBy === userName && t.name === name) return t;
    return undefined;
  }
  function findClientToken(clientId: string, name: string): ApplicationToken | undefined {
    for (const t of appTokens.values()) if (t.clientId === clientId && t.name === name) return t;
    return undefined;
  }

  function checkName(ctx: Ctx, name: string): void {
    if (!NAME_RE.test(name)) return errorJson(ctx, 400, 'Bad Request', `Invalid application token name: ${name}`);
  }

  /** /admin-api/application-tokens/v1/... */
  function handleApplicationTokens(ctx: Ctx, who: Principal, rest: string[]): never {
    const [a, b, c, d, ...more] = rest;
    // per-user (15.x): application-token[s] and application-token/<name>
    if ((a === 'application-tokens' || a === 'application-token') && b === undefined) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
      const mine = [...appTokens.values()].filter((t) => t.clientId === undefined && t.createdBy === who.userName);
      return json(ctx, 200, mine.sort((x, y) => x.name.localeCompare(y.name)).map(userTokenView));
    }
    if (a === 'application-token' && b !== undefined && c === undefined) {
      checkName(ctx, b);
      if (ctx.method === 'PUT') {
        if (!who.canCreateNonExpiring) return forbidden(ctx, 'Missing permission sec.application-token.non-expiring.create');
        const old = findUserToken(who.userName, b);
        if (old) appTokens.delete(old.token);
        const t: ApplicationToken = { name: b, token: newSecret(), createdBy: who.userName, created: clock() };
        appTokens.set(t.token, t);
        operations.applicationTokensCreated++;
        processed(ctx, 'createApplicationToken');
        return json(ctx, createStatus, { ...userTokenView(t), token: t.token });
      }
      if (ctx.method === 'DELETE') {
        const t = findUserToken(who.userName, b);
        if (!t) return notFound(ctx, `No application token named ${b}`);
        appTokens.delete(t.token);
        operations.applicationTokensRevoked++;
        return send(ctx, 204);
      }
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        const t = findUserToken(who.userName, b);
        if (!t) return notFound(ctx, `No application token named ${b}`);
        return json(ctx, 200, userTokenView(t));
      }
      return methodNotAllowed(ctx, 'GET, PUT, DELETE');
    }
    // client (v16 / DXP): clients/<client id>/application-token[s][/<name>]
    if (a === 'clients' && b !== undefined && (c === 'application-token' || c === 'application-tokens') && more.length === 0) {
      if (!who.canCreateNonExpiring) return forbidden(ctx, 'Missing permission sec.application-token.non-expiring.create');
      if (!store.clients().has(b)) return notFound(ctx, `Unknown client ${b}`);
      if (d === undefined) {
        if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
        const list = [...appTokens.values()].filter((t) => t.clientId === b);
        return json(ctx, 200, list.sort((x, y) => x.name.localeCompare(y.name)).map(clientTokenView));
      }
      if (c !== 'application-token') return notFound(ctx);
      checkName(ctx, d);
      if (ctx.method === 'PUT') {
        const old = findClientToken(b, d);
        if (old) appTokens.delete(old.token);
        const t: ApplicationToken = {
          name: d,
          token: newSecret(),
          createdBy: who.userName,
          clientId: b,
          username: `${b}-${d}-${randomBytes(3).toString('hex')}`,
          password: randomBytes(18).toString('base64url'),
          created: clock(),
        };
        appTokens.set(t.token, t);
        operations.applicationTokensCreated++;
        processed(ctx, 'createApplicationToken');
        return json(ctx, createStatus, { ...clientTokenView(t), token: t.token, username: t.username, password: t.password });
      }
      if (ctx.method === 'DELETE') {
        const t = findClientToken(b, d);
        if (!t) return notFound(ctx, `No application token named ${d} for client ${b}`);
        appTokens.delete(t.token);
        operations.applicationTokensRevoked++;
        return send(ctx, 204);
      }
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        const t = findClientToken(b, d);
        if (!t) return notFound(ctx, `No application token named ${d} for client ${b}`);
        return json(ctx, 200, clientTokenView(t));
      }
      return methodNotAllowed(ctx, 'GET, PUT, DELETE');
    }
    return notFound(ctx);
  }

  // ---------------------------------------------------------------- generic admin resources

  function collectionView(c: CollectionRecord): Record<string, unknown> {
    const out: Record<string, unknown> = { id: c.id, clientId: c.client ?? null, name: c.name, type: c.type };
    if (c.kind !== 'data-source') out.dataSources = [...c.dataSources];
    out.lastUpdated = new Date(c.updated).toISOString();
    return out;
  }

  function handleListing(ctx: Ctx, who: Principal, list: CollectionRecord[], id: string | undefined, extra: string[]): never {
    if (extra.length > 0) return notFound(ctx);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
    if (!who.canReadAdminResources) return forbidden(ctx, `User ${who.userName} may not read this resource`);
    if (id === undefined) return json(ctx, 200, list.map(collectionView));
    const found = list.find((c) => c.id === id);
    if (!found) return notFound(ctx, `Unknown id ${id}`);
    return json(ctx, 200, collectionView(found));
  }

  function handleAdmin(ctx: Ctx, segs: string[]): never {
    const [area = '', version = '', ...rest] = segs;
    if (area === 'account' && version === 'v1' && rest.length === 1 && rest[0] === 'login') return handleLogin(ctx);
    stats.apiCalls++;
    // Token authentication only: Basic is never looked at here.
    const who = principalFromToken(securityToken(ctx));
    if (!who) return unauthorized(ctx);
    if (area === 'application-tokens' && version === 'v1') return handleApplicationTokens(ctx, who, rest);
    if (area === 'search-packages' && version === 'v1') return handleListing(ctx, who, store.searchPackages(), rest[0], rest.slice(1));
    if (area === 'data-sources' && version === 'v1') return handleListing(ctx, who, store.dataSources(), rest[0], rest.slice(1));
    return notFound(ctx);
  }

  // ---------------------------------------------------------------- push API

  function handlePush(ctx: Ctx, segs: string[]): never {
    stats.apiCalls++;
    const token = securityToken(ctx);
    const viaToken = principalFromToken(token);
    const viaBasic = viaToken ? undefined : principalFromBasic(ctx).principal;
    if (!viaToken && !viaBasic) return unauthorized(ctx);
    const [version, coll, id, leaf, ...more] = segs;
    if ((version !== 'v1' && version !== 'v2') || coll !== 'collections' || id === undefined || more.length > 0) return notFound(ctx);
    // [I] the push API knows push data sources only: another collection is as unknown as a missing one
    if (!push.isPushCollection(id)) return notFound(ctx, `Collection ${id} does not exist or is not a push collection`);
    if (leaf === 'state') {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET');
      return json(ctx, 200, { state: pushState });
    }
    if (leaf === 'documents') return handlePushDocument(ctx, id);
    if (leaf === 'commit') {
      if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
      push.commit(id, clock());
      operations.commits++;
      processed(ctx, 'commit');
      return json(ctx, 200, {});
    }
    return notFound(ctx);
  }

  /** PUT or DELETE …/documents?key=<URI>: an upsert or a removal by the canonical key, queued until a commit. */
  function handlePushDocument(ctx: Ctx, collection: string): never {
    if (ctx.method !== 'PUT' && ctx.method !== 'DELETE') return methodNotAllowed(ctx, 'PUT, DELETE');
    const given = ctx.query.get('key');
    if (given === null || given === '') return errorJson(ctx, 400, 'Bad Request', 'The key parameter is required');
    const key = canonicalKey(given);
    if (key === undefined) return errorJson(ctx, 400, 'Bad Request', `The key ${given} is not a valid URI with a scheme`);
    if (ctx.method === 'DELETE') {
      if (deleteUnknownKey === 'notFound' && !push.has(collection, key)) return notFound(ctx, `No document with the key ${key}`);
      push.delete(collection, key);
      operations.documentsDeleted++;
      processed(ctx, 'deleteDocument');
      return json(ctx, 200, { [pushKeyField]: key });
    }
    const contentType = ctx.req.headers['content-type'];
    if (!contentType) return errorJson(ctx, 415, 'Unsupported Media Type', 'The document needs a Content-Type');
    push.put({ collection, key, contentType, content: ctx.body, metadata: metadataHeaders(ctx.req.headers) }, clock());
    operations.documentsPushed++;
    processed(ctx, 'pushDocument');
    return json(ctx, 200, { [pushKeyField]: key });
  }

  // ---------------------------------------------------------------- search API

  function inputParameters(ctx: Ctx): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, v] of ctx.query) (out[k] ??= []).push(v);
    return out;
  }

  function positiveInt(value: string | null, fallback: number): number {
    if (value === null || !/^\s*\d+\s*$/.test(value)) return fallback;
    const n = Number(value);
    return Number.isSafeInteger(n) && n >= 1 ? n : fallback;
  }

  function displayUrl(url: string): string {
    return url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  }

  function metadataOf(doc: DocRecord): Record<string, unknown> {
    if (metadataField === 'metaData') {
      const out: Record<string, string> = {};
      for (const [k, vs] of Object.entries(doc.metadata)) out[k] = vs.join('|');
      return out;
    }
    const out: Record<string, string[]> = {};
    for (const [k, vs] of Object.entries(doc.metadata)) out[k] = [...vs];
    return out;
  }

  /** f.<Facet name>|<metadata class>=value parameters. */
  function selectedFacetValues(ctx: Ctx): Map<string, { name: string; metadataClass: string; param: string; values: string[] }> {
    const out = new Map<string, { name: string; metadataClass: string; param: string; values: string[] }>();
    for (const [k, v] of ctx.query) {
      if (!k.startsWith('f.') || v === '') continue;
      const bar = k.indexOf('|');
      if (bar < 0) continue;
      const name = k.slice(2, bar);
      const metadataClass = k.slice(bar + 1);
      const facet = FACETS.find((f) => f.name === name && f.metadataClass === metadataClass);
      if (!facet) continue;
      const entry = out.get(name) ?? { name, metadataClass, param: k, values: [] };
      entry.values.push(v);
      out.set(name, entry);
    }
    return out;
  }

  function toggleUrl(ctx: Ctx, param: string, value: string, selected: boolean): string {
    const q = new URLSearchParams(ctx.query);
    q.delete('start_rank');
    if (selected) {
      const keep = q.getAll(param).filter((v) => v !== value);
      q.delete(param);
      for (const v of keep) q.append(param, v);
    } else {
      q.append(param, value);
    }
    return `?${q.toString()}`;
  }

  /** Credentials are not needed on the search API, but wrong ones are refused (searchRejectsBadCredentials). */
  function checkSearchCredentials(ctx: Ctx): void {
    if (!searchRejectsBadCredentials) return;
    const token = securityToken(ctx);
    if (token !== undefined && !principalFromToken(token)) return unauthorized(ctx);
    const basic = principalFromBasic(ctx);
    if (basic.present && !basic.principal) return unauthorized(ctx);
  }

  /** The error node for a missing or unknown collection; undefined when the collection is known. */
  function collectionError(collectionId: string | null): { reason: string; additionalData: string } | undefined {
    if (collectionId === null || collectionId === '') return { reason: 'MissingParameter', additionalData: 'collection' };
    if (!store.collections.has(collectionId)) return { reason: 'InvalidCollection', additionalData: collectionId };
    return undefined;
  }

  /** The matching documents in the sort order, facet selections applied. */
  function rankedMatches(ctx: Ctx, collection: CollectionRecord, queryText: string): ScoredDoc[] {
    let matched = matchDocs(store.docsOf(collection), parseQuery(queryText));
    for (const sel of selectedFacetValues(ctx).values()) {
      const wanted = new Set(sel.values.map((v) => v.toLowerCase()));
      matched = matched.filter((m) => (m.doc.metadata[sel.metadataClass] ?? []).some((v) => wanted.has(v.toLowerCase())));
    }
    return rank(matched, sortMode(ctx.query.get('sort')));
  }

  function resultRecord(m: ScoredDoc, rankNumber: number, maxRaw: number): Record<string, unknown> {
    return {
      rank: rankNumber,
      score: maxRaw > 0 ? Math.max(1, Math.round((m.raw / maxRaw) * 1000)) : 0,
      title: m.doc.title,
      collection: m.doc.dataSource,
      component: 0,
      liveUrl: m.doc.url,
      displayUrl: displayUrl(m.doc.url),
      indexUrl: m.doc.url,
      summary: m.doc.summary,
      date: m.doc.date,
      fileType: m.doc.fileType,
      fileSize: m.doc.fileSize,
      [metadataField]: metadataOf(m.doc),
    };
  }

  /** Facets over every match (selected values included), each value with the URL that toggles it (vendor notes 6). */
  function facetsOf(ctx: Ctx, ranked: ScoredDoc[]): Array<Record<string, unknown>> {
    const selected = selectedFacetValues(ctx);
    return FACETS.map((f) => {
      const counts = new Map<string, number>();
      for (const m of ranked) for (const v of m.doc.metadata[f.metadataClass] ?? []) counts.set(v, (counts.get(v) ?? 0) + 1);
      const param = `f.${f.name}|${f.metadataClass}`;
      const sel = selected.get(f.name);
      const allValues = [...counts]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .map(([label, count]) => {
          const isSelected = sel?.values.some((v) => v.toLowerCase() === label.toLowerCase()) ?? false;
          // no queryStringParamName / queryStringParamValue: search.json leaves them out (@JsonIgnore)
          return { label, count, data: label, constraint: f.metadataClass, selected: isSelected, toggleUrl: toggleUrl(ctx, param, label, isSelected) };
        });
      const unselectAll = new URLSearchParams(ctx.query);
      unselectAll.delete(param);
      unselectAll.delete('start_rank');
      return {
        name: f.name,
        selectionType: 'MULTIPLE',
        constraintJoin: 'OR',
        unselectAllUrl: `?${unselectAll.toString()}`,
        selectedValues: allValues.filter((v) => v.selected),
        allValues,
      };
    });
  }

  function handleSearch(ctx: Ctx): never {
    stats.apiCalls++;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return send(ctx, 405, 'Method Not Allowed', TEXT_UTF8, { Allow: 'GET' });
    checkSearchCredentials(ctx);
    const collectionId = ctx.query.get('collection');
    const queryText = ctx.query.get('query');
    const profile = ctx.query.get('profile') || '_default';
    const question: Record<string, unknown> = {
      originalQuery: queryText,
      query: queryText,
      collection: null,
      profile,
      form: ctx.query.get('form') || 'simple',
      inputParameters: inputParameters(ctx),
      selectedFacets: [...selectedFacetValues(ctx).keys()],
    };
    const failed = (error: Record<string, unknown>): never => json(ctx, unknownCollectionStatus, { question, response: { resultPacket: null, facets: [] }, error });
    const error = collectionError(collectionId);
    if (error) return failed(error);
    const collection = store.collections.get(collectionId!)!;
    question.collection = { id: collection.id, type: collection.type };
    if (queryText === null || queryText.trim() === '') {
      if (missingQuery === 'error') return failed({ reason: 'MissingParameter', additionalData: 'query' });
      // no query: nothing is run (use !nullquery to list everything)
      return json(ctx, 200, { question, response: { resultPacket: null, facets: [] }, error: null });
    }

    const ranked = rankedMatches(ctx, collection, queryText);
    const numRanks = positiveInt(ctx.query.get('num_ranks'), 10);
    const startRank = positiveInt(ctx.query.get('start_rank'), 1);
    const page = ranked.slice(startRank - 1, startRank - 1 + numRanks);
    const maxRaw = Math.max(0, ...ranked.map((m) => m.raw));
    const total = ranked.length;
    const fully = ranked.filter((m) => m.full).length;
    const currStart = page.length > 0 ? startRank : 0;
    const currEnd = page.length > 0 ? startRank + page.length - 1 : 0;
    const resultsSummary = {
      totalMatching: total,
      fullyMatching: fully,
      partiallyMatching: total - fully,
      collapsed: 0,
      numRanks,
      currStart,
      currEnd,
      prevStart: startRank > 1 && total > 0 ? Math.max(1, startRank - numRanks) : null,
      nextStart: startRank - 1 + numRanks < total ? startRank + numRanks : null,
      estimatedCounts: false,
    };
    const resultPacket = {
      query: queryText,
      queryAsProcessed: parseQuery(queryText).processed,
      collection: collection.id,
      resultsSummary,
      results: page.map((m, i) => resultRecord(m, startRank + i, maxRaw)),
      details: { collectionUpdated: collection.updated, collectionSize: `${store.docsOf(collection).length} documents` },
      spell: null,
      QSups: [],
      bestBets: [],
    };
    return json(ctx, 200, { question, response: { resultPacket, facets: facetsOf(ctx, ranked) }, error: null });
  }

  /**
   * GET /s/all-results.json: every match at once, result records only (no summary, no facets); `fields`
   * (comma-separated [I]) keeps only the named result fields. Errors answer allResultsErrorStatus with the error node.
   */
  function handleAllResults(ctx: Ctx): never {
    stats.apiCalls++;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return send(ctx, 405, 'Method Not Allowed', TEXT_UTF8, { Allow: 'GET' });
    checkSearchCredentials(ctx);
    const collectionId = ctx.query.get('collection');
    const queryText = ctx.query.get('query');
    const error = collectionError(collectionId) ?? (queryText === null || queryText.trim() === '' ? { reason: 'MissingParameter', additionalData: 'query' } : undefined);
    if (error) return json(ctx, allResultsErrorStatus, { error });
    const ranked = rankedMatches(ctx, store.collections.get(collectionId!)!, queryText!);
    const maxRaw = Math.max(0, ...ranked.map((m) => m.raw));
    const fields = (ctx.query.get('fields') ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    const records = ranked.map((m, i) => {
      const record = resultRecord(m, i + 1, maxRaw);
      return fields.length === 0 ? record : Object.fromEntries(fields.filter((f) => f in record).map((f) => [f, record[f]]));
    });
    return json(ctx, 200, records);
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
      case 'drop': {
        if (ctx.method !== 'POST') return send(ctx, 405, undefined, undefined, { Allow: 'POST' });
        const kind = ctx.query.get('kind') as FunnelbackFaultKind | null;
        if (kind === null || !FAULT_KINDS.includes(kind)) return send(ctx, 400, `kind must be one of ${FAULT_KINDS.join(', ')}`, TEXT_UTF8);
        dropAfterProcessing(kind);
        return send(ctx, 204);
      }
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
    const ctx: Ctx = { req, res, method, pathname, query: new URLSearchParams(qi < 0 ? '' : rawUrl.slice(qi + 1)), body, truncated };
    try {
      if (isSim) return handleSim(ctx, pathname.slice('/_sim/'.length));
      if (truncated) return errorJson(ctx, 413, 'Payload Too Large');
      const segs = pathname
        .split('/')
        .filter((s) => s !== '')
        .map(safeDecode);
      const [head = '', ...tail] = segs;
      if (head === 'admin-api') return handleAdmin(ctx, tail);
      if (head === 'push-api') return handlePush(ctx, tail);
      if (head === 's') {
        if (tail.length === 1 && tail[0] === 'search.json') return handleSearch(ctx);
        if (tail.length === 1 && tail[0] === 'all-results.json') return handleAllResults(ctx);
        stats.apiCalls++;
        return send(ctx, 404, 'Not Found', TEXT_UTF8);
      }
      return send(ctx, 404, 'Not Found', TEXT_UTF8);
    } catch (e) {
      if (e instanceof HttpDone) return;
      if (!res.headersSent) {
        const message = e instanceof Error ? e.message : String(e);
        res.writeHead(500, { 'Content-Type': JSON_UTF8 });
        res.end(JSON.stringify({ error: 'Internal Server Error', message }));
      } else {
        res.destroy();
      }
    }
  }

  const { origin, close } = await listenOnLoopback(handle, options.port);
  return {
    url: origin,
    origin,
    stats,
    operations,
    pushedDocuments: push.received,
    pendingChanges: (collection) => push.pendingCount(collection),
    dropAfterProcessing,
    requests,
    expireSessions,
    resetStats,
    resetData,
    close,
  };
}
