/**
 * API/bdm/businessData: the Restlet resources that read business data (queries, one object, a reference,
 * findByIds). Queries need p and c (CommonResource.getSearchPageNumber / getSearchPageSize).
 */
import { businessObjectJson, queryParams, type BdmClass, type BusinessObject } from './bdm';
import { isGet, json, restletError, type Ctx } from './respond';

const ILLEGAL = 'java.lang.IllegalArgumentException';
const COMMAND = 'org.bonitasoft.engine.command.CommandExecutionException';
const NOT_FOUND = 'org.bonitasoft.engine.business.data.BusinessDataNotFoundException';

export interface BdmRouteOptions {
  /** 2026.1 standard shape: a count is {"value":n}, a single result an object ({} when none) */
  standardShape: boolean;
  /** delay of a query answer (the pageDelayMs option) */
  listDelayMs: number;
}

/** p or c: mandatory and numeric, with CommonResource's messages. */
function pageParam(ctx: Ctx, name: 'p' | 'c', label: string): number {
  const raw = ctx.query.get(name);
  if (raw === null) return restletError(ctx, 400, ILLEGAL, `query parameter ${name} (${label}) is mandatory`);
  if (!/^-?\d+$/.test(raw)) return restletError(ctx, 400, ILLEGAL, `query parameter ${name} (${label}) should be a number`);
  return Number(raw);
}

/** f=name=value pairs as CommonResource.parseFilters reads them. */
function filters(ctx: Ctx): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ctx.query.getAll('f')) {
    const eq = f.indexOf('=');
    if (eq > 0) out.set(f.slice(0, eq), f.slice(eq + 1));
  }
  return out;
}

function runQuery(ctx: Ctx, fqcn: string, cls: BdmClass, options: BdmRouteOptions): never {
  const p = pageParam(ctx, 'p', 'page');
  const c = pageParam(ctx, 'c', 'count');
  const name = ctx.query.get('q');
  if (name === null) return restletError(ctx, 400, ILLEGAL, 'Parameter q is mandatory.');
  const query = cls.queries[name];
  if (!query) return restletError(ctx, 500, COMMAND, `unknown query ${name} for ${fqcn}`);
  const params = queryParams(query, filters(ctx));
  if (typeof params === 'string') return restletError(ctx, 500, COMMAND, params);
  const rows = [...cls.rows.values()];
  const selected = query.select(rows, params);
  ctx.delayMs = options.listDelayMs;
  if (query.kind === 'count') return json(ctx, 200, options.standardShape ? { value: selected.length } : [selected.length]);
  if (query.kind === 'single') {
    const found = selected[0];
    if (options.standardShape) return json(ctx, 200, found ? businessObjectJson(fqcn, found) : {});
    return json(ctx, 200, found ? [businessObjectJson(fqcn, found)] : []);
  }
  const page = selected.slice(p * c, p * c + c).map((o) => businessObjectJson(fqcn, o));
  const countQuery = query.count ? cls.queries[query.count] : undefined;
  const extra: Record<string, string> = {};
  if (countQuery) extra['Content-Range'] = `${p}-${c}/${countQuery.select(rows, params).length}`;
  return json(ctx, 200, page, extra);
}

function objectOf(ctx: Ctx, cls: BdmClass, fqcn: string, id: string): BusinessObject {
  if (!/^-?\d+$/.test(id)) return restletError(ctx, 400, ILLEGAL, `[ ${id} ] must be a number`);
  const o = cls.rows.get(Number(id));
  if (!o) return restletError(ctx, 404, NOT_FOUND, `Unable to find a business data of type ${fqcn} with persistenceId ${id}`);
  return o;
}

/** segs: what follows API/bdm/businessData/ */
export function handleBusinessData(ctx: Ctx, classes: Map<string, BdmClass>, segs: string[], options: BdmRouteOptions): never {
  if (!isGet(ctx)) return restletError(ctx, 405, 'org.restlet.resource.ResourceException', 'Method Not Allowed');
  const [fqcn = '', id, attr, ...more] = segs;
  const cls = classes.get(fqcn);
  if (!cls) return restletError(ctx, 500, COMMAND, `java.lang.ClassNotFoundException: ${fqcn}`);
  if (id === undefined) return runQuery(ctx, fqcn, cls, options);
  if (id === 'findByIds' && attr === undefined) {
    const ids = (ctx.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    if (ids.some((s) => !/^-?\d+$/.test(s))) return restletError(ctx, 400, ILLEGAL, 'ids must be numbers');
    return json(ctx, 200, ids.flatMap((s) => cls.rows.get(Number(s)) ?? []).map((o) => businessObjectJson(fqcn, o)));
  }
  const o = objectOf(ctx, cls, fqcn, id);
  if (attr === undefined) return json(ctx, 200, businessObjectJson(fqcn, o));
  const ref = o.references[attr];
  if (more.length > 0 || !ref) return restletError(ctx, 404, NOT_FOUND, `No reference ${attr} on ${fqcn}`);
  const [refFqcn, refId] = ref;
  return json(ctx, 200, businessObjectJson(refFqcn, classes.get(refFqcn)!.rows.get(refId)!));
}
