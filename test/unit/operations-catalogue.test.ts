import { expect } from 'chai';
import { Readable } from 'node:stream';
import { BpmFailure, bawCatalogue, bonitaCatalogue, funnelbackCatalogue, simpliciteCatalogue, checkValues, isAmbiguous, runOperation, type BpmError, type Connection, type FileSource, type HttpRequest, type HttpResponse, type Operation, type OperationRequest, type OperationSteps } from '../../core';
import { Memo } from '../../core/sessions/memo';
import { contractFields, contractValues } from '../../core/catalogues/bonita/contract-form';
import type { Contract } from '../../core/catalogues/bonita/contract';

const find = (resource: string, operation: string): Operation => {
	const found = bonitaCatalogue.operations.find((entry) => entry.resource === resource && entry.operation === operation);
	if (!found) throw new Error(`no ${resource} ${operation}`);
	return found;
};
const noFiles = async (): Promise<FileSource> => {
	throw new Error('no file expected');
};
const refusal = async (run: () => Promise<unknown>): Promise<{ field?: string; message: string }> => {
	try {
		await run();
	} catch (error) {
		return (error as { detail: { field?: string; message: string } }).detail;
	}
	throw new Error('expected a refusal');
};

for (const catalogue of [bonitaCatalogue, bawCatalogue, simpliciteCatalogue, funnelbackCatalogue]) {
	describe(`Operations catalogue: the shape of ${catalogue.displayName}'s`, () => {
		it('names each operation once, under a known resource, with an action and a description a model can act on', () => {
			const keys = catalogue.operations.map((operation) => `${operation.resource}.${operation.operation}`);
			expect(new Set(keys).size).to.equal(keys.length);
			const resources = new Set(catalogue.resources.map((resource) => resource.value));
			for (const operation of catalogue.operations) {
				expect(resources.has(operation.resource), operation.resource).to.equal(true);
				expect(operation.action, `${operation.resource}.${operation.operation}`).to.match(/^[A-Z]/);
				expect(operation.description.length, `${operation.resource}.${operation.operation}`).to.be.greaterThan(30);
			}
			for (const resource of resources) expect(catalogue.operations.some((operation) => operation.resource === resource), resource).to.equal(true);
		});

		it('points every reference at a list and every form at a reader the catalogue has, and a dependent list after what it depends on', () => {
			for (const operation of catalogue.operations) {
				operation.parameters.forEach((parameter, index) => {
					const where = `${operation.resource}.${operation.operation}.${parameter.name}`;
					if (parameter.list) {
						expect(catalogue.lists, where).to.have.property(parameter.list);
						const source = catalogue.lists[parameter.list];
						for (const name of 'dependsOn' in source ? (source.dependsOn ?? []) : []) expect(operation.parameters.slice(0, index).map((p) => p.name), where).to.include(name);
					}
					if (parameter.form) {
						expect(catalogue.forms, where).to.have.property(parameter.form.kind);
						expect(operation.parameters.slice(0, index).some((p) => p.name === parameter.form!.dependsOn), where).to.equal(true);
					}
					if (parameter.type === 'options') expect(parameter.choices?.length, where).to.be.greaterThan(0);
				});
			}
		});

		it('gives every write that is not idempotent a read-back or a hint on how to check', () => {
			for (const operation of catalogue.operations.filter((write) => write.replay === 'nonIdempotent')) {
				expect(operation.readBack !== undefined || operation.ambiguousHint !== undefined, operation.operation).to.equal(true);
			}
		});

		it('keys each trigger event once, under a resource with operations, as a paged read whose output keeps its id and date, claiming with an operation it has', () => {
			const events = catalogue.triggers ?? [];
			const keys = events.map((event) => event.list.operation);
			expect(new Set(keys).size).to.equal(keys.length);
			for (const event of events) {
				const where = event.list.operation;
				expect(catalogue.resources.map((resource) => resource.value), where).to.include(event.list.resource);
				expect(event.list.replay, where).to.equal('read');
				expect(event.list.paging, where).to.not.equal(undefined);
				expect(event.list.description.length, where).to.be.greaterThan(30);
				expect(event.list.output.kind, where).to.equal('list');
				// Without a simplify list the whole item is output, its id and date with it.
				const simplify = event.list.output.kind === 'list' ? event.list.output.simplify : undefined;
				if (simplify) expect(simplify, where).to.include.members([event.idField, ...(event.stampField ? [event.stampField] : [])]);
				for (const parameter of event.list.parameters) if (parameter.list) expect(catalogue.lists, `${where}.${parameter.name}`).to.have.property(parameter.list);
				if (event.claim) expect(catalogue.operations.some((operation) => operation.resource === event.claim!.resource && operation.operation === event.claim!.operation), where).to.equal(true);
			}
		});
	});
}

