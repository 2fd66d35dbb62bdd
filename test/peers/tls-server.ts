/**
 * An HTTPS peer on 127.0.0.1 (random port) using the test PKI: `https.createServer({key, cert, ca,
 * requestCert: true, rejectUnauthorized: false})`, so the handshake always completes and the server
 * itself decides. Every request gets JSON:
 *
 *   {ok, method, url, headers, body, bodyLength, tlsVersion, servername,
 *    clientCert: {presented, authorized, subject?, issuer?, authorizationError?}}
 *
 * With `requireClientCert`, a request without a client certificate, or with one the test CA did not
 * sign, gets 401 (same JSON, ok:false, error). `cert` picks the server certificate: 'server'
 * (default; SAN localhost + 127.0.0.1, signed by the test CA), 'wrong-host' (SAN example.invalid
 * only) or 'self-signed' (not from the CA).
 */
import * as https from 'https';
import type { AddressInfo, Socket } from 'net';
import type { TLSSocket } from 'tls';
import type { Pki } from './pki';

export interface TlsServerOptions {
	requireClientCert?: boolean;
	cert?: 'server' | 'wrong-host' | 'self-signed';
}

export interface TlsClientInfo {
	authorized: boolean;
	/** Whether the client sent a certificate at all. */
	presented?: boolean;
	/** e.g. `CN=bpm-test-client` */
	subject?: string;
	issuer?: string;
	authorizationError?: string;
}

export interface TlsServer {
	/** `https://127.0.0.1:<port>` (no trailing slash). */
	url: string;
	origin: string;
	port: number;
	/** Number of HTTP requests answered so far. */
	requestCount(): number;
	/** The client-certificate state of the last request (`{authorized:false, presented:false}` before any). */
	lastClient(): TlsClientInfo;
	close(): Promise<void>;
}

function dn(obj: Record<string, unknown> | undefined): string | undefined {
	if (!obj) return undefined;
	const parts = Object.entries(obj).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`);
	return parts.length ? parts.join(', ') : undefined;
}

export function startTlsServer(pki: Pki, options: TlsServerOptions = {}): Promise<TlsServer> {
	const which = options.cert ?? 'server';
	const pair = which === 'wrong-host' ? pki.wrongHost : which === 'self-signed' ? pki.selfSigned : pki.server;
	let last: TlsClientInfo = { authorized: false, presented: false };
	let count = 0;
	const sockets = new Set<Socket>();

	const server = https.createServer(
		{ key: pair.key, cert: pair.cert, ca: [pki.ca.cert], requestCert: true, rejectUnauthorized: false },
		(req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				count++;
				const sock = req.socket as TLSSocket;
				const peer = sock.getPeerCertificate();
				const presented = Boolean(peer && Object.keys(peer).length > 0);
				const info: TlsClientInfo = { authorized: sock.authorized, presented };
				if (presented) {
					info.subject = dn(peer.subject as unknown as Record<string, unknown>);
					info.issuer = dn(peer.issuer as unknown as Record<string, unknown>);
				}
				if (!sock.authorized && sock.authorizationError) info.authorizationError = String(sock.authorizationError);
				last = info;
				const body = Buffer.concat(chunks);
				const refused = options.requireClientCert && !sock.authorized;
				const payload = {
					ok: !refused,
					...(refused ? { error: presented ? 'client certificate not trusted' : 'client certificate required' } : {}),
					method: req.method,
					url: req.url,
					headers: req.headers,
					body: body.toString('utf8'),
					bodyLength: body.length,
					tlsVersion: sock.getProtocol(),
					servername: (sock as TLSSocket & { servername?: string | false }).servername || null,
					clientCert: info,
				};
				const out = Buffer.from(JSON.stringify(payload));
				res.writeHead(refused ? 401 : 200, { 'Content-Type': 'application/json', 'Content-Length': out.length });
				res.end(out);
			});
		},
	);
	server.on('connection', (s: Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	// Clients that refuse our certificate abort the handshake: expected in tests.
	server.on('tlsClientError', () => undefined);

	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			server.off('error', reject);
			const { port } = server.address() as AddressInfo;
			const origin = `https://127.0.0.1:${port}`;
			let closed: Promise<void> | undefined;
			resolve({
				url: origin,
				origin,
				port,
				requestCount: () => count,
				lastClient: () => last,
				close(): Promise<void> {
					closed ??= new Promise<void>((done) => {
						server.close(() => done());
						server.closeAllConnections();
						for (const s of sockets) s.destroy();
					});
					return closed;
				},
			});
		});
	});
}
