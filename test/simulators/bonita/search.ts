/**
 * Toolkit searches (APIServletCall): p, c, repeatable f, s, o, d and n; a JSON array with
 * `Content-Range: p-c/total` (vendor-protocols.md A.6).
 */
import type { Item } from './data';
import { json, toolkitError, type Ctx } from './respond';

/** A filter predicate also sees every filter of the call (Bonita picks its engine search from them). */
export type FilterPredicate = (item: Item, value: string, filters: Map<string, string>) => boolean;

export interface SearchSpec {
  api: string;
  resource: string;
  /** filter name -> predicate; null = accepted and ignored */
  filters: Record<string, FilterPredicate | null>;
  searchText: (item: Item) => string[];
  deploy?: Record<string, (value: string) => unknown>;
  counters?: Record<string, (item: Item) => string>;
  /** sort keys for attributes whose string order is not Bonita's (priority is an enum) */
  sortKeys?: Record<string, (item: Item) => number>;
}

export const eqFilter =
  (attr: string): FilterPredicate =>
  (it, v) =>
    (it[attr] ?? '') === v;

function intParam(ctx: Ctx, name: string, def: number, spec: SearchSpec): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return def;
  if (!/^-?\d+$/.test(raw) || Math.abs(Number(raw)) > 2147483647) {
    return toolkitError(ctx, 500, 'java.lang.NumberFormatException', `For input string: "${raw}"`, spec.api, spec.resource);
  }
  return Number(raw);
}

/** An item with its d= (deploy) and n= (counter) extras. */
export function output(item: Item, spec: SearchSpec, ctx: Ctx): Record<string, unknown> {
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

function compare(x: string, y: string): number {
  if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) {
    const bx = BigInt(x);
    const by = BigInt(y);
    return bx < by ? -1 : bx > by ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

export function search(ctx: Ctx, items: Item[], spec: SearchSpec): never {
  const p = intParam(ctx, 'p', 0, spec);
  const c = intParam(ctx, 'c', 10, spec);
  const filters = new Map<string, string>();
  for (const f of ctx.query.getAll('f')) {
    const eq = f.indexOf('=');
    if (eq < 0) return toolkitError(ctx, 500, 'APIMalformedUrlException', `Malformed filter: ${f}`, spec.api, spec.resource);
    const name = f.slice(0, eq);
    if (!(name in spec.filters)) {
      return toolkitError(ctx, 500, 'java.lang.RuntimeException', `Can't find search descriptor corresponding to ${name}`, spec.api, spec.resource);
    }
    filters.set(name, f.slice(eq + 1));
  }
  let rows = items;
  for (const [name, value] of filters) {
    const pred = spec.filters[name];
    if (pred) rows = rows.filter((it) => pred(it, value, filters));
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
    const key = spec.sortKeys?.[attr];
    const sample = items[0];
    if (!key && sample !== undefined && !(attr in sample)) {
      return toolkitError(ctx, 500, 'java.lang.RuntimeException', `Can't find search descriptor corresponding to ${attr}`, spec.api, spec.resource);
    }
    rows = [...rows].sort((a, b) => {
      const r = key ? key(a) - key(b) : compare(a[attr] ?? '', b[attr] ?? '');
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
