/**
 * The push API's transactional model for the simulator: PUT and DELETE by key queue changes on a
 * push data source (collection type push2); a commit applies them to the searchable documents.
 * Notes: vendor-operations.md 4.2 (keys are URIs with a scheme, canonicalised: a '/' for an empty
 * path, no fragment, dot segments flattened; the canonical key is echoed).
 */
import type { DocRecord, FunnelbackStore } from './data';

/** A document as the push API received it (every PUT that took effect, answered or not). */
export interface PushedDocument {
  collection: string;
  /** the canonical key */
  key: string;
  /** the Content-Type header as sent */
  contentType: string;
  content: Buffer;
  /** X-Funnelback-Push-Meta-Data-<field> headers: field (lower case, as HTTP headers are) -> value as sent */
  metadata: Record<string, string>;
}

type Change = { kind: 'put'; document: PushedDocument; at: number } | { kind: 'delete'; key: string };

const METADATA_HEADER = 'x-funnelback-push-meta-data-';

/** The canonical form of a key, or undefined when it is no URI with a scheme. */
export function canonicalKey(key: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(key)) return undefined;
  let url: URL;
  try {
    url = new URL(key);
  } catch {
    return undefined;
  }
  url.hash = '';
  return url.href;
}

/** The metadata headers of a request. */
export function metadataHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith(METADATA_HEADER) || value === undefined) continue;
    out[name.slice(METADATA_HEADER.length)] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class PushIndex {
  private readonly pending = new Map<string, Change[]>();
  readonly received: PushedDocument[] = [];

  constructor(private readonly store: FunnelbackStore) {}

  /** Whether the push API serves this collection: a known data source of type push2. */
  isPushCollection(id: string): boolean {
    return this.store.collections.get(id)?.type === 'push2';
  }

  /** Whether a committed document has this key. */
  has(collection: string, key: string): boolean {
    return this.store.docs.some((doc) => doc.dataSource === collection && doc.url === key);
  }

  put(document: PushedDocument, at: number): void {
    this.received.push(document);
    this.queue(document.collection, { kind: 'put', document, at });
  }

  delete(collection: string, key: string): void {
    this.queue(collection, { kind: 'delete', key });
  }

  /** Applies the queued changes: they become searchable. Returns how many there were. */
  commit(collection: string, at: number): number {
    const changes = this.pending.get(collection) ?? [];
    this.pending.delete(collection);
    for (const change of changes) {
      const key = change.kind === 'put' ? change.document.key : change.key;
      this.store.docs = this.store.docs.filter((doc) => !(doc.dataSource === collection && doc.url === key));
      if (change.kind === 'put') this.store.docs.push(indexed(change.document, change.at));
    }
    const record = this.store.collections.get(collection);
    if (record && changes.length > 0) record.updated = at;
    return changes.length;
  }

  pendingCount(collection: string): number {
    return this.pending.get(collection)?.length ?? 0;
  }

  reset(): void {
    this.pending.clear();
    this.received.length = 0;
  }

  private queue(collection: string, change: Change): void {
    const list = this.pending.get(collection) ?? [];
    list.push(change);
    this.pending.set(collection, list);
  }
}

/** A pushed document as the index holds it: title and summary from metadata t and c, else from the content. */
function indexed(document: PushedDocument, at: number): DocRecord {
  const type = (document.contentType.split(';')[0] ?? '').trim().toLowerCase();
  const text = document.content.toString('utf8');
  const plain = type.includes('html') || type.includes('xml') ? text.replace(/<[^>]*>/g, ' ') : text;
  const htmlTitle = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
  const metadata: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(document.metadata)) metadata[field] = value.split('|').map((v) => v.trim());
  const fileType = fileTypeOf(type);
  metadata.format ??= [fileType];
  return {
    dataSource: document.collection,
    url: document.key,
    title: metadata.t?.[0] ?? htmlTitle ?? document.key,
    summary: metadata.c?.[0] ?? plain.replace(/\s+/g, ' ').trim().slice(0, 200),
    body: plain,
    date: at,
    fileType,
    fileSize: document.content.length,
    metadata,
  };
}

function fileTypeOf(mediaType: string): string {
  if (mediaType.includes('html')) return 'html';
  if (mediaType.includes('json')) return 'json';
  if (mediaType.includes('xml')) return 'xml';
  if (mediaType === 'application/pdf') return 'pdf';
  return 'txt';
}
