/**
 * One field of a form the server describes (a Bonita contract input): what n8n's resource mapper and the
 * Node-RED form both show. Several values are a list and nested inputs an object, both given as JSON, as
 * n8n's mapper has no nested fields. A file field names the file (an n8n binary field, a message property).
 */
export interface FormField {
	id: string;
	displayName: string;
	type: 'string' | 'number' | 'boolean' | 'date' | 'dateTime' | 'file' | 'list' | 'object';
	required: boolean;
	description?: string;
}
