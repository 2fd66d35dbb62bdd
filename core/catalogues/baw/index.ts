import type { Catalogue } from '../../operations/catalogue';
import { currentUser } from './current-user';
import { bawLists } from './lists';
import { processOperations } from './process';
import { taskOperations } from './task';
import { bawTriggers } from './triggers';
import { processInputsForm, taskOutputsForm } from './variable-forms';

/** IBM BAW's everyday jobs (vendor notes section 2) over both API families, rendered by the n8n and Node-RED BAW nodes. */
export const bawCatalogue: Catalogue = {
	vendor: 'baw',
	displayName: 'IBM BAW',
	summary: 'list the processes you can start and start them with their input variables, read and search process instances, list your tasks and the available ones, claim, release and complete them with their output variables',
	notes: [
		'A process is named by its process app acronym and name (<acronym>:<process name>), which stay valid when a new snapshot is deployed.',
		'A list filtered on a process, process app or instance that does not exist comes back empty in BAW: the operation then fails, naming the filter that matched nothing.',
		'Claim and Complete fail with a clear error when someone else claimed or completed the task first; Start is never sent twice when its answer is lost.',
	],
	resources: [
		{ value: 'process', name: 'Process', description: 'Startable processes, their instances: start, read, search' },
		{ value: 'task', name: 'Task', description: 'Human tasks: list, claim, release, complete' },
	],
	operations: [...processOperations, ...taskOperations],
	lists: bawLists,
	forms: { processInputs: processInputsForm, taskOutputs: taskOutputsForm },
	currentUser,
	triggers: bawTriggers,
};
