import { expect } from 'chai';
import { basic, bearer, createTransport, createSchemeSession, customHeaders, executeRequest, genericSchemeFor, header, plainConnection, sessionConnection, type BpmFailure, type SchemeDefinition, type Session } from '../../core';
import { startFaultServer, type FaultServer } from '../peers/fault-server';

const SECRET = 'Marker-s3cret-ÿ';

describe('Generic static schemes (Basic, Bearer, header) through the engine', () => {
	let server: FaultServer;
	let other: FaultServer;
	const sessions: Session[] = [];
	before(async () => {
		server = await startFaultServer();
		other = await startFaultServer();
	});
	after(async () => {
		sessions.forEach((session) => session.close());
		await server.close();
		await other.close();
	});
	beforeEach(() => server.reset());

	const connect = (definition: SchemeDefinition<any>, data: Record<string, unknown>) => {
		const session = createSchemeSession(definition, data);
		sessions.push(session);
		return sessionConnection(session);
	};
	const echoedHeaders = async (connection: ReturnType<typeof connect>, url = `${server.url}/echo`) => {
		const outcome = await executeRequest(connection, { method: 'GET', url });
		if (!outcome.ok) throw new Error(outcome.error.message);
		return ((outcome.value.body as { value: { headers: Record<string, string> } }).value).headers;
	};

	it('Basic is preemptive and UTF-8: one request, the RFC 7617 header', async () => {
		const headers = await echoedHeaders(connect(basic, { user: 'ana', password: SECRET }));
		expect(headers.authorization).to.equal(`Basic ${Buffer.from(`ana:${SECRET}`, 'utf8').toString('base64')}`);
		expect(server.requests).to.have.length(1);
	});

	it('a 401 under Basic is an error at once: no replay, neither the password nor its encoding in the message', async () => {
		const connection = connect(basic, { user: 'ana', password: SECRET });
		const outcome = await executeRequest(connection, { method: 'GET', url: `${server.url}/status/401?body=${encodeURIComponent(Buffer.from(`ana:${SECRET}`).toString('base64'))}` });
		expect(outcome.ok).to.equal(false);
		if (outcome.ok) return;
		expect(outcome.error.status).to.equal(401);
		expect(outcome.error.attempts).to.equal(1);
		expect(JSON.stringify(outcome.error)).not.to.include(Buffer.from(`ana:${SECRET}`).toString('base64'));
		expect(server.requests).to.have.length(1);
	});

	it('Bearer and the header schemes set their headers, replacing a caller header of another case', async () => {
		expect((await echoedHeaders(connect(bearer, { token: ' tok-123 ' }))).authorization).to.equal('Bearer tok-123');
		const keyed = connect(header, { name: 'X-API-Key', value: SECRET });
		const outcome = await executeRequest(keyed, { method: 'GET', url: `${server.url}/echo`, headers: [{ name: 'x-api-key', value: 'caller' }] });
		const raw = outcome.ok ? (outcome.value.body as { value: { rawHeaders: string[] } }).value.rawHeaders : [];
		expect(raw.filter((h) => h.toLowerCase() === 'x-api-key')).to.have.length(1);
		expect(raw[raw.findIndex((h) => h.toLowerCase() === 'x-api-key') + 1]).to.equal(SECRET);
		const custom = await echoedHeaders(connect(customHeaders, { json: JSON.stringify({ headers: { 'X-One': 'a', 'X-Two': 'b' } }) }));
		expect([custom['x-one'], custom['x-two']]).to.deep.equal(['a', 'b']);
	});

	it('with a base URL, another origin gets no credentials; without one, every URL does', async () => {
		const bound = connect(basic, { user: 'ana', password: SECRET, baseUrl: server.url });
		expect((await echoedHeaders(bound, `${other.url}/echo`)).authorization).to.equal(undefined);
		expect((await echoedHeaders(bound, 'echo')).authorization).to.match(/^Basic /);
		expect((await echoedHeaders(connect(basic, { user: 'ana', password: SECRET }), `${other.url}/echo`)).authorization).to.match(/^Basic /);
	});

	it('bad credential fields are refused naming the field', () => {
		const field = (definition: Pick<SchemeDefinition, 'parseConfig'>, data: Record<string, unknown>) => {
			try {
				definition.parseConfig(data);
			} catch (error) {
				return (error as BpmFailure).detail.field;
			}
			return 'accepted';
		};
		expect(field(basic, { user: 'a:b', password: 'x' })).to.equal('user');
		expect(field(bearer, { token: 'two words' })).to.equal('token');
		expect(field(header, { name: 'X Bad', value: 'v' })).to.equal('name');
		expect(field(header, { name: 'X-Key', value: 'a\r\nX-Injected: 1' })).to.equal('name');
		expect(field(customHeaders, { json: '{"headers":{"A":"b"},"qs":{"k":"v"}}' })).to.equal('json');
		expect(field(customHeaders, { json: '{nope' })).to.equal('json');
		expect(field(basic, { user: 'a', password: 'x', baseUrl: 'ftp://host' })).to.equal('baseUrl');
		expect(() => genericSchemeFor({ scheme: 'kerberos' })).to.throw(/scheme/);
		expect(genericSchemeFor({ scheme: 'header' })).to.equal(header);
	});

	it('a token from the item goes as Bearer, and a bad one is an input error naming accessToken', async () => {
		const transport = createTransport();
		try {
			const connection = plainConnection(transport);
			const sent = await executeRequest(connection, { method: 'GET', url: `${server.url}/echo`, bearerToken: 'item-token' });
			expect(sent.ok && (sent.value.body as { value: { headers: Record<string, string> } }).value.headers.authorization).to.equal('Bearer item-token');
			const refused = await executeRequest(connection, { method: 'GET', url: `${server.url}/echo`, bearerToken: 'a\nb' });
			expect(!refused.ok && refused.error.field).to.equal('accessToken');
			const leaked = await executeRequest(connection, { method: 'GET', url: `${server.url}/status/403?body=item-token-Marker`, bearerToken: 'item-token-Marker' });
			expect(!leaked.ok && JSON.stringify(leaked.error)).not.to.include('item-token-Marker');
		} finally {
			transport.close();
		}
	});
});
