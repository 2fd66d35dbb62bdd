import type { Operation } from '../../operations/operation';
import { filter, get, order, path } from './bonita-request';

export const USER_FIELDS = ['id', 'userName', 'firstname', 'lastname', 'title', 'job_title', 'enabled', 'manager_id', 'last_connection'] as const;

export const userOperations: Operation[] = [
	{
		resource: 'user',
		operation: 'getCurrent',
		name: 'Get Current',
		action: 'Get the logged-in user',
		description: 'Get the user the credential logs in as: ID, user name, first and last name',
		parameters: [],
		needs: ['currentUser'],
		request: (_values, context) => get(path`API/identity/user/${context.currentUser}`),
		replay: 'read',
		output: { kind: 'object', simplify: USER_FIELDS },
	},
	{
		resource: 'user',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many users',
		description: 'List users (enabled ones by default), filtered by name, sorted by last name',
		parameters: [
			{ name: 'search', displayName: 'Search', description: 'Text the user name, first name or last name starts with', type: 'string', optional: true },
			{ name: 'enabledOnly', displayName: 'Enabled Only', description: 'Whether to leave out disabled users', type: 'boolean', default: true, optional: true },
		],
		request: (values) => get('API/identity/user', order('lastname ASC'), values.enabledOnly === false ? undefined : filter('enabled', 'true'), values.search ? ['s', String(values.search)] : undefined),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list', simplify: USER_FIELDS },
	},
];
