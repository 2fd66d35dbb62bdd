import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { createTransport, type Transport } from '../../core';
import { encodeBody } from '../../core/http/encode-body';
import { wireHeaders } from '../../core/http/wire-headers';

const DOCUMENT = JSON.stringify({ id: 42, name: 'Vacation request' });

/** A server whose answers the tests choose per path; it records each request's raw header lines. */
async function startServer(): Promise<{ url: string; seen: string[][]; sockets: Set<Socket>; close(): Promise<void> }> {
	const seen: string[][] = [];
	const sockets = new Set<Socket>();
	const served = new WeakMap<Socket, number>();
	const requestsOn = (socket: Socket) => served.get(socket) ?? 0;
	const server = http.createServer((req, res) => {
		served.set(req.socket, requestsOn(req.socket) + 1);
		seen.push(req.rawHeaders);
		const send = (encoding: string, body: Buffer) => void res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding, 'Content-Length': body.length }).end(body);
		switch (req.url) {
			case '/gzip':
				send('gzip', zlib.gzipSync(DOCUMENT));
				return;
			case '/deflate':
				send('deflate', zlib.deflateSync(DOCUMENT));
				return;
			case '/br':
				send('br', zlib.brotliCompressSync(DOCUMENT));
				return;
			case '/corrupt-gzip':
				send('gzip', Buffer.from('not gzip at all'));
				return;
			case '/cut-short':
				// Promises 100 bytes, sends 10, hangs up.
				res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 100 });
				res.write('0123456789', () => res.socket?.destroy());
				return;
			case '/stale':
				// The second request on a kept-alive socket finds it closed, as when a server's idle timeout fires
				// just as the client reuses the socket: hung up without an answer.
				if (requestsOn(req.socket) > 1) req.socket.destroy();
				else res.writeHead(200, { 'Content-Type': 'application/json' }).end(DOCUMENT);
				return;
			default:
				res.writeHead(200, { 'Content-Type': 'application/json' }).end(DOCUMENT);
		}
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		seen,
		sockets,
		close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
	};
}

describe('wire headers', () => {
	const none = encodeBody(undefined);

	it('adds Host and the defaults a REST client sends, after the caller’s own', () => {
		expect(wireHeaders('api.example:8443', 'GET', { 'X-Trace': '1' }, '', none)).to.deep.equal([
			'X-Trace', '1',
			'Host', 'api.example:8443',
			'Accept', 'application/json, text/plain, */*',
			'Accept-Encoding', 'gzip, deflate, br',
			'User-Agent', 'bpm-connect',
		]);
	});

	it('lets the caller replace a default whatever the case of the name', () => {
		const lines = wireHeaders('h', 'GET', { accept: 'application/xml', 'user-agent': 'mine' }, '', none);
		expect(lines.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase())).to.deep.equal(['accept', 'user-agent', 'host', 'accept-encoding']);
		expect(lines).to.include('application/xml').and.include('mine');
	});

	it('appends the session’s cookies to the caller’s Cookie header, or sends them alone', () => {
		expect(wireHeaders('h', 'GET', { Cookie: 'a=1' }, 'JSESSIONID=x', none).slice(0, 2)).to.deep.equal(['Cookie', 'a=1; JSESSIONID=x']);
		const alone = wireHeaders('h', 'GET', {}, 'JSESSIONID=x', none);
		expect(alone[alone.indexOf('Cookie') + 1]).to.equal('JSESSIONID=x');
	});

	it('takes the length from the body, never from the caller, and sends 0 for an empty POST', () => {
		const json = encodeBody({ kind: 'json', value: { é: 1 } });
		const lines = wireHeaders('h', 'POST', { 'Content-Length': '999' }, '', json);
		expect(lines.filter((n) => n.toLowerCase() === 'content-length')).to.have.length(1);
		expect(lines[lines.indexOf('Content-Length') + 1]).to.equal(String(Buffer.byteLength('{"é":1}')));
		expect(lines[lines.indexOf('Content-Type') + 1]).to.equal('application/json; charset=utf-8');
		const empty = wireHeaders('h', 'POST', {}, '', none);
		expect(empty[empty.indexOf('Content-Length') + 1]).to.equal('0');
		expect(wireHeaders('h', 'GET', {}, '', none)).not.to.include('Content-Length');
	});

	it('sends a multipart body under its own type, whatever Content-Type the caller set', () => {
		const file = { open: () => Readable.from([Buffer.from('x')]), size: 1, fileName: 'a.txt', contentType: 'text/plain' };
		const body = encodeBody({ kind: 'multipart', file, fieldName: 'file', fields: [] });
		const lines = wireHeaders('h', 'POST', { 'content-type': 'text/plain' }, '', body);
		expect(lines.filter((n) => n.toLowerCase() === 'content-type')).to.deep.equal(['Content-Type']);
		expect(lines[lines.indexOf('Content-Type') + 1]).to.match(/^multipart\/form-data; boundary=/);
	});
});

