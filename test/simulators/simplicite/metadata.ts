/**
 * What the simulator says about an object's shape: `?_metadata=true` (fields with integer type codes, as the
 * javascript-api reads them) and `?_doc=true&_output=openapi` (JSON-Schema properties and one path per custom
 * action and publication, as in the Demo module's generated OpenAPI). The required / updatable / defaultValue
 * flags of the metadata are [I] (vendor-operations.md section 3).
 */
import { OBJECTS, type FieldDef, type FieldType, type ObjectDef } from './data';

/** javascript-api constants.ts TYPE_* */
const TYPE_CODES: Record<FieldType, number> = { fk: 0, int: 1, float: 2, text: 3, date: 4, datetime: 5, enum: 7, boolean: 8, email: 12, document: 17 };

function refField(def: FieldDef, rf: string): FieldDef {
  const target = OBJECTS.find((o) => o.name === def.ref)?.fields.find((f) => f.name === rf);
  return target ?? { name: rf, label: rf, type: 'text' };
}

function metadataField(f: FieldDef, linkedBy?: FieldDef): Record<string, unknown> {
  const fullinput = linkedBy ? `${linkedBy.name}__${f.name}` : f.name;
  return {
    name: f.name,
    input: linkedBy ? fullinput : f.name,
    fullinput,
    label: f.label,
    help: f.help ?? '',
    type: TYPE_CODES[f.type],
    required: linkedBy ? false : f.required === true,
    updatable: linkedBy ? false : f.updatable !== false,
    ref: linkedBy !== undefined,
    ...(f.defaultValue !== undefined && !linkedBy ? { defaultValue: f.defaultValue } : {}),
    ...(f.type === 'fk' && !linkedBy ? { refObject: f.ref } : {}),
    ...(f.values ? { listOfValues: f.values.map((code) => ({ code, value: code.charAt(0) + code.slice(1).toLowerCase() })) } : {}),
  };
}

export function objectMetadata(def: ObjectDef): Record<string, unknown> {
  const fields: Record<string, unknown>[] = [{ name: 'row_id', input: 'row_id', fullinput: 'row_id', label: 'Row ID', type: 0, required: false, updatable: false, ref: false }];
  for (const f of def.fields) {
    fields.push(metadataField(f));
    if (f.type === 'fk') for (const rf of f.refFields ?? []) fields.push(metadataField(refField(f, rf), f));
  }
  return { name: def.name, instance: `api_${def.name}`, rowidfield: 'row_id', label: def.label ?? def.name, plurallabel: `${def.label ?? def.name}s`, help: '', fields, links: [] };
}

function schemaProperty(f: FieldDef): Record<string, unknown> {
  const description = f.help ?? f.label;
  switch (f.type) {
    case 'int':
      return { description, type: 'integer' };
    case 'float':
      return { description, type: 'number' };
    case 'boolean':
      return { description, type: 'boolean' };
    case 'document':
      return { description, type: 'object' };
    case 'date':
      return { description, type: 'string', example: 'yyyy-MM-dd' };
    case 'datetime':
      return { description, type: 'string', example: 'yyyy-MM-dd HH:mm:ss' };
    case 'enum':
      return { description, type: 'string', enum: f.values };
    default:
      return { description, type: 'string' };
  }
}

const errorSchema = (status: number) => ({ type: 'object', properties: { error: { description: 'Error message', type: 'string' }, status: { description: 'Error status', type: 'integer', enum: [status] } } });

function responses(ok: string, schema: string, statuses: number[]): Record<string, unknown> {
  const out: Record<string, unknown> = { '200': { description: ok, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } } };
  for (const status of statuses) out[String(status)] = { description: `Error ${status}`, content: { 'application/json': { schema: { $ref: `#/components/schemas/Error${status}` } } } };
  return out;
}

const rowIdParameter = { schema: { type: 'string' }, in: 'path', name: 'row_id', description: 'Row ID (or empty or _ for all row IDs)', required: true };

