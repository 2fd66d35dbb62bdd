/** The parameters every operation on a business object shares. */

/** The stable key is the object's name: the dropdown lists it for designers, anyone may type it. */
export const objectName = {
	name: 'object',
	displayName: 'Business Object',
	description: 'The business object, by name (e.g. DemoProduct): pick it from the list (designers only) or type it',
	type: 'reference',
	list: 'objects',
	required: true,
	placeholder: 'e.g. DemoProduct',
} as const;

export const rowId = {
	name: 'rowId',
	displayName: 'Row ID',
	description: "The record's technical ID (row_id)",
	type: 'reference',
	required: true,
} as const;

/** Not `optional`: n8n would put the field mapper inside a Filters collection of the same name. */
export const searchFilters = {
	name: 'filters',
	displayName: 'Filters',
	description: 'Field values the records must match; % is the wildcard (e.g. %Laptop%). A field of a linked record is <link>__<field>',
	type: 'form',
	form: { dependsOn: 'object', kind: 'searchFilters' },
} as const;
