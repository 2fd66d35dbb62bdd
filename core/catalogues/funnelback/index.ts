import type { Catalogue } from '../../operations/catalogue';
import { applicationTokenOperations } from './application-token';
import { documentOperations } from './document';
import { funnelbackLists } from './lists';
import { searchOperations } from './search';

/** Funnelback / Squiz DXP Search (vendor notes section 4, protocols E.2), rendered by the Funnelback nodes. */
export const funnelbackCatalogue: Catalogue = {
	vendor: 'funnelback',
	displayName: 'Funnelback',
	summary: 'search a collection with facets and paging, export all results, add, replace and delete documents of a push data source and commit them, create, list and revoke application tokens',
	notes: [
		'Collections cannot be listed from the server: the Collection dropdowns offer those listed in the credential, and any ID can be typed.',
		'Pushed and deleted documents become searchable after Commit (or the automatic commit).',
		'Application Token → Create outputs the new token\'s value (and, for a client token, its username and password): treat the output as a secret.',
	],
	resources: [
		{ value: 'search', name: 'Search', description: 'Search a collection: results, facets, full exports' },
		{ value: 'document', name: 'Document', description: 'Push data source content: add, replace, delete, commit' },
		{ value: 'applicationToken', name: 'Application Token', description: 'Non-expiring admin API tokens: create, list, revoke' },
	],
	operations: [...searchOperations, ...documentOperations, ...applicationTokenOperations],
	lists: funnelbackLists,
	forms: {},
};
