/**
 * The peer of the throughput and upload benchmarks, run as a child process (see startLoopbackServer) so
 * its work never shares the event loop of the client being measured. Prints its port, then serves:
 *   GET  /all-results?count=N  200, a JSON array of N search results written as the socket takes them
 *        (Funnelback's all-results.json), with a header saying how many bytes were written before the client left
 *   GET  any other path  200, a small JSON document (what a REST list or read call returns)
 *   POST any path  200 JSON {bytes}, the body counted and dropped, never buffered
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const DOCUMENT = Buffer.from(JSON.stringify({ id: 42, name: 'Vacation request', state: 'ready', assignee: 'walter.bates' }));

/** One result as all-results.json sends it: about 330 bytes. */
function result(rank: number): string {
	return JSON.stringify({
		rank,
		title: `Result ${rank}: configuring faceted navigation`,
		liveUrl: `https://docs.example.com/build/results-pages/page-${rank}.html`,
		summary: 'Facets let users narrow search results by metadata such as format or author.',
		date: 1739232000000 + rank,
		fileType: 'html',
		fileSize: 18234,
		collection: 'client~ds-docs-web',
		listMetadata: { author: ['Squiz'], keywords: ['facets', 'navigation'] },
	});
}

/** Writes the array as fast as the socket takes it; stops when the client goes away. */
function allResults(res: http.ServerResponse, count: number): void {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	let rank = 0;
	const write = () => {
		while (rank < count && !res.destroyed) {
			const chunk = Array.from({ length: Math.min(500, count - rank) }, () => result(++rank)).join(',');
			const more = res.write(`${rank <= 500 ? '[' : ','}${chunk}`);
			if (!more) return void res.once('drain', write);
		}
		if (!res.destroyed) res.end(count === 0 ? '[]' : ']');
	};
	write();
}

const server = http.createServer((req, res) => {
	const url = new URL(req.url ?? '/', 'http://loopback');
	if (req.method === 'GET' && url.pathname === '/all-results') return allResults(res, Number(url.searchParams.get('count') ?? '0'));
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
