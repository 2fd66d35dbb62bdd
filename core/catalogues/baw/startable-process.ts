import { inputError } from '../../bpm-error';
import type { OperationSteps } from '../../operations/operation';
import { asRecords, get, text, WLE, wleData } from './baw-request';

/**
 * A startable process as a stable business key: `<app acronym>:<process name>` (vendor notes 0: BAW ids change with
 * each snapshot). The characters a reference or form id refuses (`/ \ ? #`) and `%` itself are percent-encoded in
 * the name, so every process name makes a valid key.
 */
export interface ProcessKey {
	acronym: string;
	name: string;
}

/** One entry of GET exposed/process (vendor notes 2.3): what a key resolves to in the current snapshot. */
export interface StartableProcess extends ProcessKey {
	bpdId: string;
	snapshotId?: string;
	branchId?: string;
	processAppName?: string;
	snapshotName?: string;
	tip: boolean;
}

const RESERVED = /[%/\\?#]/g;

export function processKey(acronym: string, name: string): string {
	return `${acronym}:${name.replace(RESERVED, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}

export function parseProcessKey(value: string, field: string): ProcessKey {
	const colon = value.indexOf(':');
	const acronym = colon > 0 ? value.slice(0, colon).trim() : '';
	const name = colon > 0 ? value.slice(colon + 1).trim() : '';
	if (acronym === '' || name === '') {
		throw inputError(field, `"${value}" is not a process: pick one from the list, or give <process app acronym>:<process name>, e.g. HSS:Standard HR Open New Position`);
	}
	return { acronym, name: name.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
}

/** The processes the logged-in user may start, as exposed/process lists them (every snapshot that exposes one). */
export async function startableProcesses(steps: OperationSteps): Promise<StartableProcess[]> {
	const data = wleData(await steps.call(get(`${WLE}/exposed/process`)));
	return asRecords(data.exposedItemsList).map(startableProcess);
}

export function startableProcess(item: Record<string, unknown>): StartableProcess {
	const optional = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : String(value));
	return {
		acronym: text(item.processAppAcronym),
		// [I] `display` is the BPD's name, the `model` that /bpm/processes starts.
		name: text(item.display),
		bpdId: text(item.itemID),
		snapshotId: optional(item.snapshotID),
		branchId: optional(item.branchID),
		processAppName: optional(item.processAppName),
		snapshotName: optional(item.snapshotName),
		tip: item.tip === true,
	};
}

/**
 * The current snapshot of the process a key names, learnt once per session. Several snapshots may expose it: the tip
 * wins, else the first listed [I: which one /bpm/processes starts by default is not documented].
 */
export function resolveProcess(steps: OperationSteps, key: string, field: string): Promise<StartableProcess> {
	const wanted = parseProcessKey(key, field);
	return steps.memo(`baw:process:${processKey(wanted.acronym, wanted.name)}`, async () => {
		const all = await startableProcesses(steps);
		const matches = all.filter((process) => process.acronym === wanted.acronym && process.name === wanted.name);
		const found = matches.find((process) => process.tip) ?? matches[0];
		if (!found) throw inputError(field, `There is ${unknownProcess(wanted, all)}`);
		return found;
	});
}

/** Why a key matched no startable process, with what the same process app does offer: a clause to end a sentence with. */
export function unknownProcess(wanted: ProcessKey, all: readonly StartableProcess[]): string {
	const inApp = [...new Set(all.filter((process) => process.acronym === wanted.acronym).map((process) => process.name))];
	const offered = inApp.length > 0 ? `it offers ${inApp.map((name) => `"${name}"`).join(', ')}` : 'none of its processes is exposed to you';
	return `no process "${wanted.name}" that you can start in process app ${wanted.acronym} (${offered})`;
}
