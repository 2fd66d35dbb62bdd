/**
 * In-memory business objects for the Simplicité simulator: object definitions,
 * seed data and the generic create / read / update / delete / search rules of
 * the REST API (all values are strings, a linked field shows as `<fk>__<field>`),
 * custom actions (record and global), publications and documents.
 */

export type FieldType = 'text' | 'int' | 'float' | 'enum' | 'email' | 'fk' | 'boolean' | 'date' | 'datetime' | 'document';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  required?: boolean;
  /** functional key: two records cannot share the value */
  unique?: boolean;
  /** allowed codes for an enum field */
  values?: string[];
  /** fk: referenced object and the fields of it shown as `<fk>__<field>` */
  ref?: string;
  refFields?: string[];
  /** value used on create when the field is not given */
  defaultValue?: string;
  maxLength?: number;
  /** false: set on create, refused on update [I] */
  updatable?: boolean;
  help?: string;
}

/** A custom action: record-level (`run`) or global (`runGlobal`, on the records the search filters select). */
export interface ActionDef {
  /** returns the `result` text, may change the record */
  run?(row: Row): string;
  runGlobal?(rows: Row[]): string;
}

/** A publication: `{mime, content}`, the content base64 unless the mime type is text. */
export interface PublicationDef {
  mime: string;
  /** true: global (the records the search filters select); false: one record */
  global?: boolean;
  render(rows: Row[]): string | Buffer;
}

export interface ObjectDef {
  name: string;
  label?: string;
  fields: FieldDef[];
  actions?: Record<string, ActionDef>;
  publications?: Record<string, PublicationDef>;
}

/** A stored record: row_id plus one string per field (a document field holds the document id). */
export type Row = Record<string, string>;

/** A document as written inline in a JSON body (and output with `_inline_documents=true`). */
export interface DocValue {
  id?: string;
  name: string;
  mime: string;
  /** base64 */
  content: string;
}

/** A value of a create or update body: a string, or a document written inline. */
export type WriteValue = string | DocValue;

