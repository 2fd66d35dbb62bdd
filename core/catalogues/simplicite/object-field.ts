/**
 * One field of a business object as the catalogue uses it, whichever server description it came from (the
 * object's `_metadata`, or its OpenAPI schema): what a form shows and how a value is written.
 */
export interface ObjectField {
	/** The name the REST API uses: `<fk>__<field>` for a field of a linked object. */
	name: string;
	label: string;
	kind: FieldKind;
	/** The server needs a value on create and has no default for it. */
	required: boolean;
	/** Never written: the row id, or a field of a linked object (a join). */
	readOnly: boolean;
	/** Written on create but not changed afterwards ([I]: the metadata's `updatable` flag, when it sends one). */
	fixedAfterCreate: boolean;
	/** The allowed codes of an enumeration, with their labels. */
	codes?: readonly FieldCode[];
	help?: string;
}

export interface FieldCode {
	code: string;
	label: string;
}

/**
 * - rowId: the object's technical id; link: the row id of a linked record (a foreign key).
 * - decimal holds floats; bigDecimal stays text so that no digit is lost.
 * - document: a document or an image, written inline as `{id, name, mime, content}` (base64).
 * - text: strings and everything written as typed (HTML, email, phone, URL, colour, coordinates, multiple
 * enumerations: their codes are listed, not checked).
 */
export type FieldKind = 'rowId' | 'link' | 'integer' | 'decimal' | 'bigDecimal' | 'text' | 'date' | 'dateTime' | 'time' | 'enum' | 'boolean' | 'document';
