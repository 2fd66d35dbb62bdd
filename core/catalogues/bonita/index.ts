import type { Catalogue } from '../../operations/catalogue';
import { businessDataOperations } from './business-data';
import { caseOperations } from './case';
import { contractForm } from './contract-form';
import { currentUser } from './current-user';
import { documentOperations } from './document';
import { bonitaLists } from './lists';
import { messageOperations } from './message';
import { processOperations } from './process';
import { taskOperations } from './task';
import { bonitaTriggers } from './triggers';
import { userOperations } from './user';

/** Bonita's everyday jobs (vendor notes section 1), rendered by the n8n Bonita node and the Node-RED bonita node. */
export const bonitaCatalogue: Catalogue = {
	vendor: 'bonita',
	displayName: 'Bonita',
	summary: 'start a case, list, assign and execute human tasks with their contracts, attach and download documents, query business data, send a message',
	notes: ['Execution is asynchronous in Bonita: the next task of a case may appear a moment after Execute.'],
	resources: [
		{ value: 'businessData', name: 'Business Data', description: 'Business objects (BDM): named queries and reads' },
		{ value: 'case', name: 'Case', description: 'Process instances: start, read, variables' },
		{ value: 'document', name: 'Document', description: 'Case documents: upload, list, download' },
		{ value: 'message', name: 'Message', description: 'BPMN messages to processes and waiting cases' },
		{ value: 'process', name: 'Process', description: 'Deployed processes and their contracts' },
		{ value: 'task', name: 'Task', description: 'Human tasks: list, assign, execute' },
		{ value: 'user', name: 'User', description: 'Users of the organization' },
	],
	operations: [...processOperations, ...caseOperations, ...taskOperations, ...documentOperations, ...businessDataOperations, ...messageOperations, ...userOperations],
	lists: bonitaLists,
	forms: { processContract: contractForm('process'), taskContract: contractForm('userTask') },
	currentUser,
	triggers: bonitaTriggers,
};