describe('Operations catalogue (Bonita)', () => {
	it('gives each write the replay class of the vendor notes', () => {
		const writes = bonitaCatalogue.operations.filter((operation) => operation.replay !== 'read');
		expect(writes.map((operation) => `${operation.resource}.${operation.operation}:${operation.replay}`)).to.have.members([
			'case.start:nonIdempotent',
			'case.updateVariable:idempotent',
			'task.assign:idempotent',
			'task.unassign:idempotent',
			'task.execute:nonIdempotent',
			'document.upload:nonIdempotent',
			'message.send:nonIdempotent',
		]);
	});

	it('builds each call where the notes put it: the process filter key is processId, the document key caseId, execute assigns by default', async () => {
		const context = { currentUser: '4' };
		const request = async (operation: Operation, given: Record<string, unknown>): Promise<OperationRequest> => operation.request(await checkValues(operation, given, noFiles), context);
		expect(await request(find('task', 'getMany'), { processId: '77', scope: 'availableToMe' })).to.deep.include({
			path: 'API/bpm/humanTask',
			query: [['o', 'priority DESC'], ['f', 'user_id=4'], ['f', 'processId=77']],
		});
		expect((await request(find('task', 'getMany'), { scope: 'unassigned' })).query).to.deep.include.members([['f', 'user_id=4'], ['f', 'assigned_id=']]);
		expect(await request(find('task', 'execute'), { taskId: '12', contractInputs: {} })).to.deep.include({ method: 'POST', path: 'API/bpm/userTask/12/execution', query: [['assign', 'true']] });
		expect((await request(find('task', 'execute'), { taskId: '12', assign: false })).query).to.deep.equal([]);
		expect(await request(find('case', 'getMany'), { archived: true, processId: '9' })).to.deep.include({ path: 'API/bpm/archivedCase', query: [['o', 'id DESC'], ['f', 'processDefinitionId=9']] });
		expect((await request(find('businessData', 'query'), { className: 'com.acme.Invoice', queryName: 'findByStatus', queryParameters: '{"status":"open","ids":["a b","c"]}' })).query).to.deep.equal([
			['q', 'findByStatus'],
			['f', 'status=open'],
			['f', "ids='a b','c'"],
		]);
		expect(await request(find('case', 'updateVariable'), { caseId: '3', variableName: 'amount', variableType: 'Long', value: '12' })).to.deep.include({
			method: 'PUT',
			path: 'API/bpm/caseVariable/3/amount',
			json: { type: 'java.lang.Long', value: '12' },
		});
	});

	it('refuses bad input with an error naming the parameter', async () => {
		expect(await refusal(() => checkValues(find('task', 'get'), {}, noFiles))).to.include({ field: 'taskId', message: 'Task is required' });
		expect(await refusal(() => checkValues(find('task', 'get'), { taskId: '../case/1' }, noFiles))).to.include({ field: 'taskId' });
		expect(await refusal(() => checkValues(find('task', 'getMany'), { scope: 'everyone' }, noFiles))).to.include({ field: 'scope' });
		expect(await refusal(() => checkValues(find('businessData', 'query'), { className: 'x.Y', queryParameters: '{oops' }, noFiles))).to.include({ field: 'queryParameters' });
		// A parameter the dialog hides is neither required nor read.
		expect(await checkValues(find('task', 'assign'), { taskId: '5', assignee: 'me', userId: '' }, noFiles)).to.deep.equal({ taskId: '5', assignee: 'me', takeOver: false });
		expect(await refusal(() => checkValues(find('task', 'assign'), { taskId: '5', assignee: 'user' }, noFiles))).to.include({ field: 'userId' });
	});

	it('counts as ambiguous only a call that was sent and got no clear answer', () => {
		const error = (detail: Partial<BpmError>): BpmError => ({ kind: 'http', message: '', attempts: 1, elapsedMs: 0, ...detail });
		expect(isAmbiguous(error({ kind: 'timeout' }))).to.equal(true);
		expect(isAmbiguous(error({ kind: 'network', code: 'ECONNRESET' }))).to.equal(true);
		expect(isAmbiguous(error({ kind: 'network', code: 'ECONNREFUSED' }))).to.equal(false);
		expect(isAmbiguous(error({ status: 502 }))).to.equal(true);
		expect(isAmbiguous(error({ status: 400 }))).to.equal(false);
		expect(isAmbiguous(error({ kind: 'login', status: 503 }))).to.equal(false);
		expect(isAmbiguous(error({ kind: 'tls' }))).to.equal(false);
	});
});

