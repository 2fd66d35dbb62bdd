/**
 * In-memory Funnelback data for the simulator: clients, search packages, data
 * sources (and one 15.x-style collection id), a small seeded document corpus,
 * and the query matching / ranking / paging / faceting used by /s/search.json.
 */

export type CollectionKind = 'search-package' | 'data-source' | 'collection';

export interface CollectionRecord {
  /** v16 ids look like `client~sp-docs` (search package) or `client~ds-docs-web` (data source) */
  id: string;
  kind: CollectionKind;
  /** Funnelback collection type: meta (search package), web, push2, ... */
  type: string;
  /** v16 client id (the part before `~`); undefined for a 15.x collection id */
  client: string | undefined;
  name: string;
  /** data sources searched (a data source searches itself) */
  dataSources: string[];
  /** epoch ms of the last index update (details.collectionUpdated) */
  updated: number;
}

export interface DocRecord {
  dataSource: string;
  url: string;
  title: string;
  summary: string;
  body: string;
  /** epoch ms */
  date: number;
  fileType: string;
  fileSize: number;
  /** metadata class -> values (listMetadata in v16) */
  metadata: Record<string, string[]>;
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

const DATA_SOURCES: Array<Omit<CollectionRecord, 'kind' | 'dataSources'>> = [
  { id: 'client~ds-docs-web', type: 'web', client: 'client', name: 'Documentation (web)', updated: day('2025-03-14') },
  { id: 'client~ds-docs-pdf', type: 'web', client: 'client', name: 'Documentation (PDF)', updated: day('2025-03-10') },
  { id: 'client~ds-website', type: 'web', client: 'client', name: 'Corporate website', updated: day('2025-02-20') },
  { id: 'client~ds-push', type: 'push2', client: 'client', name: 'Pushed content', updated: day('2025-01-05') },
  { id: 'acme~ds-intranet', type: 'web', client: 'acme', name: 'ACME intranet', updated: day('2025-03-01') },
  { id: 'acme~ds-push', type: 'push2', client: 'acme', name: 'ACME workflow documents', updated: day('2025-03-03') },
];

const SEARCH_PACKAGES: Array<{ id: string; client: string | undefined; name: string; dataSources: string[]; kind: CollectionKind }> = [
  { id: 'client~sp-docs', client: 'client', name: 'Documentation', dataSources: ['client~ds-docs-web', 'client~ds-docs-pdf'], kind: 'search-package' },
  { id: 'client~sp-website', client: 'client', name: 'Website', dataSources: ['client~ds-website', 'client~ds-push'], kind: 'search-package' },
  { id: 'acme~sp-intranet', client: 'acme', name: 'ACME intranet', dataSources: ['acme~ds-intranet', 'acme~ds-push'], kind: 'search-package' },
  // A 15.x-style (pre-DXP) meta collection id over the same documentation.
  { id: 'funnelback_documentation', client: undefined, name: 'Funnelback documentation', dataSources: ['client~ds-docs-web', 'client~ds-docs-pdf'], kind: 'collection' },
];

interface Seed {
  ds: string;
  path: string;
  title: string;
  summary: string;
  body: string;
  date: string;
  author: string;
  keywords: string[];
  fileType?: string;
  size: number;
}

const SEEDS: Seed[] = [
  // client~ds-docs-web
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/getting-started/data-model.html', title: 'Getting started with the data model', summary: 'The search data model: question, response and error nodes returned by search.json.', body: 'Every search request produces a data model with a question node for the input parameters, a response node with the result packet and facets, and an error node when the search failed.', date: '2025-02-11', author: 'Squiz', keywords: ['data model', 'search.json', 'json'], size: 18234 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/develop/reference-documents/api-token-authentication.html', title: 'API authentication using an API token', summary: 'Log in to the admin API and send the X-Security-Token header on every request.', body: 'A token is created with the login call of the admin API. Tokens expire after two weeks or when the server restarts. Non-expiring application tokens are created per client and can be revoked.', date: '2025-01-28', author: 'Squiz', keywords: ['authentication', 'token', 'admin api'], size: 15102 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/search-packages.html', title: 'Search packages and data sources', summary: 'A search package groups data sources and holds the results pages of a search.', body: 'Search packages combine one or more data sources. Each data source gathers and indexes content from websites, databases or the push API.', date: '2024-11-05', author: 'Squiz', keywords: ['search package', 'data source'], size: 12877 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/results-pages/facets.html', title: 'Configuring faceted navigation', summary: 'Facets let users narrow search results by metadata such as format or author.', body: 'Faceted navigation is configured per results page. Each facet lists its values with counts, and selecting a value filters the search results.', date: '2024-10-17', author: 'Jordan Lee', keywords: ['facets', 'navigation', 'metadata'], size: 20450 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/develop/push-api/overview.html', title: 'Push API overview', summary: 'Add, update and remove documents in a push data source with the push API.', body: 'The push API stores documents directly in a push data source. Check the collection state before pushing content, and commit changes to make them searchable.', date: '2024-12-02', author: 'Jordan Lee', keywords: ['push api', 'documents'], size: 16320 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/query-language.html', title: 'Query language reference', summary: 'Operators for phrases, exclusions and metadata constraints in search queries.', body: 'Quote words to search for a phrase, prefix a word with a minus sign to exclude it, and use metadata constraints to search a single field of the search results.', date: '2024-09-30', author: 'Priya Natarajan', keywords: ['query', 'operators', 'phrase'], size: 22011 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/results-pages/profiles.html', title: 'Results pages and profiles', summary: 'Profiles select the ranking, templates and curator rules used for a search.', body: 'Every results page is a profile. The _default profile is used when no profile parameter is given; the _preview profile shows unpublished changes.', date: '2024-08-22', author: 'Priya Natarajan', keywords: ['profile', 'results page'], size: 9844 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/curator.html', title: 'Curator rules and best bets', summary: 'Promote, demote or add messages to search results with curator rules.', body: 'Curator rules react to query terms. A best bet promotes one page to the top of the search results for a trigger word.', date: '2024-07-15', author: 'Jordan Lee', keywords: ['curator', 'best bets'], size: 11230 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/auto-completion.html', title: 'Auto-completion', summary: 'Suggest queries while the user types in the search box.', body: 'Auto-completion suggestions are built from the index and from curated lists, and returned as JSON for the search box.', date: '2024-06-03', author: 'Squiz', keywords: ['auto-completion', 'suggest'], size: 8790 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/spelling.html', title: 'Spelling suggestions', summary: 'Did-you-mean suggestions for misspelled search queries.', body: 'When a query looks misspelled the response carries a spelling suggestion that users can click to search again.', date: '2024-05-21', author: 'Squiz', keywords: ['spelling', 'suggestions'], size: 7433 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/build/metadata-mapping.html', title: 'Metadata mapping', summary: 'Map document fields and meta tags to metadata classes used in search and facets.', body: 'Metadata mappings turn HTML meta tags, XML fields and document properties into metadata classes such as author or keywords.', date: '2025-03-12', author: 'Priya Natarajan', keywords: ['metadata', 'mapping'], size: 14587 },
  { ds: 'client~ds-docs-web', path: 'https://docs.example.com/develop/search-api.html', title: 'Search API: search.json', summary: 'Call /s/search.json with collection and query parameters to get search results as JSON.', body: 'The public search API answers GET requests with num_ranks for the page size and start_rank for paging. Authentication is normally not needed.', date: '2025-03-14', author: 'Squiz', keywords: ['search api', 'json', 'paging'], size: 13876 },
  // client~ds-docs-pdf
  { ds: 'client~ds-docs-pdf', path: 'https://docs.example.com/files/administrator-guide.pdf', title: 'Administrator guide', summary: 'Installation, users, roles and permissions, and server administration.', body: 'Users are given roles such as default-super-user. Permissions include creating non-expiring application tokens. Restarting the server invalidates login tokens.', date: '2024-12-18', author: 'Squiz', keywords: ['administration', 'permissions', 'users'], fileType: 'pdf', size: 2487211 },
  { ds: 'client~ds-docs-pdf', path: 'https://docs.example.com/files/release-notes-16.pdf', title: 'Release notes 16', summary: 'New features and changes in version 16: search packages, data sources and the DXP.', body: 'Version 16 replaces meta collections with search packages and collections with data sources, and introduces client application tokens.', date: '2025-03-10', author: 'Squiz', keywords: ['release notes', 'version 16'], fileType: 'pdf', size: 845120 },
  { ds: 'client~ds-docs-pdf', path: 'https://docs.example.com/files/security-hardening.pdf', title: 'Security hardening guide', summary: 'Protect the admin API: tokens, TLS and permission reviews.', body: 'Use API tokens rather than passwords for automation, revoke unused application tokens and review permissions regularly.', date: '2024-04-09', author: 'Morgan Blake', keywords: ['security', 'token', 'tls'], fileType: 'pdf', size: 1298004 },
  // client~ds-website
  { ds: 'client~ds-website', path: 'https://www.example.com/about/', title: 'About us', summary: 'We build search experiences for universities, governments and businesses.', body: 'Our team designs and runs search for large websites and intranets.', date: '2024-01-15', author: 'Communications', keywords: ['company'], size: 6120 },
  { ds: 'client~ds-website', path: 'https://www.example.com/contact/', title: 'Contact us', summary: 'Phone, email and office addresses.', body: 'Reach our support team by phone or email, or visit one of our offices.', date: '2023-11-02', author: 'Communications', keywords: ['contact', 'support'], size: 4310 },
  { ds: 'client~ds-website', path: 'https://www.example.com/careers/', title: 'Careers', summary: 'Open positions in engineering, search consulting and support.', body: 'Join our search consulting team. We are hiring engineers and support staff.', date: '2025-02-20', author: 'People team', keywords: ['jobs', 'careers'], size: 5562 },
  { ds: 'client~ds-website', path: 'https://www.example.com/news/2025/better-search-results/', title: 'News: better search results with curator', summary: 'How curator rules and best bets improved search results for our customers.', body: 'Customers who adopted curator rules saw more clicks on the first search result.', date: '2025-02-03', author: 'Communications', keywords: ['news', 'curator'], size: 7788 },
  { ds: 'client~ds-website', path: 'https://www.example.com/privacy/', title: 'Privacy policy', summary: 'How we collect and use personal information, including search analytics.', body: 'We keep search analytics without personal identifiers and delete logs after a year.', date: '2024-06-30', author: 'Legal', keywords: ['privacy', 'policy'], size: 9015 },
  // client~ds-push
  { ds: 'client~ds-push', path: 'https://www.example.com/events/search-summit-2025', title: 'Search Summit 2025', summary: 'Two days of talks about search, relevance and content.', body: 'Register for the search summit: talks on relevance tuning, facets and the push API.', date: '2025-01-05', author: 'Events', keywords: ['events', 'summit'], fileType: 'json', size: 2210 },
  // acme~ds-intranet
  { ds: 'acme~ds-intranet', path: 'https://intranet.acme.example/policies/expenses', title: 'Expense policy', summary: 'What can be claimed, approval limits and how to submit an expense claim.', body: 'Submit an expense claim within thirty days. Claims above the approval limit need a manager approval in the workflow.', date: '2025-01-20', author: 'Finance', keywords: ['expenses', 'policy', 'approval'], size: 10422 },
  { ds: 'acme~ds-intranet', path: 'https://intranet.acme.example/hr/leave-requests', title: 'Leave request process', summary: 'Request annual leave and track its approval.', body: 'Leave requests go through the approval workflow. Your manager approves or rejects the request.', date: '2024-10-08', author: 'Human resources', keywords: ['leave', 'workflow', 'approval'], size: 7102 },
  { ds: 'acme~ds-intranet', path: 'https://intranet.acme.example/it/service-desk', title: 'IT service desk', summary: 'Report an incident or request new equipment.', body: 'Open a ticket with the IT service desk for incidents, password resets and equipment requests.', date: '2025-03-01', author: 'IT', keywords: ['it', 'support', 'password'], size: 5589 },
  { ds: 'acme~ds-intranet', path: 'https://intranet.acme.example/policies/travel.pdf', title: 'Travel booking policy', summary: 'Booking flights and hotels for business travel.', body: 'Book business travel through the travel portal. Trips abroad need an approval before booking.', date: '2024-03-12', author: 'Finance', keywords: ['travel', 'policy', 'approval'], fileType: 'pdf', size: 388120 },
  // acme~ds-push
  { ds: 'acme~ds-push', path: 'https://intranet.acme.example/workflow/onboarding-checklist', title: 'Onboarding checklist', summary: 'Tasks for the first week of a new employee.', body: 'The onboarding workflow creates tasks for equipment, accounts and training. Each task is assigned to a team.', date: '2025-03-03', author: 'Human resources', keywords: ['onboarding', 'workflow', 'tasks'], fileType: 'json', size: 3120 },
  { ds: 'acme~ds-push', path: 'https://intranet.acme.example/workflow/purchase-approvals', title: 'Purchase approvals', summary: 'Who approves purchase requests, by amount.', body: 'Purchase requests start an approval workflow. Amounts above the limit go to the finance director.', date: '2025-02-14', author: 'Finance', keywords: ['purchase', 'approval', 'workflow'], fileType: 'json', size: 2890 },
];

function fileTypeOf(seed: Seed): string {
  if (seed.fileType) return seed.fileType;
  return 'html';
}

export class FunnelbackStore {
  readonly collections = new Map<string, CollectionRecord>();
  docs: DocRecord[] = [];

