import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createTransport, executeRequest, fileFromBuffer, fileFromPath, plainConnection, type Transport } from '../../core';
import { startFaultServer, type FaultServer } from '../peers/fault-server';

describe('uploads, body kinds and cookies', function () {
	this.timeout(120_000);
	let server: FaultServer;
	let transport: Transport;
	let dir: string;
	before(async () => {
		server = await startFaultServer();
		dir = mkdtempSync(path.join(os.tmpdir(), 'bpm-upload-'));
	});
	after(async () => {
		await server.close();
		rmSync(dir, { recursive: true, force: true });
	});
	beforeEach(() => (transport = createTransport()));
	afterEach(() => transport.close());
	const send = (input: Parameters<typeof executeRequest>[1]) => executeRequest(plainConnection(transport), input);
	const bodyOf = (outcome: Awaited<ReturnType<typeof send>>) => (outcome.ok ? (outcome.value.body as { value: any }).value : outcome.error);

	it('sends a file as the raw body with its Content-Length, not chunked', async () => {
		const file = path.join(dir, 'invoice.pdf');
		writeFileSync(file, Buffer.alloc(300_000, 7));
		const report = bodyOf(await send({ method: 'PUT', url: `${server.url}/upload`, file: { source: fileFromPath(file, 'application/pdf') } }));
		expect(report).to.include({ bytes: 300_000, contentLength: '300000', contentType: 'application/pdf' });
		expect(report.transferEncoding ?? undefined).to.equal(undefined);
	});

	it('sends a file as a multipart part with field name, file name and other fields', async () => {
		const outcome = await send({
			method: 'POST',
			url: `${server.url}/echo`,
			file: { source: fileFromBuffer(Buffer.from('hello file'), 'note.txt', 'text/plain'), multipartField: 'file', fields: [{ name: 'CSRFToken', value: 'abc' }] },
		});
		const echoed = bodyOf(outcome);
		expect(echoed.headers['content-type']).to.match(/^multipart\/form-data; boundary=/);
		expect(Number(echoed.headers['content-length'])).to.equal(echoed.bodyLength);
		expect(echoed.body).to.contain('name="file"; filename="note.txt"').and.contain('hello file').and.contain('name="CSRFToken"');
	});

	it('sends form fields, XML with a charset, and cookie rows', async () => {
		const form = bodyOf(await send({ method: 'POST', url: `${server.url}/echo`, form: [{ name: 'a', value: '1 2' }, { name: 'b', value: 'é' }] }));
		expect(form.body).to.equal('a=1+2&b=%C3%A9');
		const xml = bodyOf(await send({ method: 'POST', url: `${server.url}/echo`, raw: { data: '<a/>', contentType: 'application/xml', charset: 'UTF-8' } }));
		expect(xml.headers['content-type']).to.equal('application/xml; charset=UTF-8');
		const cookies = bodyOf(await send({ method: 'GET', url: `${server.url}/cookies/echo`, cookies: [{ name: 'a', value: '1' }, { name: 'b', value: '2' }] }));
		expect(cookies.cookie).to.equal('a=1; b=2');
	});

	it('refuses two bodies at once and a cookie value with a semicolon, naming the field', async () => {
		expect(bodyOf(await send({ method: 'POST', url: `${server.url}/echo`, json: { a: 1 }, form: [] }))).to.include({ kind: 'input', field: 'body' });
		expect(bodyOf(await send({ method: 'GET', url: `${server.url}/echo`, cookies: [{ name: 'a', value: '1; b=2' }] }))).to.include({ kind: 'input', field: 'cookies' });
		expect(bodyOf(await send({ method: 'PUT', url: `${server.url}/upload`, file: { source: { path: path.join(dir, 'missing.bin'), contentType: 'x/y' } } }))).to.include({ kind: 'input', field: 'file' });
	});

	it('reads the body as asked, or ignores it', async () => {
		const text = await send({ method: 'GET', url: `${server.url}/echo`, options: { responseFormat: 'text' } });
		expect(text.ok && text.value.body.kind).to.equal('text');
		const binary = await send({ method: 'GET', url: `${server.url}/echo`, options: { responseFormat: 'binary' } });
		expect(binary.ok && binary.value.body.kind).to.equal('binary');
		const ignored = await send({ method: 'GET', url: `${server.url}/echo`, options: { ignoreBody: true } });
		expect(ignored.ok && ignored.value.body).to.deep.equal({ kind: 'empty' });
		expect(bodyOf(await send({ method: 'GET', url: `${server.url}/echo`, options: { responseFormat: 'xml' } }))).to.include({ field: 'responseFormat' });
	});

	// Memory does not depend on the size of a streamed body: 256 MiB shows it in a few seconds (bench/ has the 1 GiB run).
	it('streams a 256 MiB upload with bounded memory (figure printed)', async () => {
		const file = path.join(dir, 'big.bin');
		execFileSync('truncate', ['-s', '256M', file]);
		global.gc?.();
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		const started = Date.now();
		const report = bodyOf(await send({ method: 'POST', url: `${server.url}/upload`, file: { source: fileFromPath(file, 'application/octet-stream') } }));
		clearInterval(sampler);
		const seconds = (Date.now() - started) / 1000;
		const growthMiB = (peak - baseline) / 1024 / 1024;
		console.log(`      256 MiB upload: peak RSS growth ${growthMiB.toFixed(1)} MiB, ${(256 / seconds).toFixed(0)} MiB/s`);
		expect(report.bytes).to.equal(256 * 1024 ** 2);
		expect(growthMiB).to.be.below(64);
	});
});
