import { inputError } from '../../bpm-error';
import type { Operation, Values } from '../../operations/operation';
import { get, optional, path, present, WLE, wleData } from './baw-request';
import { resolveProcess } from './startable-process';
import { checkProcessApp } from './unknown-filter';
import { processInputsForm } from './variable-forms';

export const STARTABLE_FIELDS = ['display', 'processAppAcronym', 'processAppName', 'snapshotName', 'tip', 'itemID', 'processAppID', 'snapshotID', 'branchID'] as const;
export const STARTED_FIELDS = ['piid', 'name', 'state', 'model', 'container', 'container_version', 'snapshot_id', 'creator', 'creation_time', 'data'] as const;
export const FOUND_INSTANCE_FIELDS = ['piid', 'name', 'bpdName', 'executionState', 'snapshotID', 'projectID', 'dueDate', 'creationDate', 'lastModificationTime', 'closedDate'] as const;

export const processParameter = {
	name: 'process',
	displayName: 'Process',
	description: 'A process you can start: pick it from the list, or give <process app acronym>:<process name> (stays valid across snapshots)',
	type: 'reference',
	list: 'processes',
	required: true,
	placeholder: 'e.g. VR:Vacation request',
} as const;

export const instanceParameter = {
	name: 'instanceId',
	displayName: 'Process Instance',
	description: 'The process instance: pick a running one from the list, or give its ID (piid)',
	type: 'reference',
	list: 'instances',
	required: true,
} as const;

export const processAppParameter = {
	name: 'processApp',
	displayName: 'Process App',
	description: 'The process app (container), by its acronym',
	type: 'reference',
	list: 'processApps',
	required: false,
	optional: true,
} as const;

const STATUSES = ['Active', 'Completed', 'Failed', 'Terminated', 'Suspended'] as const;

export const processOperations: Operation[] = [
	{
		resource: 'process',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many startable processes',
		description: 'List the processes the logged-in user can start, one entry per exposing snapshot: name (display), process app acronym and name, snapshot',
		parameters: [],
		request: () => get(`${WLE}/exposed/process`),
		paging: { kind: 'whole', itemsPath: 'data.exposedItemsList' },
		replay: 'read',
		output: { kind: 'list', simplify: STARTABLE_FIELDS },
	},
	{
		resource: 'process',
		operation: 'start',
		name: 'Start',
		action: 'Start a process',
		description:
			'Start an instance of a process with its input variables; outputs the new instance (piid). Never sent twice: if the answer is lost, the error says how to look for the instance',
		parameters: [processParameter, { name: 'inputs', displayName: 'Input Variables', description: 'The input variables of the process', type: 'form', form: { dependsOn: 'process', kind: 'processInputs' } }],
		async prepare(values, steps) {
			const process = await resolveProcess(steps, String(values.process), 'process');
			const input = await processInputsForm.value(steps, String(values.process), (values.inputs ?? {}) as Record<string, unknown>, steps.files);
			return { ...values, model: process.name, container: process.acronym, input, sentAt: isoSeconds(Date.now()) };
		},
		request: (values) => ({ method: 'POST', path: 'bpm/processes', query: [['model', String(values.model)], ['container', String(values.container)]], json: { input: values.input } }),
		replay: 'nonIdempotent',
		ambiguousHint: (values) =>
			`An instance of ${String(values.model)} may have been started: look for it (Process → Search Instances, process app ${String(values.container)}, modified after ${String(values.sentAt)}) before starting again`,
		output: { kind: 'object', simplify: STARTED_FIELDS },
	},
	{
		resource: 'process',
		operation: 'getInstance',
		name: 'Get Instance',
		action: 'Get a process instance',
		description: 'Get a process instance by its ID: its state, process app and snapshot, variables, and tasks',
		parameters: [instanceParameter],
		request: (values) => get(WLE + path`/process/${values.instanceId}`, ['parts', 'header|data']),
		replay: 'read',
		output: { kind: 'result', result: (_values, response) => wleData(response) },
	},
	{
		resource: 'process',
		operation: 'searchInstances',
		name: 'Search Instances',
		action: 'Search process instances',
		description: 'Find process instances by process app, status, name and last modification time, most recently modified first',
		parameters: [
			processAppParameter,
			{
				name: 'status',
				displayName: 'Status',
				description: 'Only instances in this status',
				type: 'options',
				default: 'any',
				choices: [{ value: 'any', name: 'Any' }, ...STATUSES.map((status) => ({ value: status, name: status }))],
			},
			{ name: 'search', displayName: 'Search', description: 'Text the instance name contains', type: 'string', optional: true },
			{ name: 'modifiedAfter', displayName: 'Modified After', description: 'Only instances modified at or after this time (ISO 8601)', type: 'string', optional: true },
			{ name: 'modifiedBefore', displayName: 'Modified Before', description: 'Only instances modified at or before this time (ISO 8601)', type: 'string', optional: true },
		],
		request: (values) => ({
			method: 'POST',
			path: `${WLE}/processes/search`,
			query: present([
				optional('projectFilter', values.processApp),
				values.status === 'any' ? undefined : optional('statusFilter', values.status),
				optional('searchFilter', values.search),
				...(values.search ? [['searchFilterScope', 'InstanceName'] as const] : []),
				optional('modifiedAfter', instant(values, 'modifiedAfter')),
				optional('modifiedBefore', instant(values, 'modifiedBefore')),
			]),
		}),
		paging: { kind: 'offset', offsetParameter: 'offset', sizeParameter: 'limit', itemsPath: 'data.processes' },
		async explainEmpty(values, steps) {
			if (values.processApp) await checkProcessApp(steps, String(values.processApp), 'processApp');
		},
		replay: 'read',
		output: { kind: 'list', simplify: FOUND_INSTANCE_FIELDS },
	},
];

/** A time parameter as the ISO 8601 form IBM shows (2011-08-04T03:12:53Z), or undefined when not given. */
function instant(values: Values, field: string): string | undefined {
	const given = values[field];
	if (given === undefined) return undefined;
	const time = Date.parse(String(given));
	if (Number.isNaN(time)) throw inputError(field, `${field} must be a date and time (ISO 8601, e.g. 2026-01-31T17:00:00Z), not "${String(given)}"`);
	return isoSeconds(time);
}

function isoSeconds(time: number): string {
	return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