  constructor() {
    this.reseed();
  }

  reseed(): void {
    this.collections.clear();
    for (const ds of DATA_SOURCES) this.collections.set(ds.id, { ...ds, kind: 'data-source', dataSources: [ds.id] });
    for (const sp of SEARCH_PACKAGES) {
      const updated = Math.max(...sp.dataSources.map((d) => this.collections.get(d)!.updated));
      this.collections.set(sp.id, { id: sp.id, kind: sp.kind, type: 'meta', client: sp.client, name: sp.name, dataSources: [...sp.dataSources], updated });
    }
    this.docs = SEEDS.map((s) => {
      const fileType = fileTypeOf(s);
      return {
        dataSource: s.ds,
        url: s.path,
        title: s.title,
        summary: s.summary,
        body: s.body,
        date: day(s.date),
        fileType,
        fileSize: s.size,
        metadata: {
          t: [s.title],
          c: [s.summary],
          author: [s.author],
          keywords: [...s.keywords],
          format: [fileType],
        },
      };
    });
  }

  /** v16 client ids known to the server. */
  clients(): Set<string> {
    const out = new Set<string>();
    for (const c of this.collections.values()) if (c.client) out.add(c.client);
    return out;
  }

  searchPackages(): CollectionRecord[] {
    return [...this.collections.values()].filter((c) => c.kind === 'search-package');
  }

