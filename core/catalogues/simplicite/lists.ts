import type { ListSource, ServerListSource } from '../../operations/catalogue';
import { text } from './json-values';
import { openApiRequest } from './object-fields';
import { customEntries } from './openapi-document';
import { SEARCH_PAGING } from './record';
import { get, objectPath } from './simplicite-request';

/** An object's custom actions or publications, from its OpenAPI document (vendor notes 3). */
function customList(kind: 'action' | 'publication'): ServerListSource {
	return {
		dependsOn: ['object'],
		request: (_filter, _context, values) => openApiRequest(values.object),
		// One document: `items` reads it, and the paging is unused.
		paging: SEARCH_PAGING,
		items: (body, filter, values) => {
			const wanted = filter.toLowerCase();
			return customEntries(body, values.object, kind)
				.filter((entry) => entry.name.toLowerCase().includes(wanted))
				.map((entry) => ({ ...entry }));
		},
		option: (item) => ({ name: text(item.name), value: text(item.name), ...(item.summary ? { description: text(item.summary) } : {}) }),
	};
}

/**
 * Business objects: `ObjectInternal` is readable by designers only (vendor notes 3); anyone else gets an error
 * or an empty list and types the name instead (the stable key is the name either way).
 */
export const simpliciteLists: Record<string, ListSource> = {
	objects: {
		request: (filter) => get(objectPath('ObjectInternal'), ['obo_name', `%${filter}%`]),
		paging: SEARCH_PAGING,
		option: (item) => ({
			name: text(item.obo_name),
			value: text(item.obo_name),
			...(text(item.row_module_id__mdl_name) ? { description: `Module ${text(item.row_module_id__mdl_name)}` } : {}),
		}),
	},
	actions: customList('action'),
	publications: customList('publication'),
};