export type WriteResult = { ok: true; row: Row } | { ok: false; error: string };

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Objects only designers may read (the business-object dropdown's source). */
export const DESIGNER_OBJECTS = ['ObjectInternal'];

export const OBJECTS: ObjectDef[] = [
  {
    name: 'ObjectInternal',
    label: 'Business object',
    fields: [
      { name: 'obo_name', label: 'Object name', type: 'text', required: true, unique: true, maxLength: 100 },
      { name: 'obo_dbtable', label: 'Table', type: 'text' },
      { name: 'row_module_id', label: 'Module', type: 'fk', ref: 'Module', refFields: ['mdl_name'], required: true, defaultValue: '40' },
    ],
  },
  {
    name: 'Module',
    fields: [{ name: 'mdl_name', label: 'Name', type: 'text', required: true, unique: true, maxLength: 100 }],
  },
  {
    name: 'SystemParam',
    fields: [
      { name: 'sys_code', label: 'Code', type: 'text', required: true, unique: true, maxLength: 100 },
      { name: 'sys_value', label: 'Value', type: 'text' },
      { name: 'sys_type', label: 'Type', type: 'text', maxLength: 10 },
      { name: 'sys_desc', label: 'Description', type: 'text' },
      { name: 'row_module_id', label: 'Module', type: 'fk', ref: 'Module', refFields: ['mdl_name'], required: true, defaultValue: '29' },
    ],
  },
  {
    name: 'DemoSupplier',
    fields: [
      { name: 'demoSupCode', label: 'Code', type: 'text', required: true, unique: true, maxLength: 50 },
      { name: 'demoSupName', label: 'Name', type: 'text', required: true, maxLength: 100 },
      { name: 'demoSupEmail', label: 'Email', type: 'email' },
      { name: 'demoSupPhone', label: 'Phone', type: 'text', maxLength: 20 },
    ],
  },
  {
    name: 'DemoProduct',
    fields: [
      { name: 'demoPrdSupId', label: 'Supplier', type: 'fk', ref: 'DemoSupplier', refFields: ['demoSupCode', 'demoSupName'], required: true },
      { name: 'demoPrdReference', label: 'Reference', type: 'text', required: true, unique: true, maxLength: 50, updatable: false },
      { name: 'demoPrdName', label: 'Name', type: 'text', required: true, maxLength: 100 },
      { name: 'demoPrdType', label: 'Type', type: 'enum', values: ['LAPTOP', 'TABLET', 'PHONE', 'OTHER'], required: true, defaultValue: 'OTHER' },
      { name: 'demoPrdPrice', label: 'Price', type: 'float', defaultValue: '0' },
      { name: 'demoPrdStock', label: 'Stock', type: 'int', defaultValue: '0' },
      { name: 'demoPrdDescription', label: 'Description', type: 'text' },
      { name: 'demoPrdAvailable', label: 'Available', type: 'boolean', defaultValue: '1', help: 'Available product?' },
      { name: 'demoPrdBrochure', label: 'Brochure', type: 'document', help: 'Product brochure' },
    ],
    actions: {
      DemoIncrementStock: {
        run(row: Row): string {
          const stock = Number(row.demoPrdStock || '0') + 1;
          row.demoPrdStock = String(stock);
          return `Stock incremented to ${stock}`;
        },
      },
      DemoRestock: {
        runGlobal(rows: Row[]): string {
          const empty = rows.filter((row) => row.demoPrdStock === '0');
          for (const row of empty) row.demoPrdStock = '10';
          return `Restocked ${empty.length} product(s)`;
        },
      },
    },
    publications: {
      'DemoProduct-Card': {
        mime: 'text/plain',
        render: ([row]) => `${row!.demoPrdReference}: ${row!.demoPrdName} (${row!.demoPrdType}), ${row!.demoPrdStock} in stock`,
      },
      'DemoProduct-PDF': {
        mime: 'application/pdf',
        render: ([row]) => Buffer.concat([Buffer.from(`%PDF-1.4\n% ${row!.demoPrdReference} ${row!.demoPrdName}\n`), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3, 0x0a]), Buffer.from('%%EOF\n')]),
      },
      'DemoProduct-CSV': {
        mime: 'text/csv',
        global: true,
        render: (rows) => ['reference;name;stock', ...rows.map((row) => `${row.demoPrdReference};${row.demoPrdName};${row.demoPrdStock}`)].join('\n'),
      },
    },
  },
  {
    name: 'DemoClient',
    fields: [
      { name: 'demoCliCode', label: 'Code', type: 'text', required: true, unique: true, maxLength: 50 },
      { name: 'demoCliFirstname', label: 'First name', type: 'text', maxLength: 100 },
      { name: 'demoCliLastname', label: 'Last name', type: 'text', required: true, maxLength: 100 },
      { name: 'demoCliEmail', label: 'Email', type: 'email' },
      { name: 'demoCliCity', label: 'City', type: 'text', maxLength: 100 },
      { name: 'demoCliSince', label: 'Customer since', type: 'date' },
      { name: 'demoCliLastContact', label: 'Last contact', type: 'datetime' },
    ],
  },
  {
    name: 'DemoOrder',
    fields: [
      { name: 'demoOrdNumber', label: 'Number', type: 'text', required: true, unique: true },
      { name: 'demoOrdCliId', label: 'Client', type: 'fk', ref: 'DemoClient', refFields: ['demoCliCode'], required: true },
      { name: 'demoOrdPrdId', label: 'Product', type: 'fk', ref: 'DemoProduct', refFields: ['demoPrdReference'], required: true },
      { name: 'demoOrdQuantity', label: 'Quantity', type: 'int', required: true, defaultValue: '1' },
      { name: 'demoOrdStatus', label: 'Status', type: 'enum', values: ['P', 'V', 'D', 'C'], required: true, defaultValue: 'P' },
    ],
  },
];

