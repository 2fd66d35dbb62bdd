import { expect } from 'chai';
import { inputError, listOptions, runOperation, type Catalogue, type Connection, type HttpRequest, type HttpResponse, type Operation } from '../../core';
import { Memo } from '../../core/sessions/memo';

/**
 * What the operations layer offers every vendor beyond Bonita's needs, on a made-up catalogue and a scripted
 * server: lists that depend on another parameter or that the user configures, a vendor's words for its own
 * failures and for an empty list, files inside JSON answers, bodies sent as given, and the page size for an API
 * that takes it in the body.
 */
describe('Operations layer: what the other vendors need', () => {
	const json = (status: number, value: unknown): HttpResponse => ({ status, statusText: String(status), headers: {}, url: 'http://vendor.test/x', body: { kind: 'json', value } });
	function scripted(answer: (request: HttpRequest) => HttpResponse, configuredLists?: Record<string, string[]>): { connection: Connection; sent: HttpRequest[] } {
		const sent: HttpRequest[] = [];
		const connection: Connection = {
			baseUrl: 'http://vendor.test/api',
			memo: new Memo(),
			secrets: () => [],
			configuredLists,
			async send(request) {
				sent.push(request);
				return { response: answer(request), attempts: 1 };
			},
		};
		return { connection, sent };
	}
	const base = { name: 'X', action: 'Do x', description: 'x', replay: 'read' as const, output: { kind: 'object' as const } };
	const operations: Operation[] = [
		{
			...base,
			resource: 'task',
			operation: 'claim',
			parameters: [{ name: 'taskId', displayName: 'Task', description: 'the task', type: 'string', required: true }],
			request: (values) => ({ method: 'POST', path: `tasks/${String(values.taskId)}/claim` }),
			replay: 'idempotent',
			explainFailure: (error, values) => (error.status === 409 ? { ...error, field: 'taskId', message: `Task ${String(values.taskId)} was claimed by someone else` } : undefined),
		},
		{
			...base,
			resource: 'task',
			operation: 'getMany',
			parameters: [{ name: 'model', displayName: 'Model', description: 'the process', type: 'string' }],
			request: (values, context) => ({ method: 'PUT', path: 'tasks', query: values.model ? [['model', String(values.model)]] : [], json: { size: context.pageSize } }),
			paging: { kind: 'offset', offsetParameter: 'offset', itemsPath: 'items' },
			output: { kind: 'list' },
			async explainEmpty(values) {
				if (values.model === 'Nope') throw inputError('model', 'No process "Nope": the filter matched nothing');
			},
		},
		{
			...base,
			resource: 'record',
			operation: 'publication',
			parameters: [],
			request: () => ({ method: 'GET', path: 'publication' }),
			output: { kind: 'file', decode: (body) => ({ data: Buffer.from((body as { content: string }).content, 'base64'), fileName: 'report.pdf', contentType: (body as { mime: string }).mime }) },
		},
		{
			...base,
			resource: 'document',
			operation: 'push',
			parameters: [],
			request: () => ({ method: 'PUT', path: 'documents', query: [['key', 'http://a/']], headers: [['X-Meta-Title', 'Hello']], content: { text: '<p>hi</p>', contentType: 'text/html' } }),
			replay: 'idempotent',
		},
		{
			...base,
			resource: 'document',
			operation: 'setData',
			parameters: [],
			request: () => ({ method: 'POST', path: 'task/1', form: [['params', '{"a":1}']], headers: [['X-Method-Override', 'PUT']] }),
			replay: 'idempotent',
		},
	];
	const catalogue: Catalogue = {
		vendor: 'test',
		displayName: 'Test',
		summary: 'test',
		resources: [],
		operations,
		lists: {
			actions: { dependsOn: ['object'], request: (filter, _context, values) => ({ method: 'GET', path: `objects/${values.object}/actions`, query: [['q', filter]] }), paging: { kind: 'pageIndex', pageParameter: 'page', firstPage: 0 }, option: (item) => ({ name: String(item.name), value: String(item.name) }) },
			collections: { configured: 'collections' },
		},
		forms: {},
	};
	const find = (resource: string, operation: string) => operations.find((entry) => entry.resource === resource && entry.operation === operation)!;

	it('asks a dependent list for the values it depends on, and refuses it without them, naming the parameter', async () => {
		const { connection, sent } = scripted(() => json(200, [{ name: 'approve' }, { name: 'reject' }]));
		const missing = await listOptions(connection, catalogue, 'actions', { filter: 'a' });
		expect(!missing.ok && missing.error).to.include({ kind: 'input', field: 'object' });
		expect(sent).to.have.length(0);
		const listed = await listOptions(connection, catalogue, 'actions', { filter: 'a', values: { object: 'Order' } });
		expect(listed.ok && listed.value.options.map((option) => option.value)).to.deep.equal(['approve', 'reject']);
		expect(sent.map((request) => new URL(request.url).pathname + new URL(request.url).search)).to.deep.equal(['/api/objects/Order/actions?q=a&page=0']);
	});

	it('lists the names the user configured, filtered by the text typed, without a call', async () => {
		const { connection, sent } = scripted(() => json(500, {}), { collections: ['client~sp-intranet', 'client~sp-docs', 'other~push'] });
		const all = await listOptions(connection, catalogue, 'collections', {});
		expect(all.ok && all.value.options.map((option) => option.value)).to.deep.equal(['client~sp-intranet', 'client~sp-docs', 'other~push']);
		const filtered = await listOptions(connection, catalogue, 'collections', { filter: 'SP-' });
		expect(filtered.ok && filtered.value.options.map((option) => option.value)).to.deep.equal(['client~sp-intranet', 'client~sp-docs']);
		expect(sent).to.have.length(0);
	});

	it("puts the operation's own words on its failure, keeping the status", async () => {
		const { connection } = scripted(() => json(409, { message: 'conflict' }));
		const outcome = await runOperation(connection, catalogue, find('task', 'claim'), { values: { taskId: '42' } });
		expect(!outcome.ok && outcome.error).to.include({ status: 409, field: 'taskId', message: 'Task 42 was claimed by someone else' });
	});

	it('says which identifier matched nothing when a list comes back empty, and gives the page size to a body that carries it', async () => {
		const { connection, sent } = scripted(() => json(200, { items: [] }));
		const unknown = await runOperation(connection, catalogue, find('task', 'getMany'), { values: { model: 'Nope' }, paging: { limit: 7 } });
		expect(!unknown.ok && unknown.error).to.include({ kind: 'input', field: 'model' });
		expect(sent[0].body).to.deep.equal({ kind: 'json', value: { size: 7 } });
		const genuine = await runOperation(connection, catalogue, find('task', 'getMany'), { values: { model: 'Hiring' }, paging: { returnAll: true } });
		expect(genuine.ok && genuine.value.items).to.deep.equal([]);
		expect(sent[1].body).to.deep.equal({ kind: 'json', value: { size: 100 } });
	});

	it('reads a file sent inside a JSON answer', async () => {
		const { connection } = scripted(() => json(200, { mime: 'application/pdf', content: Buffer.from('%PDF-1.7').toString('base64') }));
		const outcome = await runOperation(connection, catalogue, find('record', 'publication'), { values: {} });
		const [item] = outcome.ok ? outcome.value.items : [];
		expect(item.json).to.deep.equal({ fileName: 'report.pdf', contentType: 'application/pdf', size: 8 });
		expect(item.file?.data.toString()).to.equal('%PDF-1.7');
	});

	it('sends a body as given with its headers, and a form body', async () => {
		const { connection, sent } = scripted(() => json(200, {}));
		await runOperation(connection, catalogue, find('document', 'push'), { values: {} });
		await runOperation(connection, catalogue, find('document', 'setData'), { values: {} });
		const [push, form] = sent;
		expect(push.method).to.equal('PUT');
		expect(push.headers['X-Meta-Title'] ?? push.headers['x-meta-title']).to.equal('Hello');
		expect(push.body).to.deep.include({ kind: 'raw' });
		expect(String((push.body as { data: string }).data)).to.equal('<p>hi</p>');
		expect((push.body as { contentType: string }).contentType).to.match(/^text\/html/);
		expect(form.body).to.deep.equal({ kind: 'form', fields: [['params', '{"a":1}']] });
		expect(form.headers['X-Method-Override'] ?? form.headers['x-method-override']).to.equal('PUT');
	});
});
