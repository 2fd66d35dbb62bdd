import { expect } from 'chai';
import { operationCalls } from '../support/operation-calls';
import {
	createSchemeSession,
	fileFromBuffer,
	funnelback,
	listOptions,
	runOperation,
	sessionConnection,
	type Connection,
	type Operation,
	type Session,
} from '../../core';
import { funnelbackCatalogue } from '../../core/catalogues/funnelback';
import { RESULT_FIELDS } from '../../core/catalogues/funnelback/search';
import { startFunnelbackSimulator, type FunnelbackSimulator, type FunnelbackSimulatorOptions } from '../simulators/funnelback';

const PASSWORD = 'fb-op-Secret-7';
const USERS = { admin: { password: PASSWORD, canCreateNonExpiring: true }, searcher: { password: PASSWORD } };
const COLLECTIONS = 'client~sp-docs\nclient~ds-push, acme~sp-intranet';
const RETRY = { maxAttempts: 2, retryDelayMs: 1 };

type Json = Record<string, unknown>;

describe('Funnelback operations on the simulator (runOperation)', function () {
	this.timeout(20000);
	let simulator: FunnelbackSimulator;
	let session: Session;
	let connection: Connection;
	const extra: Array<{ simulator: FunnelbackSimulator; session: Session }> = [];

	const { operation, value, json, failure } = operationCalls(funnelbackCatalogue, () => connection);
	const connect = (on: FunnelbackSimulator, data: Json = { username: 'admin', password: PASSWORD }): Connection => {
		const opened = createSchemeSession(funnelback, { url: on.url, collections: COLLECTIONS, ...data });
		extra.push({ simulator: on, session: opened });
		return sessionConnection(opened);
	};
	const withSimulator = async (options: FunnelbackSimulatorOptions): Promise<Connection> => {
		const started = await startFunnelbackSimulator({ users: USERS, ...options });
		return connect(started);
	};
	const searchRequests = () => simulator.requests.filter((request) => request.path === '/s/search.json');
	const pushRequests = () => simulator.requests.filter((request) => request.path.startsWith('/push-api/'));
	const queryOf = (url: string) => new URL(url, 'http://x').searchParams;

	before(async () => {
		simulator = await startFunnelbackSimulator({ users: USERS });
	});
	beforeEach(() => {
		simulator.resetData();
		simulator.resetStats();
		simulator.requests.length = 0;
		session = createSchemeSession(funnelback, { url: simulator.url, username: 'admin', password: PASSWORD, collections: COLLECTIONS });
		connection = sessionConnection(session);
	});
	afterEach(async () => {
		session.close();
		while (extra.length > 0) {
			const { simulator: other, session: opened } = extra.pop()!;
			opened.close();
			if (other !== simulator) await other.close();
		}
	});
	after(() => simulator.close());

	describe('the catalogue', () => {
		it('has stable keys, a replay class per operation and lists for every dropdown', () => {
			const keys = funnelbackCatalogue.operations.map((op) => `${op.resource}.${op.operation}:${op.replay}`);
			expect(keys).to.deep.equal([
				'search.search:read',
				'search.getResultsPage:read',
				'search.getAllResults:read',
				'document.addOrReplace:idempotent',
				'document.delete:idempotent',
				'document.commit:idempotent',
				'applicationToken.create:idempotent',
				'applicationToken.getMany:read',
				'applicationToken.revoke:idempotent',
			]);
			for (const op of funnelbackCatalogue.operations) {
				expect(funnelbackCatalogue.resources.map((r) => r.value)).to.include(op.resource);
				for (const parameter of op.parameters) if (parameter.list) expect(funnelbackCatalogue.lists, parameter.name).to.have.property(parameter.list);
			}
			expect(funnelbackCatalogue.vendor).to.equal(funnelback.id);
		});

		it('offers the collections the credential lists, filtered, without a call', async () => {
			const all = await listOptions(connection, funnelbackCatalogue, 'collections');
			expect(all.ok && all.value.options.map((option) => option.value)).to.deep.equal(['client~sp-docs', 'client~ds-push', 'acme~sp-intranet']);
			const push = await listOptions(connection, funnelbackCatalogue, 'collections', { filter: ' PUSH ' });
			expect(push.ok && push.value).to.deep.equal({ options: [{ name: 'client~ds-push', value: 'client~ds-push' }] });
			expect(simulator.requests).to.have.length(0);
		});
	});

	describe('Search', () => {
		it('outputs one simplified item per result, or the results as sent', async () => {
			const results = await json('search', 'search', { collection: 'client~sp-docs', query: 'token' });
			expect(results.map((r) => r.title)).to.deep.equal(['API authentication using an API token', ...results.slice(1).map((r) => r.title)]);
			expect(results).to.have.length(4);
			for (const result of results) expect(Object.keys(result)).to.satisfy((keys: string[]) => keys.every((key) => (RESULT_FIELDS as readonly string[]).includes(key)));
			expect(results[0]).to.include({ rank: 1, liveUrl: 'https://docs.example.com/develop/reference-documents/api-token-authentication.html', fileType: 'html' });
			expect((results[0].listMetadata as Json).author).to.deep.equal(['Squiz']);
			const [raw] = await json('search', 'search', { collection: 'client~sp-docs', query: 'token' }, { simplify: false, paging: { limit: 1 } });
			expect(raw).to.include.keys('indexUrl', 'component');
			// Logged in once; the token goes with every search.
			expect(simulator.stats.logins).to.equal(1);
			expect(searchRequests().every((request) => typeof request.headers['x-security-token'] === 'string')).to.equal(true);
		});

		it('pages over start_rank with Return All (pages fetched once the total is known) and stops at the Limit', async () => {
			const all = await value('search', 'search', { values: { collection: 'client~sp-docs', query: '!nullquery' }, paging: { returnAll: true, pageSize: 4 } });
			expect(all.items.map((item) => item.json.rank)).to.deep.equal(Array.from({ length: 15 }, (_, i) => i + 1));
			expect(all.pages).to.equal(4);
			expect(searchRequests().map((request) => queryOf(request.url).get('start_rank')).sort()).to.deep.equal(['1', '13', '5', '9']);
			expect(searchRequests().every((request) => queryOf(request.url).get('num_ranks') === '4')).to.equal(true);
			simulator.requests.length = 0;
			const limited = await value('search', 'search', { values: { collection: 'client~sp-docs', query: '!nullquery' }, paging: { limit: 6, pageSize: 4 } });
			expect(limited.items.map((item) => item.json.rank)).to.deep.equal([1, 2, 3, 4, 5, 6]);
			expect(limited.pages).to.equal(2);
			expect(searchRequests()).to.have.length(2);
		});

		it('filters on facet values given as an object, without the f., or as {parameter, value} pairs', async () => {
			const shapes = [{ 'f.Format|format': 'pdf' }, { 'Format|format': ['pdf'] }, [{ parameter: 'f.Format|format', value: 'pdf' }]];
			for (const facets of shapes) {
				const results = await json('search', 'search', { collection: 'client~sp-docs', query: '!nullquery', facets: JSON.stringify(facets) });
				expect(results.map((r) => r.fileType), JSON.stringify(facets)).to.deep.equal(['pdf', 'pdf', 'pdf']);
			}
			const two = await json('search', 'search', { collection: 'client~sp-docs', query: '!nullquery', facets: { 'f.Author|author': ['Squiz', 'Jordan Lee'] } });
			expect(new Set(two.map((r) => ((r.listMetadata as Json).author as string[])[0]))).to.deep.equal(new Set(['Squiz', 'Jordan Lee']));
		});

		it('sorts by date, title or a metadata class, and sends the profile and additional parameters', async () => {
			const byDate = await json('search', 'search', { collection: 'client~sp-docs', query: '!nullquery', sort: 'date' }, { paging: { returnAll: true } });
			const dates = byDate.map((r) => r.date as number);
			expect(dates).to.deep.equal([...dates].sort((a, b) => b - a));
			const byAuthor = await json('search', 'search', { collection: 'client~sp-docs', query: '!nullquery', sort: 'meta', sortMetadata: 'author' }, { paging: { returnAll: true } });
			const authors = byAuthor.map((r) => ((r.listMetadata as Json).author as string[])[0]);
			expect(authors).to.deep.equal([...authors].sort((a, b) => a.localeCompare(b)));
			const descending = await json('search', 'search', { collection: 'client~sp-docs', query: '!nullquery', sort: 'dmeta', sortMetadata: 'author' }, { paging: { returnAll: true } });
			expect(descending.map((r) => ((r.listMetadata as Json).author as string[])[0])).to.deep.equal([...authors].reverse());
			simulator.requests.length = 0;
			await json('search', 'search', { collection: 'client~sp-docs', query: 'token', profile: '_default_preview', sort: 'dtitle', additionalParameters: { lang: 'en', gscope1: [1, 2] } });
			const sent = queryOf(searchRequests()[0].url);
			expect([sent.get('profile'), sent.get('sort'), sent.get('lang'), sent.getAll('gscope1')]).to.deep.equal(['_default_preview', 'dtitle', 'en', ['1', '2']]);
		});

		it('refuses bad filters, sort classes and parameters by name before any call', async () => {
			const cases: Array<[Json, string]> = [
				[{ facets: { format: 'pdf' } }, 'facets'],
				[{ facets: [{ value: 'pdf' }] }, 'facets'],
				[{ facets: { 'f.Format|format': { nested: true } } }, 'facets'],
				[{ facets: '{not json' }, 'facets'],
				[{ sort: 'meta', sortMetadata: 'au thor' }, 'sortMetadata'],
				[{ sort: 'meta' }, 'sortMetadata'],
				[{ sort: 'random' }, 'sort'],
				[{ additionalParameters: { start_rank: '5' } }, 'additionalParameters'],
				[{ additionalParameters: ['x'] }, 'additionalParameters'],
				[{ query: '  ' }, 'query'],
				[{ collection: '../admin-api' }, 'collection'],
			];
			for (const [values, field] of cases) {
				const error = await failure('search', 'search', { values: { collection: 'client~sp-docs', query: 'token', ...values } });
				expect(error, JSON.stringify(values)).to.include({ kind: 'input', field });
			}
			expect(simulator.stats.apiCalls).to.equal(0);
		});

		it('names the collection when Funnelback answers the error node, in a 200 (read from the page itself) or a 4xx', async () => {
			const error = await failure('search', 'search', { values: { collection: 'client~sp-nope', query: 'token' } });
			expect(error).to.include({ kind: 'input', field: 'collection', status: 200 });
			expect(error.message).to.equal('Page 1: Funnelback has no collection "client~sp-nope" (InvalidCollection): check the search package or data source ID');
			expect(searchRequests()).to.have.length(1);
			// A genuinely empty search is not an error.
			expect(await json('search', 'search', { collection: 'client~sp-docs', query: 'zebra' })).to.deep.equal([]);
			const other = await withSimulator({ unknownCollectionStatus: 404 });
			const refused = await failure('search', 'search', { values: { collection: 'client~sp-nope', query: 'token' } }, other);
			expect(refused).to.include({ kind: 'http', field: 'collection', status: 404 });
			expect(refused.message).to.match(/^Funnelback has no collection "client~sp-nope" \(InvalidCollection\).*\(HTTP 404\)$/);
		});

		it('names the query when Funnelback says it is missing (MissingParameter), in a 200 or a 4xx', async () => {
			// The operation always sends the query: one without it shows how the answer is read.
			const noQuery = (name: string): Operation => ({ ...operation('search', name), request: (values) => ({ method: 'GET', path: 's/search.json', query: [['collection', String(values.collection)]] }) });
			for (const status of [200, 400]) {
				const other = await withSimulator({ missingQuery: 'error', unknownCollectionStatus: status });
				const page = await runOperation(other, funnelbackCatalogue, noQuery('getResultsPage'), { values: { collection: 'client~sp-docs', query: 'x' } });
				expect(!page.ok && page.error, String(status)).to.include({ field: 'query', status });
				expect(!page.ok && page.error.message).to.match(/^Funnelback says the query parameter is missing \(MissingParameter\)/);
			}
		});
	});

	describe('Get Results Page', () => {
		it('outputs one page with its summary, results and facets, each facet value with the filter that selects it', async () => {
			const [page] = await json('search', 'getResultsPage', { collection: 'client~sp-docs', query: '!nullquery', startRank: 1, numRanks: 5 });
			expect(page).to.have.all.keys('collection', 'query', 'queryAsProcessed', 'resultsSummary', 'results', 'facets', 'spell');
			expect(page.resultsSummary).to.include({ totalMatching: 15, currStart: 1, currEnd: 5, nextStart: 6 });
			expect((page.results as Json[]).map((r) => r.rank)).to.deep.equal([1, 2, 3, 4, 5]);
			const facets = page.facets as Array<{ name: string; values: Json[] }>;
			expect(facets.map((facet) => facet.name)).to.deep.equal(['Format', 'Author']);
			const pdf = facets[0].values.find((v) => v.label === 'pdf')!;
			expect(pdf).to.deep.equal({ label: 'pdf', data: 'pdf', count: 3, selected: false, parameter: 'f.Format|format', value: 'pdf' });
			// The facet value's filter, passed on as it is, selects it; a selected value still names its filter.
			const [filtered] = await json('search', 'getResultsPage', { collection: 'client~sp-docs', query: '!nullquery', numRanks: 5, facets: [pdf] });
			expect(filtered.resultsSummary).to.include({ totalMatching: 3, nextStart: null });
			const selected = (filtered.facets as Array<{ values: Json[] }>)[0].values.find((v) => v.label === 'pdf')!;
			expect(selected).to.include({ selected: true, parameter: 'f.Format|format', value: 'pdf' });
			const [last] = await json('search', 'getResultsPage', { collection: 'client~sp-docs', query: '!nullquery', startRank: 11, numRanks: 5 });
			expect(last.resultsSummary).to.include({ currStart: 11, currEnd: 15, nextStart: null });
		});

		it('keeps results and facets as Funnelback sent them when Simplify is off', async () => {
			const [page] = await json('search', 'getResultsPage', { collection: 'client~sp-docs', query: 'facets', numRanks: 2, simplifyOutput: false });
			expect((page.results as Json[])[0]).to.include.keys('indexUrl', 'component');
			const value = ((page.facets as Json[])[0].allValues as Json[])[0];
			expect(value).to.include.keys('toggleUrl', 'constraint', 'parameter', 'value');
		});

		it('names the collection of a 200 answer with the error node', async () => {
			const error = await failure('search', 'getResultsPage', { values: { collection: 'nope', query: 'token' } });
			expect(error).to.include({ kind: 'input', field: 'collection' });
			expect(searchRequests()).to.have.length(1);
		});
	});

	describe('Get All Results', () => {
		it('outputs every result at once, only the fields asked for, facet filters applied', async () => {
			const all = await json('search', 'getAllResults', { collection: 'client~sp-docs', query: '!nullquery' });
			expect(all).to.have.length(15);
			const some = await json('search', 'getAllResults', { collection: 'client~sp-docs', query: 'token', fields: ' title, liveUrl ,' });
			expect(some).to.have.length(4);
			for (const item of some) expect(item).to.have.all.keys('title', 'liveUrl');
			expect(queryOf(simulator.requests.filter((request) => request.path === '/s/all-results.json')[1].url).get('fields')).to.equal('title,liveUrl');
			const pdf = await json('search', 'getAllResults', { collection: 'client~sp-docs', query: '!nullquery', facets: { 'f.Format|format': 'pdf' } });
			expect(pdf.map((r) => r.fileType)).to.deep.equal(['pdf', 'pdf', 'pdf']);
		});

		it('reads no further than the Limit', async () => {
			const outcome = await runOperation(connection, funnelbackCatalogue, operation('search', 'getAllResults'), { values: { collection: 'client~sp-docs', query: '!nullquery' }, paging: { limit: 4 } });
			expect(outcome.ok && outcome.value.items.map((item) => item.json.rank)).to.deep.equal([1, 2, 3, 4]);
		});

		it('names the collection when the export is refused with the error node, in a 4xx or a 200', async () => {
			const error = await failure('search', 'getAllResults', { values: { collection: 'client~sp-nope', query: 'token' } });
			expect(error).to.include({ kind: 'http', field: 'collection', status: 400 });
			const other = await withSimulator({ allResultsErrorStatus: 200 });
			const in200 = await failure('search', 'getAllResults', { values: { collection: 'client~sp-nope', query: 'token' } }, other);
			expect(in200).to.include({ kind: 'input', field: 'collection', status: 200 });
			expect(in200.message).to.match(/^Funnelback has no collection "client~sp-nope"/);
		});
	});

	describe('Document (push API)', () => {
		it('adds a document with its content type and metadata, outputs the canonical key, and it is searchable after Commit', async () => {
			const [stored] = await json('document', 'addOrReplace', {
				collection: 'client~ds-push',
				key: 'https://Example.com#intro',
				content: '<html><head><title>Quokka handbook</title></head><body>Quokkas are small marsupials.</body></html>',
				metadata: { author: 'Jo Tan', keywords: ['animals', 'handbook'], year: 2026 },
			});
			expect(stored).to.deep.equal({ collection: 'client~ds-push', key: 'https://example.com/', submittedKey: 'https://Example.com#intro', stored: true });
			expect(simulator.operations.documentsPushed).to.equal(1);
			const [pushed] = simulator.pushedDocuments;
			expect(pushed).to.include({ collection: 'client~ds-push', key: 'https://example.com/', contentType: 'text/html; charset=UTF-8' });
			expect(pushed.metadata).to.deep.equal({ author: 'Jo Tan', keywords: 'animals|handbook', year: '2026' });
			expect(pushRequests()[0].url).to.equal('/push-api/v2/collections/client~ds-push/documents?key=https%3A%2F%2FExample.com%23intro');
			expect(await json('search', 'search', { collection: 'client~ds-push', query: 'quokka' })).to.deep.equal([]);
			expect(simulator.pendingChanges('client~ds-push')).to.equal(1);
			expect(await json('document', 'commit', { collection: 'client~ds-push' })).to.deep.equal([{ collection: 'client~ds-push', committed: true }]);
			expect(simulator.operations.commits).to.equal(1);
			const found = await json('search', 'search', { collection: 'client~sp-website', query: 'quokka' });
			expect(found.map((r) => [r.title, r.liveUrl])).to.deep.equal([['Quokka handbook', 'https://example.com/']]);
			expect((found[0].listMetadata as Json).author).to.deep.equal(['Jo Tan']);
			// Deleted, then committed: gone.
			expect(await json('document', 'delete', { collection: 'client~ds-push', key: 'https://example.com' })).to.deep.equal([{ collection: 'client~ds-push', key: 'https://example.com/', deleted: true }]);
			await json('document', 'commit', { collection: 'client~ds-push' });
			expect(await json('search', 'search', { collection: 'client~sp-website', query: 'quokka' })).to.deep.equal([]);
		});

		it('sends a file as the body with its own type or the one given, on the v1 API when asked', async () => {
			const xml = Buffer.from('<?xml version="1.0"?><doc><title>Wombat</title></doc>');
			const file = fileFromBuffer(xml, 'wombat.xml', 'application/xml');
			const files = async () => file;
			await json('document', 'addOrReplace', { collection: 'client~ds-push', key: 'local:wombat', contentSource: 'file', file: 'data' }, { files });
			await json('document', 'addOrReplace', { collection: 'client~ds-push', key: 'local:wombat-2', contentSource: 'file', file: 'data', contentType: 'text/xml', pushApiVersion: 'v1' }, { files });
			await json('document', 'addOrReplace', { collection: 'client~ds-push', key: 'local:note', content: '{"a":1}', contentType: 'application/json' });
			expect(simulator.pushedDocuments.map((doc) => [doc.key, doc.contentType, doc.content.length])).to.deep.equal([
				['local:wombat', 'application/xml', xml.length],
				['local:wombat-2', 'text/xml', xml.length],
				['local:note', 'application/json; charset=UTF-8', 7],
			]);
			expect(pushRequests()[1].path).to.equal('/push-api/v1/collections/client~ds-push/documents');
		});

		it('reads the canonical key under the other field name too', async () => {
			const other = await withSimulator({ pushKeyField: 'canonicalUri' });
			const [stored] = await json('document', 'addOrReplace', { collection: 'client~ds-push', key: 'http://a.example/x/../y', content: 'y' }, {}, other);
			expect(stored.key).to.equal('http://a.example/y');
		});

		it('refuses a key without a scheme and bad metadata by name before any call; the server\'s refusals name the key or the collection', async () => {
			const base = { collection: 'client~ds-push', key: 'https://example.com/a', content: 'x' };
			const cases: Array<[Json, string]> = [
				[{ key: 'example.com/a' }, 'key'],
				[{ key: 'https://example.com/a b' }, 'key'],
				[{ metadata: { 'bad field': 'x' } }, 'metadata'],
				[{ metadata: { author: 'line\nbreak' } }, 'metadata'],
				[{ metadata: { author: '東京' } }, 'metadata'],
				[{ metadata: { author: { nested: 1 } } }, 'metadata'],
				[{ metadata: ['x'] }, 'metadata'],
				[{ content: '' }, 'content'],
			];
			for (const [values, field] of cases) {
				expect(await failure('document', 'addOrReplace', { values: { ...base, ...values } }), JSON.stringify(values)).to.include({ kind: 'input', field });
			}
			expect(pushRequests()).to.have.length(0);
			const broken = await failure('document', 'addOrReplace', { values: { ...base, key: 'http://[broken' } });
			expect(broken).to.include({ kind: 'http', status: 400, field: 'key' });
			expect(broken.message).to.equal('Funnelback refused the key "http://[broken" (HTTP 400): The key http://[broken is not a valid URI with a scheme');
			for (const collection of ['client~ds-nope', 'client~sp-docs']) {
				const unknown = await failure('document', 'addOrReplace', { values: { ...base, collection } });
				expect(unknown, collection).to.include({ kind: 'http', status: 404, field: 'collection' });
				expect(unknown.message).to.equal(`Funnelback has no push data source "${collection}": it must exist and be of type push2 (HTTP 404)`);
				expect(await failure('document', 'commit', { values: { collection } })).to.include({ status: 404, field: 'collection' });
			}
			expect(simulator.operations.documentsPushed).to.equal(0);
		});

		it('replays a push whose answer was lost (an upsert by key), leaving one document', async () => {
			simulator.dropAfterProcessing('pushDocument');
			const [stored] = await json('document', 'addOrReplace', { collection: 'client~ds-push', key: 'local:twice', content: 'platypus' }, { options: RETRY });
			expect(stored).to.include({ key: 'local:twice', stored: true });
			expect(simulator.operations.documentsPushed).to.equal(2);
			await json('document', 'commit', { collection: 'client~ds-push' });
			expect(await json('search', 'search', { collection: 'client~ds-push', query: 'platypus' })).to.have.length(1);
		});

		it('deletes idempotently: a lost answer is replayed, an absent key is done, an unknown data source is named', async () => {
			simulator.dropAfterProcessing('deleteDocument');
			expect(await json('document', 'delete', { collection: 'client~ds-push', key: 'https://www.example.com/events/search-summit-2025' }, { options: RETRY })).to.deep.equal([
				{ collection: 'client~ds-push', key: 'https://www.example.com/events/search-summit-2025', deleted: true },
			]);
			expect(simulator.operations.documentsDeleted).to.equal(2);
			const unknown = await failure('document', 'delete', { values: { collection: 'client~ds-nope', key: 'local:x' } });
			expect(unknown).to.include({ kind: 'input', field: 'collection' });
			const other = await withSimulator({ deleteUnknownKey: 'notFound' });
			expect(await json('document', 'delete', { collection: 'client~ds-push', key: 'local:never' }, {}, other)).to.deep.equal([
				{ collection: 'client~ds-push', key: 'local:never', deleted: true, found: false },
			]);
			const stillUnknown = await failure('document', 'delete', { values: { collection: 'client~sp-docs', key: 'local:never' } }, other);
			expect(stillUnknown).to.include({ kind: 'input', field: 'collection' });
		});

		it('commits again when the answer was lost', async () => {
			simulator.dropAfterProcessing('commit');
			expect(await json('document', 'commit', { collection: 'client~ds-push' }, { options: RETRY })).to.deep.equal([{ collection: 'client~ds-push', committed: true }]);
			expect(simulator.operations.commits).to.equal(2);
		});
	});

	describe('Application Token', () => {
		it('creates a client token whose value works, lists it without values, revokes it (then it gets 401); the connection\'s own secrets never appear', async () => {
			const [created] = await json('applicationToken', 'create', { clientId: 'client', name: 'n8n-flow' });
			expect(created).to.have.all.keys('name', 'clientId', 'token', 'username', 'password', 'createdBy', 'created');
			expect(created).to.include({ name: 'n8n-flow', clientId: 'client', createdBy: 'admin' });
			expect(simulator.operations.applicationTokensCreated).to.equal(1);
			const viaToken = connect(simulator, { authMode: 'applicationToken', applicationToken: created.token });
			const listed = await json('applicationToken', 'getMany', { clientId: 'client' }, {}, viaToken);
			expect(listed).to.deep.equal([{ name: 'n8n-flow', clientId: 'client', createdBy: 'admin', created: created.created }]);
			const raw = await json('applicationToken', 'getMany', { clientId: 'client' }, { simplify: false });
			expect(JSON.stringify(raw)).not.to.include(String(created.token));
			expect(await json('applicationToken', 'revoke', { clientId: 'client', name: 'n8n-flow' })).to.deep.equal([{ name: 'n8n-flow', clientId: 'client', revoked: true }]);
			expect(simulator.operations.applicationTokensRevoked).to.equal(1);
			const refused = await failure('applicationToken', 'getMany', { values: { clientId: 'client' } }, viaToken);
			expect(refused).to.include({ status: 401 });
			expect(refused.message).to.match(/revoked or is invalid/);
			expect(JSON.stringify(refused)).not.to.include(String(created.token));
			// The login token this connection sent, and its password, are in no output.
			const loginTokens = new Set(simulator.requests.filter((r) => r.path.startsWith('/admin-api/application-tokens')).map((r) => r.headers['x-security-token']));
			loginTokens.delete(created.token as string);
			expect(loginTokens.size).to.equal(1);
			const outputs = JSON.stringify([created, listed, raw]);
			for (const secret of [...loginTokens, PASSWORD]) expect(outputs).not.to.include(String(secret));
		});

		it('never replaces a token of the same name unless asked; replaced, the old value stops working', async () => {
			const [first] = await json('applicationToken', 'create', { clientId: 'client', name: 'etl' });
			const again = await failure('applicationToken', 'create', { values: { clientId: 'client', name: 'etl' } });
			expect(again).to.include({ kind: 'input', field: 'name' });
			expect(again.message).to.equal('An application token named "etl" of client client exists: turn on Replace Existing to replace it (its value stops working), or choose another name');
			expect(simulator.operations.applicationTokensCreated).to.equal(1);
			const [second] = await json('applicationToken', 'create', { clientId: 'client', name: 'etl', replaceExisting: true });
			expect(second.token).not.to.equal(first.token);
			expect(await failure('applicationToken', 'getMany', { values: { clientId: 'client' } }, connect(simulator, { authMode: 'applicationToken', applicationToken: first.token }))).to.include({ status: 401 });
			expect(await json('applicationToken', 'getMany', { clientId: 'client' }, {}, connect(simulator, { authMode: 'applicationToken', applicationToken: second.token }))).to.have.length(1);
		});

		it('replays a creation whose answer was lost: the replay\'s token is the one left, and works', async () => {
			simulator.dropAfterProcessing('createApplicationToken');
			const [created] = await json('applicationToken', 'create', { clientId: 'acme', name: 'sync' }, { options: RETRY });
			expect(simulator.operations.applicationTokensCreated).to.equal(2);
			const listed = await json('applicationToken', 'getMany', { clientId: 'acme' }, {}, connect(simulator, { authMode: 'applicationToken', applicationToken: created.token }));
			expect(listed.map((token) => token.name)).to.deep.equal(['sync']);
		});

		it('after a creation that failed without an answer, running it again is refused by name rather than replacing blind', async () => {
			// Twice: the transport resends a PUT whose answer was lost on a kept-alive connection once by itself.
			simulator.dropAfterProcessing('createApplicationToken');
			simulator.dropAfterProcessing('createApplicationToken');
			expect((await failure('applicationToken', 'create', { values: { clientId: 'acme', name: 'lost' } })).kind).to.equal('network');
			const created = simulator.operations.applicationTokensCreated;
			expect(await failure('applicationToken', 'create', { values: { clientId: 'acme', name: 'lost' } })).to.include({ field: 'name' });
			expect(simulator.operations.applicationTokensCreated).to.equal(created);
			const [replaced] = await json('applicationToken', 'create', { clientId: 'acme', name: 'lost', replaceExisting: true });
			const listed = await json('applicationToken', 'getMany', { clientId: 'acme' }, {}, connect(simulator, { authMode: 'applicationToken', applicationToken: replaced.token }));
			expect(listed.map((token) => token.name)).to.deep.equal(['lost']);
		});

		it('manages personal tokens (15.x) on their own paths', async () => {
			const [created] = await json('applicationToken', 'create', { tokenType: 'user', name: 'mine' });
			expect(created).to.include({ name: 'mine' }).and.not.have.property('clientId');
			expect(await json('applicationToken', 'getMany', { tokenType: 'user' })).to.deep.equal([{ name: 'mine', username: 'admin', created: created.created }]);
			expect(await json('applicationToken', 'revoke', { tokenType: 'user', name: 'mine' })).to.deep.equal([{ name: 'mine', revoked: true }]);
			expect(await json('applicationToken', 'revoke', { tokenType: 'user', name: 'mine' })).to.deep.equal([{ name: 'mine', revoked: true, found: false }]);
			expect(simulator.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).to.deep.equal(['/admin-api/application-tokens/v1/application-token/mine']);
		});

		it('names an unknown client, a bad name, and the permission a user lacks', async () => {
			expect(await failure('applicationToken', 'create', { values: { clientId: 'ghost', name: 'x' } })).to.include({ status: 404, field: 'clientId' });
			expect(await failure('applicationToken', 'getMany', { values: { clientId: 'ghost' } })).to.include({ status: 404, field: 'clientId' });
			expect(await failure('applicationToken', 'revoke', { values: { clientId: 'ghost', name: 'x' } })).to.include({ kind: 'input', field: 'clientId' });
			expect(await json('applicationToken', 'revoke', { clientId: 'client', name: 'never-made' })).to.deep.equal([{ name: 'never-made', clientId: 'client', revoked: true, found: false }]);
			for (const [values, field] of [
				[{ clientId: 'client', name: '..' }, 'name'],
				[{ clientId: 'a/b', name: 'x' }, 'clientId'],
				[{ clientId: 'client' }, 'name'],
				[{ name: 'x' }, 'clientId'],
			] as Array<[Json, string]>) {
				expect(await failure('applicationToken', 'create', { values: { ...values, replaceExisting: true } }), JSON.stringify(values)).to.include({ kind: 'input', field });
			}
			const searcher = connect(simulator, { username: 'searcher', password: PASSWORD });
			const refused = await failure('applicationToken', 'create', { values: { clientId: 'client', name: 'x', replaceExisting: true } }, searcher);
			expect(refused).to.include({ status: 403 });
			expect(refused.message).to.match(/sec\.application-token\.non-expiring\.create/);
			expect(JSON.stringify(refused)).not.to.include(PASSWORD);
			expect(simulator.operations.applicationTokensCreated).to.equal(0);
		});
	});
});