function seed(urlParamName: string): Record<string, Row[]> {
  return {
    ObjectInternal: OBJECTS.map((def, i) => ({
      row_id: String(i + 1),
      obo_name: def.name,
      obo_dbtable: def.name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase(),
      row_module_id: def.name.startsWith('Demo') ? '40' : '1',
    })),
    Module: [
      { row_id: '1', mdl_name: 'System' },
      { row_id: '29', mdl_name: 'Test' },
      { row_id: '40', mdl_name: 'Demo' },
    ],
    SystemParam: [
      { row_id: '101', sys_code: 'USE_USERTOKENS', sys_value: 'yes', sys_type: 'PRV', sys_desc: 'Use user tokens on the API endpoint', row_module_id: '1' },
      { row_id: '102', sys_code: 'USERTOKENS_MODE', sys_value: 'jwt', sys_type: 'PRV', sys_desc: 'User tokens mode', row_module_id: '1' },
      { row_id: '103', sys_code: 'USERTOKENS_DURATION', sys_value: '24h', sys_type: 'PRV', sys_desc: 'User tokens duration', row_module_id: '1' },
      { row_id: '104', sys_code: 'USERTOKENS_REUSE', sys_value: 'yes', sys_type: 'PRV', sys_desc: 'Reuse user tokens', row_module_id: '1' },
      { row_id: '105', sys_code: 'USERTOKENS_URL_PARAM', sys_value: urlParamName, sys_type: 'PRV', sys_desc: 'User token URL parameter name', row_module_id: '1' },
      { row_id: '106', sys_code: 'DEMO_WEBSITE_URL', sys_value: 'https://www.simplicite.io', sys_type: 'PUB', sys_desc: '', row_module_id: '40' },
      { row_id: '107', sys_code: 'TEST', sys_value: 'foo', sys_type: '', sys_desc: '', row_module_id: '29' },
    ],
    DemoSupplier: [
      { row_id: '1', demoSupCode: 'BIM', demoSupName: 'BIM Computers Ltd.', demoSupEmail: 'contact@bim.example', demoSupPhone: '+33 1 00 00 00 01' },
      { row_id: '2', demoSupCode: 'LLED', demoSupName: 'Lateral LED Inc.', demoSupEmail: 'sales@lled.example', demoSupPhone: '+33 1 00 00 00 02' },
      { row_id: '3', demoSupCode: 'PEAR', demoSupName: 'Pear Corp.', demoSupEmail: 'hello@pear.example', demoSupPhone: '+1 555 0100' },
    ],
    DemoProduct: [
      { row_id: '1', demoPrdSupId: '3', demoPrdReference: 'REF001', demoPrdName: 'Laptop Pro 15', demoPrdType: 'LAPTOP', demoPrdPrice: '1299.00', demoPrdStock: '12', demoPrdDescription: '15 inch laptop', demoPrdAvailable: '1' },
      { row_id: '2', demoPrdSupId: '3', demoPrdReference: 'REF002', demoPrdName: 'Tablet Mini', demoPrdType: 'TABLET', demoPrdPrice: '399.90', demoPrdStock: '40', demoPrdDescription: '', demoPrdAvailable: '1' },
      { row_id: '3', demoPrdSupId: '1', demoPrdReference: 'REF003', demoPrdName: 'Smart Phone X', demoPrdType: 'PHONE', demoPrdPrice: '899.00', demoPrdStock: '0', demoPrdDescription: '', demoPrdAvailable: '0' },
      { row_id: '4', demoPrdSupId: '2', demoPrdReference: 'REF004', demoPrdName: 'LED Monitor 27', demoPrdType: 'OTHER', demoPrdPrice: '249.99', demoPrdStock: '25', demoPrdDescription: '27 inch monitor', demoPrdAvailable: '1' },
      { row_id: '5', demoPrdSupId: '1', demoPrdReference: 'REF005', demoPrdName: 'Laptop Air 13', demoPrdType: 'LAPTOP', demoPrdPrice: '999.00', demoPrdStock: '7', demoPrdDescription: '', demoPrdAvailable: '1' },
    ],
    DemoClient: [
      { row_id: '1', demoCliCode: 'CLI001', demoCliFirstname: 'Jean', demoCliLastname: 'Dupont', demoCliEmail: 'jean.dupont@example.com', demoCliCity: 'Paris' },
      { row_id: '2', demoCliCode: 'CLI002', demoCliFirstname: 'Marie', demoCliLastname: 'Martin', demoCliEmail: 'marie.martin@example.com', demoCliCity: 'Lyon' },
      { row_id: '3', demoCliCode: 'CLI003', demoCliFirstname: 'John', demoCliLastname: 'Smith', demoCliEmail: 'john.smith@example.com', demoCliCity: 'London' },
    ],
    DemoOrder: [
      { row_id: '1', demoOrdNumber: 'ORD001', demoOrdCliId: '1', demoOrdPrdId: '1', demoOrdQuantity: '1', demoOrdStatus: 'V' },
      { row_id: '2', demoOrdNumber: 'ORD002', demoOrdCliId: '2', demoOrdPrdId: '3', demoOrdQuantity: '2', demoOrdStatus: 'P' },
    ],
  };
}

interface Table {
  def: ObjectDef;
  rows: Map<string, Row>;
  next: number;
}

/** Every table's technical dates (`yyyy-MM-dd HH:mm:ss`, set by the server on create and update), filterable and sortable as fields. */
export const TIMESTAMP_FIELDS = ['created_dt', 'updated_dt'] as const;
/** The seed records' dates: before any test writes. */
const SEED_STAMP = '2026-01-05 09:00:00';

