import type { Operation } from '../../operations/operation';
import { filter, get, order, path } from './bonita-request';

export const PROCESS_FIELDS = ['id', 'name', 'displayName', 'version', 'activationState', 'configurationState', 'description', 'deploymentDate', 'last_update_date'] as const;

export const processId = {
	name: 'processId',
	displayName: 'Process',
	description: 'The process (a deployed version): pick it from the list, or give its ID',
	type: 'reference',
	list: 'processes',
	required: true,
} as const;

export const processOperations: Operation[] = [
	{
		resource: 'process',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many processes',
		description: 'List deployed processes (enabled by default), optionally only those the logged-in user can start, filtered by name',
		parameters: [
			{ name: 'startableByMe', displayName: 'Only Processes I Can Start', description: 'Whether to list only the processes the logged-in user is allowed to start', type: 'boolean', default: false },
			{ name: 'search', displayName: 'Search', description: 'Text the process name or display name starts with', type: 'string', optional: true },
			{
				name: 'activationState',
				displayName: 'Activation State',
				description: 'Which processes to list by their activation state',
				type: 'options',
				default: 'ENABLED',
				optional: true,
				choices: [
					{ value: 'ENABLED', name: 'Enabled' },
					{ value: 'DISABLED', name: 'Disabled' },
					{ value: 'ANY', name: 'Any' },
				],
			},
		],
		needs: ['currentUser'],
		request: (values, context) =>
			get(
				'API/bpm/process',
				order('displayName ASC'),
				values.activationState === 'ANY' ? undefined : filter('activationState', String(values.activationState ?? 'ENABLED')),
				values.startableByMe ? filter('user_id', context.currentUser!) : undefined,
				values.search ? ['s', String(values.search)] : undefined,
			),
		paging: { kind: 'bonita' },
		replay: 'read',
		output: { kind: 'list', simplify: PROCESS_FIELDS },
	},
	{
		resource: 'process',
		operation: 'get',
		name: 'Get',
		action: 'Get a process',
		description: 'Get one deployed process by its ID: name, version, activation state',
		parameters: [processId],
		request: (values) => get(path`API/bpm/process/${values.processId}`),
		replay: 'read',
		output: { kind: 'object', simplify: PROCESS_FIELDS },
	},
	{
		resource: 'process',
		operation: 'getContract',
		name: 'Get Contract',
		action: 'Get the contract of a process',
		description: 'Get the inputs a case of this process must be started with: their names, types and constraints',
		parameters: [processId],
		request: (values) => get(path`API/bpm/process/${values.processId}/contract`),
		replay: 'read',
		output: { kind: 'object' },
	},
];
