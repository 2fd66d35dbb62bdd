import type { ListSource } from '../../operations/catalogue';
import { asRecord, asRecords, get, optional, text, WLE } from './baw-request';
import { processKey, startableProcess } from './startable-process';
import { taskIdOf, WLE_TASK_PAGING, wleTaskSearch } from './task-search';

const contains = (filter: string, ...texts: unknown[]) => filter === '' || texts.some((value) => text(value).toLowerCase().includes(filter.toLowerCase()));

/**
 * What the dropdowns show (vendor notes 2.3): the processes I can start (stored as <acronym>:<name>, stable across
 * snapshots), the process apps (by acronym), my tasks and the available ones, running instances.
 */
export const bawLists: Record<string, ListSource> = {
	processes: {
		request: () => get(`${WLE}/exposed/process`),
		paging: { kind: 'whole', itemsPath: 'data.exposedItemsList' },
		// The list comes whole, one entry per exposing snapshot: one option per process, the tip's label first.
		items(body, filter) {
			const entries = asRecords(asRecord(asRecord(body).data).exposedItemsList).filter((item) => contains(filter, item.display, item.processAppAcronym, item.processAppName));
			const byKey = new Map<string, Record<string, unknown>>();
			for (const item of entries) {
				const { acronym, name } = startableProcess(item);
				const key = processKey(acronym, name);
				if (!byKey.has(key) || item.tip === true) byKey.set(key, item);
			}
			return [...byKey.values()];
		},
		option(item) {
			const process = startableProcess(item);
			return { name: `${process.name} (${process.acronym} · ${process.tip ? 'tip' : (process.snapshotName ?? 'snapshot')})`, value: processKey(process.acronym, process.name), ...(process.processAppName ? { description: process.processAppName } : {}) };
		},
	},
	processApps: {
		request: () => get(`${WLE}/processApps`),
		paging: { kind: 'whole', itemsPath: 'data.processAppsList' },
		items: (body, filter) => asRecords(asRecord(asRecord(body).data).processAppsList).filter((app) => contains(filter, app.name, app.shortName)),
		option: (app) => ({ name: `${text(app.name)} (${text(app.shortName)})`, value: text(app.shortName) }),
	},
	tasks: {
		// The filter text is not sent: the search's text operators are unverified (vendor notes 2.3, PPB).
		request: (_filter, context) => wleTaskSearch('both', [], context.pageSize ?? 50),
		paging: WLE_TASK_PAGING,
		option: (item) => ({
			name: `${text(item.TAD_DISPLAY_NAME || item.TAS_SUBJECT)} · ${text(item.PI_NAME)}`,
			value: taskIdOf(item),
			description: [text(item.STATUS), item.OWNER ? `claimed by ${text(item.OWNER)}` : text(item.ASSIGNED_TO_ROLE_DISPLAY_NAME), item.DUE ? `due ${text(item.DUE)}` : ''].filter((part) => part !== '').join(', '),
		}),
	},
	instances: {
		request: (filter) => get('bpm/processes', ['states', 'running'], optional('search_term', filter)),
		paging: { kind: 'offset', offsetParameter: 'offset', sizeParameter: 'size', itemsPath: 'processes' },
		option: (item) => ({ name: text(item.name), value: text(item.piid), description: `${text(item.state)}, started ${text(item.creation_time)}` }),
	},
};