/** A filter value: the advanced syntax (`is null`, `is not null`, comparisons joined by `and`) or a plain LIKE pattern. */
export function filterMatch(value: string, filter: string): boolean {
  const clauses = filter.trim().split(/\s+and\s+/i).map(advancedClause);
  if (clauses.every((clause) => clause !== undefined)) return clauses.every((clause) => clause!(value));
  return likeMatch(value, filter);
}

/** One comparison of the search syntax ('quoted' text compared as text, numbers as numbers); undefined if it is not one. */
function advancedClause(clause: string): ((value: string) => boolean) | undefined {
  if (/^is\s+null$/i.test(clause)) return (value) => value === '';
  if (/^is\s+not\s+null$/i.test(clause)) return (value) => value !== '';
  const match = /^(>=|<=|<>|!=|>|<|=)\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))$/.exec(clause);
  if (!match) return undefined;
  const [, op, quoted, number] = match;
  const compare = (value: string) => (quoted !== undefined ? (value < quoted.replace(/''/g, "'") ? -1 : value > quoted.replace(/''/g, "'") ? 1 : 0) : Math.sign(Number(value) - Number(number)));
  return (value) => {
    if (value === '') return false;
    const c = compare(value);
    return op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : op === '=' ? c === 0 : c !== 0;
  };
}

