import type { Catalogue } from '../../operations/catalogue';
import { customOperations } from './custom';
import { simpliciteLists } from './lists';
import { filterForm, recordForm } from './record-form';
import { recordOperations } from './record';
import { simpliciteTriggers } from './triggers';

/** Simplicité's generic REST API on business objects (vendor notes section 3), rendered by the Simplicité nodes. */
export const simpliciteCatalogue: Catalogue = {
	vendor: 'simplicite',
	displayName: 'Simplicité',
	summary: 'search, count, read, create, update and delete the records of any business object, run its custom actions and render its publications',
	notes: [
		'Every record value is text, as Simplicité sends it; a field of a linked record is named <link>__<field>.',
		'Only designers can list the business objects; anyone can type an object name instead.',
		'Search reads pages of the size the server sets (the user\'s maximum rows).',
	],
	resources: [{ value: 'object', name: 'Business Object', description: 'Records of a business object: search, count, read, create, update, delete, custom actions and publications' }],
	operations: [...recordOperations, ...customOperations],
	lists: simpliciteLists,
	forms: { searchFilters: filterForm, recordFields: recordForm('create'), recordChanges: recordForm('update') },
	triggers: simpliciteTriggers,
};