describe('transport on the wire', function () {
	this.timeout(20_000);
	let server: Awaited<ReturnType<typeof startServer>>;
	let transport: Transport;
	before(async () => (server = await startServer()));
	after(async () => server.close());
	beforeEach(() => (transport = createTransport()));
	afterEach(() => transport.close());

	const get = (path: string) => transport.send({ method: 'GET', url: `${server.url}${path}`, headers: {} });

	for (const encoding of ['gzip', 'deflate', 'br']) {
		it(`decodes a ${encoding} body and keeps its Content-Encoding header`, async () => {
			const response = await get(`/${encoding}`);
			expect(response.body).to.deep.equal({ kind: 'json', value: JSON.parse(DOCUMENT) });
			expect(response.headers['content-encoding']).to.equal(encoding);
		});
	}

	it('reports a body that does not decode as a network failure, not as data', async () => {
		const error = await get('/corrupt-gzip').then(
			() => undefined,
			(failure: { detail: { kind: string; message: string } }) => failure.detail,
		);
		expect(error?.kind).to.equal('network');
		expect(error?.message).to.match(/^GET http:\/\/127\.0\.0\.1:\d+ failed: Z_DATA_ERROR$/);
	});

	it('never passes a body cut short off as a whole one', async () => {
		const error = await get('/cut-short').then(
			(response) => `a ${response.status} with ${JSON.stringify(response.body)}`,
			(failure: { detail: { kind: string } }) => failure.detail.kind,
		);
		expect(error).to.equal('network');
	});

	it('sends one request line per header, Host included, with nothing duplicated', async () => {
		server.seen.length = 0;
		await transport.send({ method: 'GET', url: `${server.url}/plain`, headers: { accept: 'text/plain' } });
		const names = server.seen[0].filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
		expect(new Set(names).size).to.equal(names.length);
		expect(names).to.include.members(['host', 'accept', 'accept-encoding', 'user-agent', 'connection']);
		expect(server.seen[0][server.seen[0].findIndex((n) => n.toLowerCase() === 'host') + 1]).to.equal(new URL(server.url).host);
	});

	it('sends a GET again on a fresh socket when its kept-alive one was closed; a POST is not sent twice', async () => {
		expect((await get('/stale')).status).to.equal(200);
		server.seen.length = 0;
		expect((await get('/stale')).status).to.equal(200);
		expect(server.seen, 'the reused socket, then a fresh one').to.have.length(2);
		server.seen.length = 0;
		const post = await transport.send({ method: 'POST', url: `${server.url}/stale`, headers: {}, body: { kind: 'json', value: {} } }).then(
			(response) => `answered ${response.status}`,
			(failure: { detail: { kind: string } }) => failure.detail.kind,
		);
		// The POST went out on the socket the GET's retry opened: it met the hang-up and was not repeated.
		expect(post).to.equal('network');
		expect(server.seen).to.have.length(1);
	});
});