/** SQL LIKE with `%` only (any string); the rest of the value is literal. */
export function likeMatch(value: string, pattern: string): boolean {
  if (!pattern.includes('%')) return value === pattern;
  const re = new RegExp(`^${pattern.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
  return re.test(value);
}

export class SimpliciteStore {
  private tables = new Map<string, Table>();
  private documents = new Map<string, DocValue>();
  private nextDocument = 1;

  constructor(
    private readonly urlParamName: string,
    /** The server's clock, as its datetime fields write it. */
    private readonly now: () => string,
  ) {
    this.reseed();
  }

  reseed(): void {
    const data = seed(this.urlParamName);
    this.tables.clear();
    this.documents.clear();
    this.nextDocument = 1;
    for (const def of OBJECTS) {
      const rows = new Map<string, Row>();
      let max = 0;
      for (const r of data[def.name] ?? []) {
        rows.set(r.row_id!, { ...r, created_dt: SEED_STAMP, updated_dt: SEED_STAMP });
        max = Math.max(max, Number(r.row_id));
      }
      this.tables.set(def.name, { def, rows, next: max + 1 });
    }
  }

  has(object: string): boolean {
    return this.tables.has(object);
  }

  def(object: string): ObjectDef | undefined {
    return this.tables.get(object)?.def;
  }

  /** Output names of an object's records: row_id, the fields, and `<fk>__<field>` after each fk. */
  outputFields(object: string): string[] {
    const def = this.def(object);
    if (!def) return [];
    const out = ['row_id'];
    for (const f of def.fields) {
      out.push(f.name);
      if (f.type === 'fk') for (const rf of f.refFields ?? []) out.push(`${f.name}__${rf}`);
    }
    return [...out, ...TIMESTAMP_FIELDS];
  }

  /** The record as the API sends it; `inlineDocuments`: a document field as {id,name,mime,content} instead of its id. */
  private output(table: Table, row: Row, inlineDocuments = false): Record<string, string | DocValue> {
    const out: Record<string, string | DocValue> = { row_id: row.row_id! };
    for (const f of table.def.fields) {
      const v = row[f.name] ?? '';
      const doc = f.type === 'document' && inlineDocuments && v !== '' ? this.documents.get(v) : undefined;
      out[f.name] = doc ? { id: v, ...doc } : v;
      if (f.type === 'fk') {
        const ref = v === '' ? undefined : this.tables.get(f.ref!)?.rows.get(v);
        for (const rf of f.refFields ?? []) out[`${f.name}__${rf}`] = ref?.[rf] ?? '';
      }
    }
    for (const name of TIMESTAMP_FIELDS) out[name] = row[name] ?? '';
    return out;
  }

  /**
   * Stored records matching every filter on their output fields, sorted by the `order` fields (each descending when
   * asked), then by row_id: the final sort on the primary key that keeps pages stable (release notes 3.0 MAINTENANCE 34).
   */
  private matching(table: Table, filters: Array<[string, string]>, order: Array<{ field: string; descending: boolean }> = []): Row[] {
    return [...table.rows.values()]
      .map((row) => ({ row, out: this.output(table, row) }))
      .filter(({ out }) => filters.every(([name, filter]) => filterMatch(String(out[name] ?? ''), filter)))
      .sort((a, b) => {
        for (const { field, descending } of order) {
          const x = String(a.out[field] ?? '');
          const y = String(b.out[field] ?? '');
          if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
        }
        return Number(a.row.row_id) - Number(b.row.row_id);
      })
      .map(({ row }) => row);
  }

  /** Records matching every filter (a LIKE pattern or the advanced syntax), in the order asked, then by row_id. */
  search(object: string, filters: Array<[string, string]>, inlineDocuments = false, order: Array<{ field: string; descending: boolean }> = []): Array<Record<string, string | DocValue>> {
    const table = this.tables.get(object);
    return table ? this.matching(table, filters, order).map((r) => this.output(table, r, inlineDocuments)) : [];
  }

  get(object: string, rowId: string, inlineDocuments = false): Record<string, string | DocValue> | undefined {
    const table = this.tables.get(object);
    const row = table?.rows.get(rowId);
    return table && row ? this.output(table, row, inlineDocuments) : undefined;
  }

  create(object: string, values: Record<string, WriteValue>): WriteResult {
    const table = this.tables.get(object);
    if (!table) return { ok: false, error: `Unknown object ${object}` };
    const row: Row = { row_id: '' };
    for (const f of table.def.fields) {
      const v = values[f.name];
      row[f.name] = typeof v === 'string' ? v : f.defaultValue ?? '';
    }
    const error = this.validate(table, row, undefined) ?? this.writeDocuments(table, row, values);
    if (error) return { ok: false, error };
    row.row_id = String(table.next++);
    row.created_dt = row.updated_dt = this.now();
    table.rows.set(row.row_id, row);
    return { ok: true, row: this.output(table, row) as Row };
  }

  /** Partial update; undefined when the record does not exist. */
  update(object: string, rowId: string, values: Record<string, WriteValue>): WriteResult | undefined {
    const table = this.tables.get(object);
    const current = table?.rows.get(rowId);
    if (!table || !current) return undefined;
    const row: Row = { ...current };
    for (const f of table.def.fields) {
      if (!Object.prototype.hasOwnProperty.call(values, f.name)) continue;
      const v = values[f.name]!;
      if (f.updatable === false && v !== current[f.name]) return { ok: false, error: `Field "${f.label}" (${f.name}) is not updatable` };
      if (typeof v === 'string') row[f.name] = v;
    }
    const error = this.validate(table, row, rowId) ?? this.writeDocuments(table, row, values);
    if (error) return { ok: false, error };
    row.updated_dt = this.now();
    table.rows.set(rowId, row);
    return { ok: true, row: this.output(table, row) as Row };
  }

  /** false when the record does not exist. */
  delete(object: string, rowId: string): boolean {
    return this.tables.get(object)?.rows.delete(rowId) ?? false;
  }

  /** `count` new records built by `make(i)` (i from 1) over generated values for the required fields; their row_ids. */
  bulkCreate(object: string, count: number, make: (i: number) => Record<string, string> = () => ({})): string[] {
    const table = this.tables.get(object);
    if (!table) throw new Error(`Unknown object ${object}`);
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const values: Record<string, string> = {};
      for (const f of table.def.fields) if (f.required && f.defaultValue === undefined) values[f.name] = this.generated(f, table.next);
      const r = this.create(object, { ...values, ...make(i) });
      if (!r.ok) throw new Error(`bulkCreate ${object}: ${r.error}`);
      ids.push(r.row.row_id!);
    }
    return ids;
  }

  private generated(f: FieldDef, n: number): string {
    switch (f.type) {
      case 'int':
      case 'float':
        return '1';
      case 'enum':
        return f.values![0]!;
      case 'email':
        return `bulk${n}@example.com`;
      case 'fk':
        return [...this.tables.get(f.ref!)!.rows.keys()][0]!;
      default:
        return `${f.label.replace(/\s+/g, '')}${String(n).padStart(5, '0')}`.slice(0, f.maxLength ?? 100);
    }
  }

  /** 'record' or 'global', undefined when the object has no such action. */
  actionScope(object: string, name: string): 'record' | 'global' | undefined {
    const action = this.tables.get(object)?.def.actions?.[name];
    return action ? (action.run ? 'record' : 'global') : undefined;
  }

  /** Runs a record-level action: its `result` text, or undefined when the record does not exist. */
  action(object: string, rowId: string, name: string): string | undefined {
    const table = this.tables.get(object);
    const action = table?.def.actions?.[name];
    const row = table?.rows.get(rowId);
    return action?.run && row ? action.run(row) : undefined;
  }

  /** Runs a global action on the records the filters select. */
  globalAction(object: string, name: string, filters: Array<[string, string]>): string {
    const table = this.tables.get(object)!;
    return table.def.actions![name]!.runGlobal!(this.matching(table, filters));
  }

  publication(object: string, name: string): PublicationDef | undefined {
    return this.tables.get(object)?.def.publications?.[name];
  }

  /** A publication's rows: the record (undefined when it does not exist), or the records the filters select. */
  publicationRows(object: string, rowId: string | undefined, filters: Array<[string, string]>): Row[] | undefined {
    const table = this.tables.get(object)!;
    if (rowId === undefined) return this.matching(table, filters).map((r) => this.output(table, r) as Row);
    const row = table.rows.get(rowId);
    return row ? [this.output(table, row) as Row] : undefined;
  }

  /** Stores the documents written inline and puts their ids in the row; an error text for a malformed one. */
  private writeDocuments(table: Table, row: Row, values: Record<string, WriteValue>): string | undefined {
    for (const f of table.def.fields) {
      const v = values[f.name];
      if (v === undefined || typeof v === 'string') continue;
      if (f.type !== 'document') return `Field "${f.label}" (${f.name}) takes a single value`;
      if (typeof v.name !== 'string' || v.name === '' || typeof v.content !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v.content)) {
        return `Field "${f.label}" (${f.name}): a document needs a name and a base64 content`;
      }
      const id = String(this.nextDocument++);
      this.documents.set(id, { name: v.name, mime: typeof v.mime === 'string' && v.mime !== '' ? v.mime : 'application/octet-stream', content: v.content });
      row[f.name] = id;
    }
    return undefined;
  }

  private validate(table: Table, row: Row, selfId: string | undefined): string | undefined {
    const errors: string[] = [];
    for (const f of table.def.fields) {
      const v = row[f.name] ?? '';
      if (v === '') {
        if (f.required) errors.push(`Field "${f.label}" (${f.name}) is required`);
        continue;
      }
      if (f.maxLength !== undefined && v.length > f.maxLength) errors.push(`Field "${f.label}" (${f.name}) is too long (max ${f.maxLength})`);
      switch (f.type) {
        case 'int':
          if (!/^-?\d+$/.test(v)) errors.push(`Field "${f.label}" (${f.name}) must be an integer: "${v}"`);
          break;
        case 'float':
          if (!/^-?\d+(\.\d+)?$/.test(v)) errors.push(`Field "${f.label}" (${f.name}) must be a decimal number: "${v}"`);
          break;
        case 'enum':
          if (!(f.values ?? []).includes(v)) errors.push(`Field "${f.label}" (${f.name}): "${v}" is not an allowed value (${(f.values ?? []).join(', ')})`);
          break;
        case 'email':
          if (!EMAIL_RE.test(v)) errors.push(`Field "${f.label}" (${f.name}) is not a valid email: "${v}"`);
          break;
        case 'fk':
          if (!this.tables.get(f.ref!)?.rows.has(v)) errors.push(`Field "${f.label}" (${f.name}): no ${f.ref} record with row_id "${v}"`);
          break;
        case 'boolean':
          // [I] booleans are kept as 1 / 0; true and false are taken too
          if (v === 'true' || v === 'false') row[f.name] = v === 'true' ? '1' : '0';
          else if (v !== '1' && v !== '0') errors.push(`Field "${f.label}" (${f.name}) must be a boolean (1 or 0): "${v}"`);
          break;
        case 'date':
          if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) errors.push(`Field "${f.label}" (${f.name}) must be a date (yyyy-MM-dd): "${v}"`);
          break;
        case 'datetime':
          if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v)) errors.push(`Field "${f.label}" (${f.name}) must be a date and time (yyyy-MM-dd HH:mm:ss): "${v}"`);
          break;
        case 'document':
          if (!this.documents.has(v)) errors.push(`Field "${f.label}" (${f.name}): no document with id "${v}"`);
          break;
        default:
          break;
      }
      if (f.unique) {
        for (const other of table.rows.values()) {
          if (other.row_id !== selfId && other[f.name] === v) {
            errors.push(`Field "${f.label}" (${f.name}): value "${v}" already exists`);
            break;
          }
        }
      }
    }
    return errors.length > 0 ? errors.join('; ') : undefined;
  }
}