  dataSources(): CollectionRecord[] {
    return [...this.collections.values()].filter((c) => c.kind === 'data-source');
  }

  docsOf(collection: CollectionRecord): DocRecord[] {
    const set = new Set(collection.dataSources);
    return this.docs.filter((d) => set.has(d.dataSource));
  }
}

// ------------------------------------------------------------------ query matching

export interface ParsedQuery {
  /** positive terms: single words or phrases (lower case word lists) */
  terms: string[][];
  /** excluded terms */
  excluded: string[][];
  /** the null query (!nullquery, !padrenull, !showall): every document matches */
  nullQuery: boolean;
  /** normalised form, for resultPacket.queryAsProcessed */
  processed: string;
}

const NULL_QUERIES = new Set(['!nullquery', '!padrenull', '!showall']);

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

export function parseQuery(query: string): ParsedQuery {
  const terms: string[][] = [];
  const excluded: string[][] = [];
  let nullQuery = false;
  const processed: string[] = [];
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    if (m[3] !== undefined) {
      const raw = m[3];
      if (NULL_QUERIES.has(raw.toLowerCase())) {
        nullQuery = true;
        processed.push(raw.toLowerCase());
        continue;
      }
      const neg = raw.startsWith('-') && raw.length > 1;
      const ws = words(neg ? raw.slice(1) : raw);
      if (ws.length === 0) continue;
      // a hyphenated or dotted token is a phrase of its parts
      (neg ? excluded : terms).push(ws);
      processed.push(`${neg ? '-' : ''}${ws.length > 1 ? `"${ws.join(' ')}"` : ws[0]!}`);
    } else {
      const ws = words(m[2] ?? '');
      if (ws.length === 0) continue;
      const neg = m[1] === '-';
      (neg ? excluded : terms).push(ws);
      processed.push(`${neg ? '-' : ''}${ws.length > 1 ? `"${ws.join(' ')}"` : ws[0]!}`);
    }
  }
  return { terms, excluded, nullQuery, processed: processed.join(' ') };
}

