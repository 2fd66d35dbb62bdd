/**
 * The simulator's business data model: com.company.model.Invoice (250 rows, a lazy `customer` reference) and
 * com.company.model.Customer (12 rows), their named queries, and the REST JSON of business objects
 * (vendor-operations.md 1.6).
 */

export const INVOICE_FQCN = 'com.company.model.Invoice';
export const CUSTOMER_FQCN = 'com.company.model.Customer';
export const INVOICE_COUNT = 250;
export const INVOICE_STATUSES = ['DRAFT', 'SENT', 'PAID', 'OVERDUE'] as const;

type Value = string | number | boolean;

export interface BusinessObject {
  persistenceId: number;
  persistenceVersion: number;
  attributes: Record<string, Value>;
  /** lazy references: relation name -> [fqcn, persistenceId] */
  references: Record<string, [string, number]>;
}

type ParamType = 'string' | 'number' | 'boolean';

export interface BdmQuery {
  params: Record<string, ParamType>;
  /** 'list' (an array, paged), 'single' (one object at most) or 'count' (a number) */
  kind: 'list' | 'single' | 'count';
  select(rows: BusinessObject[], params: Record<string, Value>): BusinessObject[];
  /** the count query that gives a list query its Content-Range total; none for a custom query without one */
  count?: string;
}

export interface BdmClass {
  rows: Map<number, BusinessObject>;
  queries: Record<string, BdmQuery>;
}

const all = (rows: BusinessObject[]): BusinessObject[] => rows;
const where = (attr: string) => (rows: BusinessObject[], params: Record<string, Value>) => rows.filter((r) => r.attributes[attr] === params[attr]);

/** find, findBy<attr> and their countFor… queries, as Bonita generates them for the default queries. */
function defaultQueries(uniqueAttrs: Record<string, ParamType>, listAttrs: Record<string, ParamType>): Record<string, BdmQuery> {
  const queries: Record<string, BdmQuery> = {
    find: { params: {}, kind: 'list', select: all, count: 'countForFind' },
    countForFind: { params: {}, kind: 'count', select: all },
    findByPersistenceId: { params: { persistenceId: 'number' }, kind: 'single', select: (rows, p) => rows.filter((r) => r.persistenceId === p.persistenceId) },
  };
  for (const [attr, type] of Object.entries(uniqueAttrs)) {
    queries[`findBy${cap(attr)}`] = { params: { [attr]: type }, kind: 'single', select: where(attr) };
  }
  for (const [attr, type] of Object.entries(listAttrs)) {
    const count = `countForFindBy${cap(attr)}`;
    queries[`findBy${cap(attr)}`] = { params: { [attr]: type }, kind: 'list', select: where(attr), count };
    queries[count] = { params: { [attr]: type }, kind: 'count', select: where(attr) };
  }
  return queries;
}

const CUSTOMERS = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent', 'Aperture'];

function isoDay(start: number, plusDays: number): string {
  return new Date(start + plusDays * 86400000).toISOString().slice(0, 10);
}

export function seedBusinessData(): Map<string, BdmClass> {
  const customers = new Map<number, BusinessObject>();
  CUSTOMERS.forEach((name, i) => {
    const id = i + 1;
    customers.set(id, { persistenceId: id, persistenceVersion: 0, attributes: { name, country: ['FR', 'US', 'DE'][i % 3]!, vip: i % 4 === 0 }, references: {} });
  });
  const invoices = new Map<number, BusinessObject>();
  const jan1 = Date.UTC(2024, 0, 1);
  for (let id = 1; id <= INVOICE_COUNT; id++) {
    const status = INVOICE_STATUSES[id % INVOICE_STATUSES.length]!;
    invoices.set(id, {
      persistenceId: id,
      persistenceVersion: id % 3,
      attributes: {
        number: `INV-${String(id).padStart(4, '0')}`,
        amount: ((id * 37) % 1000) + (id % 100) / 100,
        status,
        paid: status === 'PAID',
        issueDate: isoDay(jan1, id),
      },
      references: { customer: [CUSTOMER_FQCN, ((id * 7) % CUSTOMERS.length) + 1] },
    });
  }
  return new Map<string, BdmClass>([
    [
      INVOICE_FQCN,
      {
        rows: invoices,
        queries: {
          ...defaultQueries({ number: 'string' }, { status: 'string', paid: 'boolean' }),
          // a custom query without a countForFindByMinAmount: its answers carry no Content-Range
          findByMinAmount: { params: { minAmount: 'number' }, kind: 'list', select: (rows, p) => rows.filter((r) => (r.attributes.amount as number) >= (p.minAmount as number)) },
        },
      },
    ],
    [CUSTOMER_FQCN, { rows: customers, queries: defaultQueries({ name: 'string' }, { country: 'string' }) }],
  ]);
}

/** Read the f=name=value query parameters with their declared types; returns the first problem as a string. */
export function queryParams(query: BdmQuery, given: Map<string, string>): Record<string, Value> | string {
  const out: Record<string, Value> = {};
  for (const [name, type] of Object.entries(query.params)) {
    const raw = given.get(name);
    if (raw === undefined) return `Parameter '${name}' is missing for the query`;
    if (type === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) return `Parameter '${name}': '${raw}' is not a number`;
      out[name] = n;
    } else if (type === 'boolean') {
      out[name] = raw.toLowerCase() === 'true';
    } else {
      out[name] = raw.replace(/^'(.*)'$/, '$1');
    }
  }
  return out;
}

/** The REST JSON of a business object: ids as numbers and strings, attributes, and links to its references. */
export function businessObjectJson(fqcn: string, o: BusinessObject): Record<string, unknown> {
  return {
    persistenceId: o.persistenceId,
    persistenceId_string: String(o.persistenceId),
    persistenceVersion: o.persistenceVersion,
    persistenceVersion_string: String(o.persistenceVersion),
    ...o.attributes,
    links: Object.keys(o.references).map((rel) => ({ rel, href: `/API/bdm/businessData/${fqcn}/${o.persistenceId}/${rel}` })),
  };
}

function cap(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}
