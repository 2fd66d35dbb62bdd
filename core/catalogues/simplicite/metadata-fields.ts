import { isRecord, text } from './json-values';
import type { FieldCode, FieldKind, ObjectField } from './object-field';

/**
 * The fields of `GET api/rest/<Obj>?_metadata=true`: `{name, rowidfield, fields: [{name, label, type, …}]}` with
 * integer type codes (vendor notes 3, javascript-api `constants.ts`). A field of a linked object has `ref: true`
 * and is named `<fk>__<field>` by its `fullinput`. The `required`, `updatable` and `defaultValue` flags are [I]:
 * read when present, and a field is neither required nor fixed without them. Undefined when the answer has no
 * field list (then the OpenAPI schema is read instead).
 */
export function fieldsFromMetadata(body: unknown): ObjectField[] | undefined {
	if (!isRecord(body) || !Array.isArray(body.fields)) return undefined;
	const rowIdField = text(body.rowidfield) || 'row_id';
	return body.fields.filter(isRecord).flatMap((field) => {
		const name = text(field.fullinput) || text(field.input) || text(field.name);
		if (name === '') return [];
		const linked = isTrue(field.ref) || name.includes('__');
		const kind = kindOf(Number(field.type), !linked && name === rowIdField);
		const codes = codesOf(field.listOfValues);
		return [
			{
				name,
				label: text(field.label) || name,
				kind: kind === 'enum' && !codes ? 'text' : kind,
				required: isTrue(field.required) && text(field.defaultValue ?? field.default) === '',
				readOnly: linked || kind === 'rowId',
				fixedAfterCreate: field.updatable === false || field.updatable === 'false',
				...(codes ? { codes } : {}),
				...(text(field.help) ? { help: text(field.help) } : {}),
			},
		];
	});
}

/** Type codes of Simplicité's ObjectField (javascript-api `constants.ts`, TYPE_*). */
function kindOf(type: number, isRowId: boolean): FieldKind {
	switch (type) {
		case 0:
			return isRowId ? 'rowId' : 'link';
		case 1:
			return 'integer';
		case 2:
		case 18:
			return 'decimal';
		case 26:
			return 'bigDecimal';
		case 4:
			return 'date';
		case 5:
			return 'dateTime';
		case 6:
			return 'time';
		case 7:
			return 'enum';
		case 8:
			return 'boolean';
		case 17:
		case 20:
			return 'document';
		default:
			return 'text';
	}
}

function codesOf(list: unknown): FieldCode[] | undefined {
	if (!Array.isArray(list)) return undefined;
	const codes = list.filter(isRecord).map((entry) => ({ code: text(entry.code), label: text(entry.value) || text(entry.code) })).filter((entry) => entry.code !== '');
	return codes.length > 0 ? codes : undefined;
}

function isTrue(value: unknown): boolean {
	return value === true || value === 'true' || value === 1 || value === '1';
}
