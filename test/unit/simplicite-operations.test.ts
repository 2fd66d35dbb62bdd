import { expect } from 'chai';
import { operationCalls } from '../support/operation-calls';
import {
	createSchemeSession,
	fileFromBuffer,
	formFields,
	listOptions,
	runOperation,
	sessionConnection,
	simplicite,
	type Connection,
	type Session,
} from '../../core';
import { simpliciteCatalogue } from '../../core/catalogues/simplicite';
import { fieldsFromMetadata } from '../../core/catalogues/simplicite/metadata-fields';
import { customEntries, fieldsFromOpenApi } from '../../core/catalogues/simplicite/openapi-document';
import { publicationFile } from '../../core/catalogues/simplicite/publication-file';
import { startSimpliciteSimulator, type SimpliciteSimulator } from '../simulators/simplicite';

const PASSWORD = 'simplicite-op-secret';
const RETRY = { maxAttempts: 3, retryDelayMs: 1 };

describe('Simplicité operations on the simulator (runOperation)', function () {
	this.timeout(20000);
	let simulator: SimpliciteSimulator;
	let session: Session;
	let connection: Connection;

	const { operation, value, json, failure } = operationCalls(simpliciteCatalogue, () => connection);
	const connect = (username: string) => {
		const opened = createSchemeSession(simplicite, { url: simulator.url, username, password: PASSWORD });
		return { opened, connection: sessionConnection(opened) };
	};
	const calls = (match: RegExp) => simulator.requests.filter((request) => match.test(decodeURIComponent(request.url)));

	before(async () => {
		simulator = await startSimpliciteSimulator({ contextPath: '/demo', users: { designer: PASSWORD, sales: PASSWORD } });
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		simulator.configure({ pageSize: 50, countAnswer: 'object', serveMetadata: true });
		simulator.requests.length = 0;
		({ opened: session, connection } = connect('designer'));
	});
	afterEach(() => session.close());
	after(() => simulator.close());

	describe('search and count', () => {
		it('searches with field filters, the % wildcard and a linked record\'s field; every value comes as text', async () => {
			const found = await json('object', 'search', { object: 'DemoProduct', filters: { demoPrdName: '%Laptop%', demoPrdSupId__demoSupCode: 'BIM' } });
			expect(found.map((record) => record.demoPrdReference)).to.deep.equal(['REF005']);
			expect(found[0]).to.include({ row_id: '5', demoPrdStock: '7', demoPrdSupId__demoSupName: 'BIM Computers Ltd.' });
			const unavailable = await json('object', 'search', { object: 'DemoProduct', filters: { demoPrdAvailable: false } });
			expect(unavailable.map((record) => record.demoPrdReference)).to.deep.equal(['REF003']);
			expect(await json('object', 'search', { object: 'DemoProduct', filters: { demoPrdType: 'CAR' } })).to.deep.equal([]);
		});

		it('reads every page of the size the server sets with Return All, in order, and stops early at the Limit', async () => {
			simulator.configure({ pageSize: 3 });
			simulator.bulkCreate('DemoClient', 10);
			const all = await value('object', 'search', { values: { object: 'DemoClient' }, paging: { returnAll: true } });
			expect(all.items.map((item) => item.json.row_id)).to.deep.equal(Array.from({ length: 13 }, (_, i) => String(i + 1)));
			expect(all.pages).to.equal(5);
			expect(calls(/\/api\/rest\/DemoClient\?/).map((request) => new URL(request.url, simulator.origin).searchParams.get('_page'))).to.deep.equal(['0', '1', '2', '3', '4']);
			simulator.requests.length = 0;
			const limited = await value('object', 'search', { values: { object: 'DemoClient' }, paging: { limit: 4 } });
			expect(limited.items.map((item) => item.json.row_id)).to.deep.equal(['1', '2', '3', '4']);
			expect(limited.pages).to.equal(2);
			// No size parameter: the server sets it.
			expect(calls(/\/api\/rest\/DemoClient\?/).every((request) => [...new URL(request.url, simulator.origin).searchParams.keys()].join() === '_page')).to.equal(true);
		});

		it('counts with filters, whether the server answers {"count": n} or a bare number', async () => {
			expect(await json('object', 'count', { object: 'DemoProduct', filters: { demoPrdType: 'LAPTOP' } })).to.deep.equal([{ count: 2 }]);
			simulator.configure({ countAnswer: 'number' });
			expect(await json('object', 'count', { object: 'DemoProduct' })).to.deep.equal([{ count: 5 }]);
			expect(calls(/_count=true/)).to.have.length(2);
		});

		it('refuses a filter on a field the object lacks, by name, before counting', async () => {
			const error = await failure('object', 'count', { values: { object: 'DemoProduct', filters: { demoPrdColour: 'red' } } });
			expect(error).to.include({ kind: 'input', field: 'filters.demoPrdColour' });
			expect(error.message).to.match(/DemoProduct has no field "demoPrdColour".*demoPrdName/);
			expect(calls(/_count/)).to.have.length(0);
		});

		it('names the object when the server does not know it or refuses it, in Simplicité\'s own words', async () => {
			const unknown = await failure('object', 'search', { values: { object: 'NoSuchObject' } });
			expect(unknown).to.include({ kind: 'http', status: 404, field: 'object' });
			expect(unknown.message).to.equal('Simplicité has no business object "NoSuchObject" that this user can see (404): Unknown object NoSuchObject');
			const forbidden = await failure('object', 'count', { values: { object: 'DemoOrder' } });
			expect(forbidden).to.include({ status: 403, field: 'object' });
			expect(forbidden.message).to.equal('This user may not use the business object "DemoOrder" (403): Object DemoOrder is not granted to user designer');
		});
	});

	describe('get, create, update and delete', () => {
		it('gets a record; a missing row ID is named as such, an unknown object as the object', async () => {
			expect((await json('object', 'get', { object: 'DemoClient', rowId: '2' }))[0]).to.include({ row_id: '2', demoCliCode: 'CLI002', demoCliLastname: 'Martin' });
			const missing = await failure('object', 'get', { values: { object: 'DemoClient', rowId: '999' } });
			expect(missing).to.include({ kind: 'http', status: 404, field: 'rowId', message: 'DemoClient has no record with row ID 999' });
			const unknown = await failure('object', 'get', { values: { object: 'DemoClients', rowId: '2' } });
			expect(unknown).to.include({ status: 404, field: 'object' });
			expect(unknown.message).to.match(/no business object "DemoClients".*Unknown object DemoClients/);
		});

		it('creates a record from typed form values: numbers, booleans, dates, a document inline, a link; outputs it with its row ID', async () => {
			const brochure = Buffer.from('%PDF-1.7 brochure\n');
			const files = async (reference: unknown) => {
				expect(reference).to.equal('brochure');
				return fileFromBuffer(brochure, 'brochure.pdf', 'application/pdf');
			};
			const fields = { demoPrdSupId: '2', demoPrdReference: 'REF100', demoPrdName: 'Dock', demoPrdType: 'OTHER', demoPrdPrice: 19.9, demoPrdStock: 3, demoPrdAvailable: false, demoPrdBrochure: 'brochure' };
			const [created] = await json('object', 'create', { object: 'DemoProduct', fields }, { files });
			expect(created).to.include({ row_id: '6', demoPrdReference: 'REF100', demoPrdPrice: '19.9', demoPrdStock: '3', demoPrdAvailable: '0', demoPrdSupId__demoSupCode: 'LLED' });
			expect(simulator.operations.recordsCreated).to.equal(1);
			const inline = await runOperation(connection, simpliciteCatalogue, { ...operation('object', 'get'), request: (values) => ({ method: 'GET', path: `api/rest/DemoProduct/${String(values.rowId)}`, query: [['_inline_documents', 'true']] }) }, { values: { object: 'DemoProduct', rowId: '6' } });
			expect(inline.ok && inline.value.items[0].json.demoPrdBrochure).to.deep.include({ name: 'brochure.pdf', mime: 'application/pdf', content: brochure.toString('base64') });
			const [client] = await json('object', 'create', { object: 'DemoClient', fields: { demoCliCode: 'CLI100', demoCliLastname: 'Lovelace', demoCliSince: '2026-01-15', demoCliLastContact: '2026-03-01T09:30:00.000+01:00' } });
			expect(client).to.include({ demoCliSince: '2026-01-15', demoCliLastContact: '2026-03-01 09:30:00' });
		});

		it('refuses bad form values by field name before any call that writes', async () => {
			const cases: Array<[Record<string, unknown>, string, RegExp]> = [
				[{ demoPrdName: 'No reference', demoPrdSupId: '1' }, 'fields.demoPrdReference', /Reference \(demoPrdReference\) is required to create a DemoProduct record/],
				[{ demoPrdReference: 'R1', demoPrdName: 'x', demoPrdSupId: '1', demoPrdStock: 'many' }, 'fields.demoPrdStock', /must be a whole number, not "many"/],
				[{ demoPrdReference: 'R2', demoPrdName: 'x', demoPrdSupId: '1', demoPrdType: 'CAR' }, 'fields.demoPrdType', /must be one of LAPTOP, TABLET, PHONE, OTHER, not "CAR"/],
				[{ demoPrdReference: 'R3', demoPrdName: 'x', demoPrdSupId: '1', demoPrdColour: 'red' }, 'fields.demoPrdColour', /DemoProduct has no field "demoPrdColour" to write/],
				[{ demoPrdReference: 'R4', demoPrdName: 'x', demoPrdSupId: '1', demoPrdSupId__demoSupCode: 'BIM' }, 'fields.demoPrdSupId__demoSupCode', /field of a linked record: set the link demoPrdSupId instead/],
				[{ demoPrdReference: 'R5', demoPrdName: 'x', demoPrdSupId: '1', demoPrdAvailable: 'maybe' }, 'fields.demoPrdAvailable', /must be true or false/],
			];
			for (const [fields, field, message] of cases) {
				const error = await failure('object', 'create', { values: { object: 'DemoProduct', fields } });
				expect(error, field).to.include({ kind: 'input', field });
				expect(error.message, field).to.match(message);
			}
			expect(calls(/^.*\/api\/rest\/DemoProduct$/).filter((request) => request.method === 'POST')).to.have.length(0);
			expect(simulator.operations.recordsCreated).to.equal(0);
		});

		it("shows Simplicité's refusal of a record (400) on the fields", async () => {
			const error = await failure('object', 'create', { values: { object: 'DemoProduct', fields: { demoPrdReference: 'REF001', demoPrdName: 'Twin', demoPrdSupId: '1' } } });
			expect(error).to.include({ kind: 'http', status: 400, field: 'fields' });
			expect(error.message).to.equal('Simplicité refused to create the record (400): Field "Reference" (demoPrdReference): value "REF001" already exists');
		});

		it('never creates twice when the answer is lost: the error says which search finds the record', async () => {
			simulator.dropAfterProcessing('create');
			const error = await failure('object', 'create', { values: { object: 'DemoClient', fields: { demoCliCode: 'CLI200', demoCliLastname: 'Hopper' } }, options: RETRY });
			expect(error.mayHaveTakenEffect).to.equal(true);
			expect(error.message).to.match(/A DemoClient record may have been created: search DemoClient \(Business Object → Search\) with the filters demoCliCode=CLI200, demoCliLastname=Hopper before creating it again$/);
			expect(simulator.operations.recordsCreated).to.equal(1);
			expect(calls(/\/api\/rest\/DemoClient$/).filter((request) => request.method === 'POST')).to.have.length(1);
		});

		it('updates only the given fields, and is repeated safely when the answer is lost', async () => {
			const [updated] = await json('object', 'update', { object: 'DemoClient', rowId: '1', fields: { demoCliCity: 'Grenoble' } });
			expect(updated).to.include({ row_id: '1', demoCliCity: 'Grenoble', demoCliLastname: 'Dupont' });
			simulator.dropAfterProcessing('update');
			const [again] = await json('object', 'update', { object: 'DemoClient', rowId: '1', fields: { demoCliCity: 'Annecy', demoCliEmail: null } }, { options: RETRY });
			expect(again).to.include({ demoCliCity: 'Annecy', demoCliEmail: '' });
			expect(simulator.operations.recordsUpdated).to.equal(3);
		});

		it('refuses an update of a field fixed at creation or of nothing, and names a missing row ID', async () => {
			const fixed = await failure('object', 'update', { values: { object: 'DemoProduct', rowId: '1', fields: { demoPrdReference: 'REF999' } } });
			expect(fixed).to.include({ kind: 'input', field: 'fields.demoPrdReference' });
			expect(fixed.message).to.match(/cannot be changed once the record exists/);
			expect(await failure('object', 'update', { values: { object: 'DemoProduct', rowId: '1', fields: {} } })).to.include({ kind: 'input', field: 'fields' });
			expect(await failure('object', 'update', { values: { object: 'DemoProduct', rowId: '77', fields: { demoPrdStock: 1 } } })).to.include({ status: 404, field: 'rowId' });
			expect(simulator.operations.recordsUpdated).to.equal(0);
		});

		it('deletes once: a repeat, or a retry after a lost answer, finds it gone and says so; an unknown object still fails', async () => {
			expect(await json('object', 'delete', { object: 'DemoClient', rowId: '3' })).to.deep.equal([{ deleted: true }]);
			expect(await json('object', 'delete', { object: 'DemoClient', rowId: '3' })).to.deep.equal([{ deleted: true, alreadyDeleted: true }]);
			simulator.dropAfterProcessing('delete');
			expect(await json('object', 'delete', { object: 'DemoClient', rowId: '2' }, { options: RETRY })).to.deep.equal([{ deleted: true, alreadyDeleted: true }]);
			expect(simulator.operations.recordsDeleted).to.equal(2);
			expect(await failure('object', 'delete', { values: { object: 'NoSuchObject', rowId: '2' } })).to.include({ status: 404, field: 'object' });
		});
	});

	describe('custom actions and publications', () => {
		it('runs a record action and a global one on the records the filters select, outputting {result}', async () => {
			expect(await json('object', 'runAction', { object: 'DemoProduct', action: 'DemoIncrementStock', rowId: '1' })).to.deep.equal([{ result: 'Stock incremented to 13' }]);
			expect(await json('object', 'runAction', { object: 'DemoProduct', action: 'DemoRestock', filters: { demoPrdType: 'PHONE' } })).to.deep.equal([{ result: 'Restocked 1 product(s)' }]);
			expect((await json('object', 'get', { object: 'DemoProduct', rowId: '3' }))[0]).to.include({ demoPrdStock: '10' });
			expect(calls(/\/DemoProduct\/action:DemoRestock\?demoPrdType=PHONE$/)).to.have.length(1);
			expect(simulator.operations.actionsRun).to.equal(2);
		});

		it('never runs an action twice when the answer is lost, even with retries on', async () => {
			simulator.dropAfterProcessing('action');
			const error = await failure('object', 'runAction', { values: { object: 'DemoProduct', action: 'DemoIncrementStock', rowId: '2' }, options: RETRY });
			expect(error.mayHaveTakenEffect).to.equal(true);
			expect(error.message).to.match(/The action DemoIncrementStock may have run: check DemoProduct record 2 \(Business Object → Get\) before running it again$/);
			expect(simulator.operations.actionsRun).to.equal(1);
		});

		it('tells an unknown action from an unknown record, and refuses an unknown filter of a global action', async () => {
			const action = await failure('object', 'runAction', { values: { object: 'DemoProduct', action: 'DemoNope', rowId: '1' } });
			expect(action).to.include({ status: 404, field: 'action', message: 'The business object DemoProduct has no action "DemoNope"' });
			const record = await failure('object', 'runAction', { values: { object: 'DemoProduct', action: 'DemoIncrementStock', rowId: '99' } });
			expect(record).to.include({ status: 404, field: 'rowId' });
			const filter = await failure('object', 'runAction', { values: { object: 'DemoProduct', action: 'DemoRestock', filters: { demoPrdKind: 'PHONE' } } });
			expect(filter).to.include({ kind: 'input', field: 'filters.demoPrdKind' });
			const needsRecord = await failure('object', 'runAction', { values: { object: 'DemoProduct', action: 'DemoIncrementStock' } });
			expect(needsRecord).to.include({ status: 400 });
			expect(needsRecord.message).to.equal('Simplicité refused to run the action (400): Action DemoIncrementStock needs a record (row_id)');
			expect(simulator.operations.actionsRun).to.equal(0);
		});

		it('renders publications as files: text as sent, binary from base64, a global one over the filtered records', async () => {
			const card = await value('object', 'getPublication', { values: { object: 'DemoProduct', publication: 'DemoProduct-Card', rowId: '2' } });
			expect(card.items[0].file?.data.toString('utf8')).to.equal('REF002: Tablet Mini (TABLET), 40 in stock');
			expect(card.items[0].json).to.include({ contentType: 'text/plain', size: 41 });
			const pdf = await value('object', 'getPublication', { values: { object: 'DemoProduct', publication: 'DemoProduct-PDF', rowId: '1' } });
			const bytes = pdf.items[0].file!.data;
			expect(bytes.subarray(0, 8).toString('latin1')).to.equal('%PDF-1.4');
			expect([...bytes.subarray(bytes.length - 11, bytes.length - 6)]).to.deep.equal([0xe2, 0xe3, 0xcf, 0xd3, 0x0a]);
			expect(pdf.items[0].json).to.include({ contentType: 'application/pdf' });
			expect(pdf.items[0].file?.fileName).to.match(/\.pdf$/);
			const csv = await value('object', 'getPublication', { values: { object: 'DemoProduct', publication: 'DemoProduct-CSV', filters: { demoPrdType: 'LAPTOP' } } });
			expect(csv.items[0].file?.data.toString('utf8')).to.equal('reference;name;stock\nREF001;Laptop Pro 15;12\nREF005;Laptop Air 13;7');
			const unknown = await failure('object', 'getPublication', { values: { object: 'DemoProduct', publication: 'DemoProduct-XML', rowId: '1' } });
			expect(unknown).to.include({ status: 404, field: 'publication' });
		});
	});

	describe('forms', () => {
		const createOperation = () => operation('object', 'create');

		it('builds the create form from the metadata: typed fields, required ones without a default, no joins; read once per session', async () => {
			const outcome = await formFields(connection, simpliciteCatalogue, createOperation(), 'fields', 'DemoProduct');
			if (!outcome.ok) throw new Error(outcome.error.message);
			const fields = outcome.value;
			expect(fields.filter((field) => field.required).map((field) => field.id)).to.deep.equal(['demoPrdSupId', 'demoPrdReference', 'demoPrdName']);
			const types = Object.fromEntries(fields.map((field) => [field.id, field.type]));
			expect(types).to.deep.equal({
				demoPrdSupId: 'string',
				demoPrdReference: 'string',
				demoPrdName: 'string',
				demoPrdType: 'string',
				demoPrdPrice: 'number',
				demoPrdStock: 'number',
				demoPrdDescription: 'string',
				demoPrdAvailable: 'boolean',
				demoPrdBrochure: 'file',
			});
			expect(fields.find((field) => field.id === 'demoPrdType')?.description).to.equal('One of: LAPTOP (Laptop), TABLET (Tablet), PHONE (Phone), OTHER (Other).');
			expect(fields.find((field) => field.id === 'demoPrdSupId')?.description).to.match(/row ID of the linked record/);
			await json('object', 'create', { object: 'DemoProduct', fields: { demoPrdReference: 'REF300', demoPrdName: 'Pen', demoPrdSupId: '1' } });
			expect(calls(/_metadata=true/)).to.have.length(1);
		});

		it('builds the update form without the fields fixed at creation, none required; the filters form with the joins, as text', async () => {
			const update = await formFields(connection, simpliciteCatalogue, operation('object', 'update'), 'fields', 'DemoProduct');
			expect(update.ok && update.value.map((field) => field.id)).to.not.include('demoPrdReference');
			expect(update.ok && update.value.some((field) => field.required)).to.equal(false);
			const filters = await formFields(connection, simpliciteCatalogue, operation('object', 'search'), 'filters', 'DemoProduct');
			if (!filters.ok) throw new Error(filters.error.message);
			expect(filters.value.map((field) => field.id)).to.include.members(['row_id', 'demoPrdSupId__demoSupCode', 'demoPrdSupId__demoSupName', 'demoPrdName']);
			expect(filters.value.map((field) => field.id)).to.not.include('demoPrdBrochure');
			expect(new Set(filters.value.map((field) => field.type))).to.deep.equal(new Set(['string', 'boolean']));
		});

		it('reads the OpenAPI schema instead where the metadata has no field list', async () => {
			simulator.configure({ serveMetadata: false });
			const outcome = await formFields(connection, simpliciteCatalogue, createOperation(), 'fields', 'DemoClient');
			if (!outcome.ok) throw new Error(outcome.error.message);
			const types = Object.fromEntries(outcome.value.map((field) => [field.id, field.type]));
			expect(types).to.include({ demoCliCode: 'string', demoCliSince: 'date', demoCliLastContact: 'dateTime' });
			expect(types).to.not.have.property('row_id');
			expect(calls(/_doc=true&_output=openapi/)).to.have.length(1);
			const [created] = await json('object', 'create', { object: 'DemoClient', fields: { demoCliCode: 'CLI300', demoCliLastname: 'Turing', demoCliLastContact: '2026-05-04' } });
			expect(created).to.include({ demoCliLastContact: '2026-05-04 00:00:00' });
		});

		it('names the object when its form cannot be read', async () => {
			const outcome = await formFields(connection, simpliciteCatalogue, createOperation(), 'fields', 'NoSuchObject');
			expect(!outcome.ok && outcome.error).to.include({ status: 404 });
		});
	});

	describe('dropdowns', () => {
		it('lists business objects for a designer, filtered on the server, 50 a page', async () => {
			const demo = await listOptions(connection, simpliciteCatalogue, 'objects', { filter: 'Demo' });
			if (!demo.ok) throw new Error(demo.error.message);
			expect(demo.value.options.map((option) => option.value)).to.deep.equal(['DemoSupplier', 'DemoProduct', 'DemoClient', 'DemoOrder']);
			expect(demo.value.options[0]).to.deep.equal({ name: 'DemoSupplier', value: 'DemoSupplier', description: 'Module Demo' });
			expect(calls(/ObjectInternal\?obo_name=%Demo%/)).to.have.length(1);
			simulator.bulkCreate('ObjectInternal', 60, (i) => ({ obo_name: `TestObject${String(i).padStart(2, '0')}` }));
			const first = await listOptions(connection, simpliciteCatalogue, 'objects', { filter: 'TestObject' });
			expect(first.ok && first.value.options).to.have.length(50);
			expect(first.ok && first.value.next).to.equal('1');
			const second = await listOptions(connection, simpliciteCatalogue, 'objects', { filter: 'TestObject', page: '1' });
			expect(second.ok && second.value.options.map((option) => option.value)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `TestObject${51 + i}`));
		});

		it('pages the object list at the size the server sets, to the empty page', async () => {
			simulator.configure({ pageSize: 20 });
			simulator.bulkCreate('ObjectInternal', 30, (i) => ({ obo_name: `TestObject${String(i).padStart(2, '0')}` }));
			const pages: string[][] = [];
			for (let page: string | undefined = '0'; page !== undefined; ) {
				const outcome = await listOptions(connection, simpliciteCatalogue, 'objects', { filter: 'TestObject', page });
				if (!outcome.ok) throw new Error(outcome.error.message);
				pages.push(outcome.value.options.map((option) => option.value));
				page = outcome.value.next;
			}
			expect(pages.map((page) => page.length)).to.deep.equal([20, 10, 0]);
			expect(new Set(pages.flat()).size).to.equal(30);
		});

		it('refuses the object list to a non-designer, who can still run operations on a typed object name', async () => {
			const { opened, connection: sales } = connect('sales');
			try {
				const objects = await listOptions(sales, simpliciteCatalogue, 'objects', {});
				expect(!objects.ok && objects.error).to.include({ status: 403 });
				const count = await runOperation(sales, simpliciteCatalogue, operation('object', 'count'), { values: { object: 'DemoClient' } });
				expect(count.ok && count.value.items[0].json).to.deep.equal({ count: 3 });
			} finally {
				opened.close();
			}
		});

		it('lists the actions and publications of the chosen object from its OpenAPI document, filtered by the text', async () => {
			const actions = await listOptions(connection, simpliciteCatalogue, 'actions', { values: { object: 'DemoProduct' } });
			if (!actions.ok) throw new Error(actions.error.message);
			expect(actions.value.options.map((option) => option.value)).to.deep.equal(['DemoIncrementStock', 'DemoRestock']);
			const restock = await listOptions(connection, simpliciteCatalogue, 'actions', { filter: 'restock', values: { object: 'DemoProduct' } });
			expect(restock.ok && restock.value.options.map((option) => option.value)).to.deep.equal(['DemoRestock']);
			const publications = await listOptions(connection, simpliciteCatalogue, 'publications', { values: { object: 'DemoProduct' } });
			expect(publications.ok && publications.value.options.map((option) => option.value)).to.deep.equal(['DemoProduct-Card', 'DemoProduct-PDF', 'DemoProduct-CSV']);
			expect(await listOptions(connection, simpliciteCatalogue, 'actions', { values: { object: 'DemoClient' } })).to.deep.include({ ok: true });
		});

		it('asks for the object before listing its actions', async () => {
			const outcome = await listOptions(connection, simpliciteCatalogue, 'actions', {});
			expect(!outcome.ok && outcome.error).to.include({ kind: 'input', field: 'object' });
			expect(simulator.requests).to.have.length(0);
		});
	});

	describe('catalogue and readers', () => {
		it('offers every operation once under the object resource, with its replay class; each write that is not idempotent says how to check', () => {
			expect(simpliciteCatalogue.operations.map((entry) => `${entry.resource}.${entry.operation}:${entry.replay}`)).to.deep.equal([
				'object.search:read',
				'object.count:read',
				'object.get:read',
				'object.create:nonIdempotent',
				'object.update:idempotent',
				'object.delete:idempotent',
				'object.runAction:nonIdempotent',
				'object.getPublication:read',
			]);
			for (const entry of simpliciteCatalogue.operations) {
				expect(entry.description.length, entry.operation).to.be.greaterThan(30);
				if (entry.replay === 'nonIdempotent') expect(entry.readBack ?? entry.ambiguousHint, entry.operation).to.not.equal(undefined);
				for (const parameter of entry.parameters) {
					if (parameter.list) expect(simpliciteCatalogue.lists, parameter.name).to.have.property(parameter.list);
					if (parameter.form) expect(simpliciteCatalogue.forms, parameter.name).to.have.property(parameter.form.kind);
				}
			}
		});

		it('reads metadata flags given as text, a default that lifts required, a non-updatable field and a join by its fullinput', () => {
			const fields = fieldsFromMetadata({
				rowidfield: 'row_id',
				fields: [
					{ name: 'row_id', type: 0 },
					{ name: 'code', label: 'Code', type: '3', required: 'true', updatable: 'false' },
					{ name: 'kind', label: 'Kind', type: 7, required: true, defaultValue: 'A', listOfValues: [{ code: 'A', value: 'Alpha' }] },
					{ name: 'supplierId', label: 'Supplier', type: 0 },
					{ name: 'name', fullinput: 'supplierId__name', label: 'Supplier name', type: 3, ref: true },
					{ name: 'price', type: 26 },
				],
			});
			expect(fields?.map((field) => [field.name, field.kind, field.required, field.readOnly, field.fixedAfterCreate])).to.deep.equal([
				['row_id', 'rowId', false, true, false],
				['code', 'text', true, false, true],
				['kind', 'enum', false, false, false],
				['supplierId', 'link', false, false, false],
				['supplierId__name', 'text', false, true, false],
				['price', 'bigDecimal', false, false, false],
			]);
			expect(fieldsFromMetadata([{ row_id: '1' }])).to.equal(undefined);
		});

		it('reads a Swagger 2.0 schema, links by their joins, and the actions of one object only', () => {
			const document = {
				definitions: { Order: { properties: { row_id: { type: 'string' }, clientId: { type: 'string' }, clientId__code: { type: 'string' }, total: { type: 'number' }, day: { type: 'string', format: 'date' } }, required: ['clientId'] } },
				paths: { '/rest/Order/{row_id}/action:Close': { get: { summary: 'Close it' } }, '/rest/OrderLine/{row_id}/action:Split': { get: {} }, '/rest/Order/action:Purge': { get: {} } },
			};
			expect(fieldsFromOpenApi(document, 'Order')?.map((field) => [field.name, field.kind, field.required])).to.deep.equal([
				['row_id', 'rowId', false],
				['clientId', 'link', true],
				['clientId__code', 'text', false],
				['total', 'decimal', false],
				['day', 'date', false],
			]);
			expect(customEntries(document, 'Order', 'action')).to.deep.equal([{ name: 'Close', summary: 'Close it' }, { name: 'Purge' }]);
		});

		it('decodes a publication: base64 under a binary type, text as it is, and text that is not base64 under a binary type', () => {
			expect(publicationFile({ mime: 'application/pdf', content: Buffer.from('%PDF').toString('base64') }, 'Sheet')).to.deep.equal({ data: Buffer.from('%PDF'), contentType: 'application/pdf', fileName: 'Sheet.pdf' });
			expect(publicationFile({ mime: 'text/html; charset=UTF-8', content: '<p>1</p>' }).data.toString()).to.equal('<p>1</p>');
			expect(publicationFile({ mime: 'application/vnd.ms-excel', content: 'a;b\n1;2' }).data.toString()).to.equal('a;b\n1;2');
			expect(() => publicationFile({ mime: 'text/plain' })).to.throw(/no publication/);
		});
	});

	it('logs in once more when the token expires midway, and keeps the password out of every error', async () => {
		await json('object', 'count', { object: 'DemoClient' });
		simulator.expireSessions();
		expect(await json('object', 'count', { object: 'DemoClient' })).to.deep.equal([{ count: 3 }]);
		expect(simulator.stats.logins).to.equal(2);
		const wrong = createSchemeSession(simplicite, { url: simulator.url, username: 'designer', password: `${PASSWORD}-wrong` });
		const outcome = await runOperation(sessionConnection(wrong), simpliciteCatalogue, operation('object', 'get'), { values: { object: 'DemoClient', rowId: '1' } });
		wrong.close();
		expect(!outcome.ok && outcome.error.kind).to.equal('login');
		expect(JSON.stringify(outcome)).not.to.include(PASSWORD);
	});
});