describe('Bonita contract as a form', () => {
	const contract: Contract = {
		inputs: [
			{ name: 'title', type: 'TEXT', multiple: false, description: 'Title' },
			{ name: 'urgent', type: 'BOOLEAN', multiple: false },
			{ name: 'count', type: 'INTEGER', multiple: false },
			{ name: 'ref', type: 'LONG', multiple: false },
			{ name: 'amount', type: 'DECIMAL', multiple: false },
			{ name: 'due', type: 'DATE', multiple: false },
			{ name: 'day', type: 'LOCALDATE', multiple: false },
			{ name: 'at', type: 'LOCALDATETIME', multiple: false },
			{ name: 'when', type: 'OFFSETDATETIME', multiple: false },
			{ name: 'scan', type: 'FILE', multiple: false },
			{ name: 'tags', type: 'TEXT', multiple: true },
			{ name: 'address', type: null, multiple: false, inputs: [{ name: 'city', type: 'TEXT', multiple: false }, { name: 'zip', type: 'INTEGER', multiple: false }] },
		],
		constraints: [
			{ name: 'title', constraintType: 'MANDATORY', inputNames: ['title'], explanation: 'input title is mandatory' },
			{ name: 'positive', constraintType: 'CUSTOM', inputNames: ['amount'], explanation: 'amount must be positive' },
		],
	};
	const uploads: string[] = [];
	const steps: OperationSteps = {
		options: {},
		files: noFiles,
		memo: (_key, compute) => compute(),
		async call(request) {
			uploads.push(`${request.method} ${request.path} ${request.multipart?.file.fileName}`);
			const response: HttpResponse = { status: 200, statusText: 'OK', headers: {}, url: '', body: { kind: 'text', value: JSON.stringify({ filename: 'scan.pdf', tempPath: 'tmp_1.pdf', contentType: 'application/pdf' }) } };
			return response;
		},
	};
	const file: FileSource = { open: () => Readable.from([Buffer.from('%PDF')]), size: 4, fileName: 'scan.pdf', contentType: 'application/pdf' };
	const files = async (reference: unknown) => {
		if (reference !== 'data') throw new Error(`unexpected file ${String(reference)}`);
		return file;
	};

	it('renders each input type as a field, required from the MANDATORY constraint, other constraints as help', () => {
		const fields = contractFields(contract);
		expect(fields.map((field) => `${field.id}:${field.type}${field.required ? '*' : ''}`)).to.deep.equal([
			'title:string*',
			'urgent:boolean',
			'count:number',
			'ref:number',
			'amount:number',
			'due:dateTime',
			'day:date',
			'at:dateTime',
			'when:dateTime',
			'scan:file',
			'tags:list',
			'address:object',
		]);
		expect(fields.find((field) => field.id === 'amount')?.description).to.equal('amount must be positive');
	});

	it('converts the values the way Bonita reads them, and uploads a file before the call', async () => {
		uploads.length = 0;
		const value = await contractValues(
			contract,
			{
				title: 'T',
				urgent: 'true',
				count: '7',
				ref: '9007199254740993',
				amount: '12.5',
				due: '2026-12-04T10:00:00.000Z',
				day: '2026-12-04T10:00:00',
				at: '2026-12-04T10:00:00+01:00',
				when: '2026-12-04T10:00:00+01:00',
				scan: 'data',
				tags: '["a","b"]',
				address: { city: 'Grenoble', zip: '38000' },
			},
			files,
			steps,
		);
		expect(value).to.deep.equal({
			title: 'T',
			urgent: true,
			count: 7,
			ref: '9007199254740993',
			amount: 12.5,
			due: '2026-12-04T10:00:00Z',
			day: '2026-12-04',
			at: '2026-12-04T10:00:00',
			when: '2026-12-04T10:00:00+01:00',
			scan: { filename: 'scan.pdf', tempPath: 'tmp_1.pdf', contentType: 'application/pdf' },
			tags: ['a', 'b'],
			address: { city: 'Grenoble', zip: 38000 },
		});
		expect(uploads).to.deep.equal(['POST API/formFileUpload scan.pdf']);
	});

	it('names the input at fault: a missing required one, a wrong type, an unknown name', async () => {
		expect(await refusal(() => contractValues(contract, {}, files, steps))).to.include({ field: 'contractInputs.title' });
		expect(await refusal(() => contractValues(contract, { title: 'T', count: '7.5' }, files, steps))).to.include({ field: 'contractInputs.count' });
		expect(await refusal(() => contractValues(contract, { title: 'T', when: '2026-12-04T10:00:00' }, files, steps))).to.include({ field: 'contractInputs.when' });
		expect(await refusal(() => contractValues(contract, { title: 'T', address: { zip: 'x' } }, files, steps))).to.include({ field: 'contractInputs.address.zip' });
		expect((await refusal(() => contractValues(contract, { title: 'T', titel: 'typo' }, files, steps))).message).to.match(/no input "titel"/);
	});
});