function wordEq(a: string, b: string): boolean {
  return a === b || a === `${b}s` || b === `${a}s` || a === `${b}es` || b === `${a}es`;
}

/** Number of occurrences of a word or phrase in a word list. */
function occurrences(haystack: string[], term: string[]): number {
  let n = 0;
  outer: for (let i = 0; i + term.length <= haystack.length; i++) {
    for (let j = 0; j < term.length; j++) if (!wordEq(haystack[i + j]!, term[j]!)) continue outer;
    n++;
  }
  return n;
}

export interface ScoredDoc {
  doc: DocRecord;
  full: boolean;
  raw: number;
}

export function matchDocs(docs: DocRecord[], q: ParsedQuery): ScoredDoc[] {
  const out: ScoredDoc[] = [];
  for (const doc of docs) {
    const title = words(doc.title);
    const meta = words(Object.values(doc.metadata).flat().join(' '));
    const text = words(`${doc.summary} ${doc.body}`);
    const url = words(doc.url);
    const all = [...title, ...text, ...meta, ...url];
    if (q.excluded.some((t) => occurrences(all, t) > 0)) continue;
    if (q.nullQuery || q.terms.length === 0) {
      out.push({ doc, full: true, raw: 1 });
      continue;
    }
    let matched = 0;
    let raw = 0;
    for (const t of q.terms) {
      const inTitle = occurrences(title, t);
      const inText = occurrences(text, t);
      const inMeta = occurrences(meta, t);
      const inUrl = occurrences(url, t);
      if (inTitle + inText + inMeta + inUrl === 0) continue;
      matched++;
      raw += inTitle * 6 + inMeta * 2 + inText + inUrl + (t.length > 1 ? 3 : 0);
    }
    if (matched === 0) continue;
    out.push({ doc, full: matched === q.terms.length, raw: raw * (matched / q.terms.length) });
  }
  return out;
}

