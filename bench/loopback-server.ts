/**
 * The peer of the throughput and upload benchmarks, run as a child process (see startLoopbackServer) so
 * its work never shares the event loop of the client being measured. Prints its port, then serves:
 *   GET  any path  200, a small JSON document (what a REST list or read call returns)
 *   POST any path  200 JSON {bytes}, the body counted and dropped, never buffered
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const DOCUMENT = Buffer.from(JSON.stringify({ id: 42, name: 'Vacation request', state: 'ready', assignee: 'walter.bates' }));

const server = http.createServer((req, res) => {
	if (req.method === 'GET') {
		res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': DOCUMENT.length });
		res.end(DOCUMENT);
		return;
	}
	let bytes = 0;
	req.on('data', (chunk: Buffer) => (bytes += chunk.length));
	req.on('end', () => {
		const body = JSON.stringify({ bytes });
		res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
		res.end(body);
	});
});
// Rounds are seconds apart: an idle socket closed by the server would add reconnections to the figures.
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
