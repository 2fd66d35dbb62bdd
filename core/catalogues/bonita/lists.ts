import type { ListSource } from '../../operations/catalogue';
import { filter, get, order } from './bonita-request';

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/** What the dropdowns show (vendor notes 1.2, 1.4): processes, open cases, tasks available to me, users. */
export const bonitaLists: Record<string, ListSource> = {
	processes: {
		request: (search) => get('API/bpm/process', order('displayName ASC'), filter('activationState', 'ENABLED'), search ? ['s', search] : undefined),
		paging: { kind: 'bonita' },
		option: (item) => ({ name: `${text(item.displayName || item.name)} (${text(item.version)})`, value: text(item.id), ...(item.description ? { description: text(item.description) } : {}) }),
	},
	cases: {
		request: (search) => get('API/bpm/case', order('id DESC'), search ? ['s', search] : undefined),
		paging: { kind: 'bonita' },
		option: (item) => ({ name: `${text(item.name)} #${text(item.id)}`, value: text(item.id), description: `Started ${text(item.start)}` }),
	},
	tasks: {
		needs: ['currentUser'],
		request: (search, context) => get('API/bpm/humanTask', order('priority DESC'), filter('user_id', context.currentUser!), search ? ['s', search] : undefined),
		paging: { kind: 'bonita' },
		option: (item) => ({ name: `${text(item.displayName || item.name)} · case ${text(item.caseId)}`, value: text(item.id) }),
	},
	users: {
		request: (search) => get('API/identity/user', order('lastname ASC'), filter('enabled', 'true'), search ? ['s', search] : undefined),
		paging: { kind: 'bonita' },
		option: (item) => ({ name: `${text(item.firstname)} ${text(item.lastname)} (${text(item.userName)})`.trim(), value: text(item.id) }),
	},
};
