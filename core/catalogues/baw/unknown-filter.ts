import { inputError } from '../../bpm-error';
import type { OperationSteps } from '../../operations/operation';
import { asRecords, get, path, text, WLE, wleData } from './baw-request';
import { parseProcessKey, startableProcesses, unknownProcess } from './startable-process';

/**
 * BAW answers a list filtered on an identifier that does not exist with an empty list, not an error (vendor notes
 * 2.1). These checks run once a list came back empty, and name the parameter whose value matched nothing.
 */

/** The process apps on the server, by acronym (`shortName`). */
async function processAppAcronyms(steps: OperationSteps): Promise<string[]> {
	return asRecords(wleData(await steps.call(get(`${WLE}/processApps`))).processAppsList).map((app) => text(app.shortName));
}

export async function checkProcessApp(steps: OperationSteps, acronym: string, field: string): Promise<void> {
	const known = await processAppAcronyms(steps);
	if (!known.includes(acronym)) throw inputError(field, `No process app has the acronym "${acronym}" (there are ${known.join(', ') || 'none'}): nothing can match it`);
}

/**
 * A process key whose app does not exist is named as such; one that names no process the user may start too, worded
 * so as to stay true when the process exists but is not exposed to the user.
 */
export async function checkProcess(steps: OperationSteps, key: string, field: string): Promise<void> {
	const wanted = parseProcessKey(key, field);
	const all = await startableProcesses(steps);
	if (all.some((process) => process.acronym === wanted.acronym && process.name === wanted.name)) return;
	if (!all.some((process) => process.acronym === wanted.acronym)) await checkProcessApp(steps, wanted.acronym, field);
	throw inputError(field, `Nothing matched, and there is ${unknownProcess(wanted, all)}`);
}

export async function checkInstance(steps: OperationSteps, instanceId: string, field: string): Promise<void> {
	const response = await steps.call(get(path`bpm/processes/${instanceId}`), { allowNotFound: true });
	if (response.status === 404) throw inputError(field, `No process instance has the ID ${instanceId}: nothing can match it`);
}
