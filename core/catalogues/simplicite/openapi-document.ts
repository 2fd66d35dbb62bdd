import type { FieldKind, ObjectField } from './object-field';
import { isRecord, text } from './json-values';

/**
 * What the catalogue reads in an object's OpenAPI document (`GET api/rest/<Obj>?_doc=true&_output=openapi`, 4.0+):
 * the JSON-Schema of its records and one path per custom action and publication (vendor notes 3, from the Demo
 * module's generated document). Swagger 2.0 keeps the schemas under `definitions`: both are read.
 */

/** The record schema's properties as fields; undefined when the document has no schema for the object. */
export function fieldsFromOpenApi(document: unknown, object: string): ObjectField[] | undefined {
	const schemas = isRecord(document) ? (isRecord(document.components) ? document.components.schemas : document.definitions) : undefined;
	const schema = isRecord(schemas) ? schemas[object] : undefined;
	if (!isRecord(schema) || !isRecord(schema.properties)) return undefined;
	const properties = schema.properties;
	const required = new Set(Array.isArray(schema.required) ? schema.required.map(text) : []);
	const names = Object.keys(properties);
	return names.flatMap((name) => {
		const property = properties[name];
		if (!isRecord(property)) return [];
		const linked = name.includes('__');
		// A foreign key is a plain string in the schema; the joins named after it show what it is.
		const kind: FieldKind = name === 'row_id' ? 'rowId' : !linked && names.some((other) => other.startsWith(`${name}__`)) ? 'link' : kindOf(property);
		const codes = Array.isArray(property.enum) ? property.enum.map(text).filter((code) => code !== '').map((code) => ({ code, label: code })) : [];
		const description = text(property.description);
		return [
			{
				name,
				label: description || name,
				kind,
				required: required.has(name),
				readOnly: linked || kind === 'rowId',
				fixedAfterCreate: false,
				...(codes.length > 0 ? { codes } : {}),
				...(description ? { help: description } : {}),
			},
		];
	});
}

export interface CustomEntry {
	name: string;
	summary?: string;
}

/** The custom actions or publications of the object: its paths ending in `/action:<NAME>` or `/publication:<NAME>`. */
export function customEntries(document: unknown, object: string, kind: 'action' | 'publication'): CustomEntry[] {
	const paths = isRecord(document) && isRecord(document.paths) ? document.paths : {};
	const pattern = new RegExp(`/${escaped(object)}/(?:[^/]+/)?${kind}:([^/]+)$`);
	const found = new Map<string, CustomEntry>();
	for (const [path, item] of Object.entries(paths)) {
		const name = pattern.exec(path)?.[1];
		if (!name || found.has(name)) continue;
		const summary = isRecord(item) && isRecord(item.get) ? text(item.get.summary) : '';
		found.set(name, { name: decoded(name), ...(summary ? { summary } : {}) });
	}
	return [...found.values()];
}

function kindOf(property: Record<string, unknown>): FieldKind {
	const example = text(property.example);
	switch (property.type) {
		case 'integer':
			return 'integer';
		case 'number':
			return 'decimal';
		case 'boolean':
			return 'boolean';
		case 'object':
			return 'document';
		default:
			if (Array.isArray(property.enum) && property.enum.length > 0) return 'enum';
			if (property.format === 'date' || example === 'yyyy-MM-dd') return 'date';
			if (property.format === 'date-time' || example === 'yyyy-MM-dd HH:mm:ss') return 'dateTime';
			if (example === 'HH:mm:ss') return 'time';
			return 'text';
	}
}

function escaped(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function decoded(name: string): string {
	try {
		return decodeURIComponent(name);
	} catch {
		return name;
	}
}