/** Funnelback's sort values; `meta<class>` and `dmeta<class>` sort by a metadata class, ascending or descending. */
export type SortMode = 'relevance' | 'date' | 'adate' | 'title' | 'dtitle' | 'url' | 'durl' | `meta${string}` | `dmeta${string}`;

export function sortMode(value: string | null): SortMode {
  const given = (value ?? '').trim();
  if (/^d?meta[A-Za-z0-9_]+$/.test(given)) return given as SortMode;
  switch (given.toLowerCase()) {
    case 'date':
    case 'adate':
    case 'title':
    case 'dtitle':
    case 'url':
    case 'durl':
      return given.toLowerCase() as SortMode;
    default:
      return 'relevance';
  }
}

function metadataOrder(a: DocRecord, b: DocRecord, metadataClass: string): number {
  const first = (doc: DocRecord): string => doc.metadata[metadataClass]?.[0] ?? '';
  return first(a).localeCompare(first(b));
}

/** Fully matching documents first, then partial matches; each group in the sort order. */
export function rank(scored: ScoredDoc[], mode: SortMode): ScoredDoc[] {
  const cmp = (a: ScoredDoc, b: ScoredDoc): number => {
    if (a.full !== b.full) return a.full ? -1 : 1;
    if (mode.startsWith('dmeta')) return metadataOrder(b.doc, a.doc, mode.slice(5)) || a.doc.url.localeCompare(b.doc.url);
    if (mode.startsWith('meta')) return metadataOrder(a.doc, b.doc, mode.slice(4)) || a.doc.url.localeCompare(b.doc.url);
    switch (mode) {
      case 'date':
        return b.doc.date - a.doc.date || a.doc.url.localeCompare(b.doc.url);
      case 'adate':
        return a.doc.date - b.doc.date || a.doc.url.localeCompare(b.doc.url);
      case 'title':
        return a.doc.title.localeCompare(b.doc.title) || a.doc.url.localeCompare(b.doc.url);
      case 'dtitle':
        return b.doc.title.localeCompare(a.doc.title) || a.doc.url.localeCompare(b.doc.url);
      case 'url':
        return a.doc.url.localeCompare(b.doc.url);
      case 'durl':
        return b.doc.url.localeCompare(a.doc.url);
      default:
        return b.raw - a.raw || b.doc.date - a.doc.date || a.doc.url.localeCompare(b.doc.url);
    }
  };
  return [...scored].sort(cmp);
}

/** Facets served on every search package: name -> metadata class. */
export const FACETS: Array<{ name: string; metadataClass: string }> = [
  { name: 'Format', metadataClass: 'format' },
  { name: 'Author', metadataClass: 'author' },
];