describe('Replay rules of runOperation (a scripted server)', () => {
	type Script = (request: HttpRequest) => HttpResponse | 'reset';
	const respond = (status: number, body?: unknown): HttpResponse => ({ status, statusText: String(status), headers: {}, url: 'http://bonita.test/x', body: body === undefined ? { kind: 'empty' } : { kind: 'json', value: body } });
	/** Serves the script; a 'reset' is a connection cut after the request was sent. */
	function scripted(script: Script): { connection: Connection; sent: string[] } {
		const sent: string[] = [];
		const connection: Connection = {
			baseUrl: 'http://bonita.test/bonita',
			memo: new Memo(),
			secrets: () => [],
			async send(request) {
				sent.push(`${request.method} ${new URL(request.url).pathname.replace('/bonita/', '')}`);
				const answer = script(request);
				if (answer === 'reset') throw new BpmFailure({ kind: 'network', code: 'ECONNRESET', message: 'socket hang up' });
				return { response: answer, attempts: 1 };
			},
		};
		return { connection, sent };
	}
	const contract = { inputs: [{ name: 'scan', type: 'FILE', multiple: false }], constraints: [] };
	const file = async (): Promise<FileSource> => ({ open: () => Readable.from([Buffer.from('x')]), size: 1, fileName: 'scan.pdf', contentType: 'application/pdf' });

	it('replays an execution the read-back shows still ready, uploading its file again; never a third time', async () => {
		let executions = 0;
		const { connection, sent } = scripted((request) => {
			if (request.url.endsWith('/contract')) return respond(200, contract);
			if (request.url.endsWith('formFileUpload')) return respond(200, { filename: 'scan.pdf', tempPath: `tmp_${sent.length}.pdf` });
			if (request.url.includes('/execution')) return ++executions === 1 ? 'reset' : respond(204);
			return respond(200, { id: '7', state: 'ready' });
		});
		const outcome = await runOperation(connection, bonitaCatalogue, find('task', 'execute'), { values: { taskId: '7', contractInputs: { scan: 'data' } }, files: file });
		expect(outcome.ok && outcome.value.items[0].json).to.deep.equal({ taskId: '7', executed: true });
		expect(sent).to.deep.equal([
			'GET API/bpm/userTask/7/contract',
			'POST API/formFileUpload',
			'POST API/bpm/userTask/7/execution',
			'GET API/bpm/humanTask/7',
			'POST API/formFileUpload',
			'POST API/bpm/userTask/7/execution',
		]);
		const always = scripted((request) => (request.url.includes('/execution') ? 'reset' : request.url.endsWith('/contract') ? respond(200, { inputs: [], constraints: [] }) : respond(200, { id: '7', state: 'ready' })));
		const failed = await runOperation(always.connection, bonitaCatalogue, find('task', 'execute'), { values: { taskId: '7' }, options: { maxAttempts: 5 } });
		expect(!failed.ok && failed.error).to.include({ mayHaveTakenEffect: true });
		expect(always.sent.filter((line) => line.endsWith('/execution'))).to.have.length(2);
	});

	it('retries reads and idempotent writes per the policy, never a start after a 5xx, and a refusal (4xx) never', async () => {
		let reads = 0;
		const read = scripted(() => (++reads < 3 ? respond(503) : respond(200, { id: '1' })));
		expect((await runOperation(read.connection, bonitaCatalogue, find('process', 'get'), { values: { processId: '1' }, options: { maxAttempts: 3, retryDelayMs: 0 } })).ok).to.equal(true);
		expect(read.sent).to.have.length(3);
		const start = scripted((request) => (request.url.endsWith('/contract') ? respond(200, { inputs: [], constraints: [] }) : respond(503)));
		const failed = await runOperation(start.connection, bonitaCatalogue, find('case', 'start'), { values: { processId: '1' }, options: { maxAttempts: 3, retryDelayMs: 0 } });
		expect(!failed.ok && failed.error).to.include({ status: 503, mayHaveTakenEffect: true });
		expect(start.sent.filter((line) => line.endsWith('/instantiation'))).to.have.length(1);
		const refused = scripted((request) => (request.url.endsWith('/contract') ? respond(200, { inputs: [], constraints: [] }) : respond(400, { explanations: ['no'] })));
		const refusedOutcome = await runOperation(refused.connection, bonitaCatalogue, find('case', 'start'), { values: { processId: '1' }, options: { maxAttempts: 3 } });
		expect(!refusedOutcome.ok && refusedOutcome.error.mayHaveTakenEffect).to.equal(undefined);
	});
});