export function objectOpenApi(def: ObjectDef, version: string): Record<string, unknown> {
  const properties: Record<string, unknown> = { row_id: { description: 'Unique technical row ID', type: 'string' } };
  for (const f of def.fields) {
    properties[f.name] = schemaProperty(f);
    if (f.type === 'fk') for (const rf of f.refFields ?? []) properties[`${f.name}__${rf}`] = schemaProperty(refField(f, rf));
  }
  const lower = def.name.toLowerCase();
  const tags = [def.name];
  const paths: Record<string, unknown> = {
    [`/rest/${def.name}`]: {
      get: {
        summary: `Search ${def.name} business object records`,
        operationId: `obj-${lower}-search`,
        tags,
        parameters: Object.keys(properties).map((name) => ({ schema: { type: 'string' }, in: 'query', name, description: `Search filter for ${name}`, required: false })),
        responses: responses('Success in searching business object records', `ArrayOf${def.name}`, [401, 500]),
      },
    },
    [`/rest/${def.name}/{row_id}`]: {
      get: { summary: `Get a ${def.name} business object record`, operationId: `obj-${lower}-get`, tags, parameters: [rowIdParameter], responses: responses('Success', def.name, [401, 404, 500]) },
      post: { summary: `Create a new ${def.name} business object record`, operationId: `obj-${lower}-create`, tags, parameters: [rowIdParameter], requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${def.name}` } } } }, responses: responses('Success', def.name, [400, 401, 500]) },
      put: { summary: `Update a ${def.name} business object record`, operationId: `obj-${lower}-update`, tags, parameters: [rowIdParameter], requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/${def.name}` } } } }, responses: responses('Success', def.name, [400, 401, 404, 500]) },
      delete: { summary: `Delete a ${def.name} business object record`, operationId: `obj-${lower}-delete`, tags, parameters: [rowIdParameter], responses: responses('Success', def.name, [400, 401, 404, 500]) },
    },
  };
  for (const name of Object.keys(def.actions ?? {})) {
    paths[`/rest/${def.name}/{row_id}/action:${name}`] = {
      get: { summary: `Call a custom action for a ${def.name} business object record or for all records`, operationId: `obj-${lower}-action-${name.toLowerCase()}`, tags, parameters: [rowIdParameter], responses: responses('Success in calling the custom action', 'ActionResult', [400, 401, 404, 500]) },
    };
  }
  for (const name of Object.keys(def.publications ?? {})) {
    paths[`/rest/${def.name}/{row_id}/publication:${name}`] = {
      get: { summary: `Call a custom publication for a ${def.name} business object record or for all records`, operationId: `obj-${lower}-publication-${name.toLowerCase()}`, tags, parameters: [rowIdParameter], responses: responses('Success in calling the custom publication', 'PublicationResult', [401, 404, 500]) },
    };
  }
  return {
    openapi: '3.0.2',
    info: { title: `${def.name} business object`, version },
    tags: [{ name: def.name }],
    components: {
      schemas: {
        [def.name]: { type: 'object', properties },
        [`ArrayOf${def.name}`]: { type: 'array', items: { $ref: `#/components/schemas/${def.name}` } },
        ActionResult: { type: 'object', properties: { result: { description: 'Action result', type: 'string' } } },
        PublicationResult: { type: 'object', properties: { mime: { description: 'MIME type', type: 'string' }, content: { description: 'Content (plain text or base64 encoded)', type: 'string' } } },
        Error400: errorSchema(400),
        Error401: errorSchema(401),
        Error403: errorSchema(403),
        Error404: errorSchema(404),
        Error500: errorSchema(500),
      },
    },
    paths,
  };
}

/** `?_doc=true` without `_output`: the default Markdown documentation. */
export function objectMarkdown(def: ObjectDef): string {
  return [`# ${def.name}`, '', ...def.fields.map((f) => `- \`${f.name}\`: ${f.label}`), ''].join('\n');
}
