import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Where a proxy listens, and the Proxy-Authorization it wants (sent to the proxy only, never to the target). */
export interface ProxyEndpoint {
	/** https:// proxy: TLS to the proxy itself, with Node's default roots. */
	secure: boolean;
	host: string;
	port: number;
	authorization?: string;
}

/** The proxy answered CONNECT with something other than 200: the target was never reached. */
export class TunnelRefused extends Error {
	constructor(readonly status: number) {
		super(`The proxy answered CONNECT with ${status}`);
	}
}

type ConnectionCallback = (error: Error | null, socket?: Duplex) => void;

/**
 * A keep-alive HTTPS agent whose sockets are TLS over a CONNECT tunnel: the proxy sees `host:port` and
 * nothing else, the TLS settings (CA, client certificate) reach the target end to end, and a tunnel
 * is reused like any kept-alive socket.
 */
export class TunnelAgent extends https.Agent {
	constructor(
		private readonly proxy: ProxyEndpoint,
		options: https.AgentOptions,
	) {
		super(options);
	}

	// Node's Agent takes the socket from the callback when createConnection returns nothing.
	override createConnection(options: tls.ConnectionOptions & { host?: string; port?: number; timeout?: number }, callback: ConnectionCallback): undefined {
		const authority = `${options.host}:${options.port}`;
		const connect = (this.proxy.secure ? https : http).request({
			host: this.proxy.host,
			port: this.proxy.port,
			method: 'CONNECT',
			path: authority,
			headers: { Host: authority, ...(this.proxy.authorization ? { 'Proxy-Authorization': this.proxy.authorization } : {}) },
			agent: false,
		});
		// A timer of our own: a socket timeout set here would live on in the tunnel it becomes.
		const timer = options.timeout ? setTimeout(() => connect.destroy(Object.assign(new Error('The proxy did not answer CONNECT'), { code: 'ETIMEDOUT' })), options.timeout) : undefined;
		connect.once('close', () => clearTimeout(timer));
		connect.once('connect', (response, socket) => {
			clearTimeout(timer);
			if (response.statusCode !== 200) {
				socket.destroy();
				callback(new TunnelRefused(response.statusCode ?? 0));
				return;
			}
			callback(null, tls.connect({ ...options, socket }));
		});
		connect.once('error', (error) => callback(error));
		connect.end();
		return undefined;
	}
}
