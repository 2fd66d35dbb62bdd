import { expect } from 'chai';
import http from 'node:http';
import { createTransport, inputError, listOptions, plainConnection, runOperation, type Catalogue, type Connection, type HttpRequest, type HttpResponse, type Operation } from '../../core';
import { jsonArrayItems } from '../../core/http/json-array-items';
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

describe('A long JSON array read as it arrives (Funnelback all-results.json)', () => {
	const sample = [{ title: 'Ünïcode “quotes” \\ and \"escapes\"', n: [1, { deep: ']' }] }, 'text, with [brackets]', 42, -1.5e3, true, null, { empty: {} }, []];
	const read = (chunks: Buffer[], limit = Infinity) => {
		const sink = jsonArrayItems(limit);
		sink.start();
		let more = true;
		for (const chunk of chunks) if (more) more = sink.write(chunk);
		if (more) sink.end();
		return { items: sink.items(), problem: sink.problem() };
	};

	it('reads every element whatever the chunk boundaries, multi-byte characters split included', () => {
		const bytes = Buffer.from(` [ ${sample.map((item) => JSON.stringify(item, null, 1)).join(' ,\n')} ] `);
		for (let cut = 1; cut < bytes.length; cut++) {
			expect(read([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at ${cut}`).to.deep.equal({ items: sample, problem: undefined });
		}
		expect(read([...bytes].map((byte) => Buffer.from([byte])))).to.deep.equal({ items: sample, problem: undefined });
	});

	it('stops at the limit, and names what is wrong with a body that is not a whole array', () => {
		expect(read([Buffer.from(JSON.stringify(sample))], 3).items).to.deep.equal(sample.slice(0, 3));
		expect(read([Buffer.from('{"results": []}')]).problem).to.equal('The answer is not a JSON array');
		expect(read([Buffer.from('[{"a":1},{"b":')]).problem).to.equal('The answer ended before its array closed');
		expect(read([Buffer.from('[{"a":1},tru]')]).problem).to.equal('Element 2 of the answer is not JSON');
	});

	it('runs a streamed operation over HTTP: Limit closes the connection early, Return All reads all', async () => {
		let written = 0;
		let closedEarly = false;
		const server = http.createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			let index = 0;
			res.write('[');
			const next = () => {
				if (res.destroyed) return;
				if (index === 2000) return void res.end(']');
				const batch = Array.from({ length: 100 }, () => JSON.stringify({ rank: ++index, title: `Result ${index}` })).join(',');
				written = index;
				res.write(index > 100 ? `,${batch}` : batch, () => setImmediate(next));
			};
			res.on('close', () => (closedEarly = index < 2000));
			next();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		try {
			const operation: Operation = { resource: 'search', operation: 'all', name: 'All Results', action: 'Get all results', description: 'x', parameters: [], request: () => ({ method: 'GET', path: 'all.json' }), streamed: true, replay: 'read', output: { kind: 'list', simplify: ['title'] } };
			const catalogue: Catalogue = { vendor: 'test', displayName: 'Test', summary: 'x', resources: [], operations: [operation], lists: {}, forms: {} };
			const connection: Connection = plainConnection(createTransport());
			const limited = await runOperation({ ...connection, baseUrl: `http://127.0.0.1:${port}` }, catalogue, operation, { values: {}, paging: { limit: 150 } });
			expect(limited.ok && limited.value.items.map((item) => item.json)).to.deep.equal(Array.from({ length: 150 }, (_, i) => ({ title: `Result ${i + 1}` })));
			await until(() => closedEarly);
			expect(written, 'the server was cut off long before the end').to.be.below(2000);
			const all = await runOperation({ ...connection, baseUrl: `http://127.0.0.1:${port}` }, catalogue, operation, { values: {}, paging: { returnAll: true }, simplify: false });
			expect(all.ok && all.value.items.length).to.equal(2000);
			expect(all.ok && all.value.items[1999].json).to.deep.equal({ rank: 2000, title: 'Result 2000' });
		} finally {
			server.close();
		}
	});
});

async function until(condition: () => boolean): Promise<void> {
	for (let waited = 0; !condition(); waited += 10) {
		if (waited > 5000) throw new Error('timed out');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}
