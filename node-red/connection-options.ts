import type { CallOptions } from '../core';
import type { NodeDef, NodeRedApi, RuntimeNode } from './node-red-api';

/** The properties of a node that reaches servers: Node-RED's own tls-config and http proxy nodes, and the verification switch. */
export interface ConnectionConfig extends NodeDef {
	tls?: string;
	proxy?: string;
	allowUnauthorizedCerts?: boolean;
}

/** Node-RED's core tls-config node. */
interface TlsConfigNode extends RuntimeNode {
	addTLSOptions(options: Record<string, unknown>): void;
}

/** Node-RED's core http proxy node. */
interface ProxyConfigNode extends RuntimeNode {
	url?: string;
	noproxy?: string[];
}

/** TLS and proxy come from Node-RED's own tls-config and http proxy nodes, read once per deploy. */
export function connectionOptionsFor(RED: NodeRedApi, config: ConnectionConfig): CallOptions {
	const tls: Record<string, unknown> = {};
	(config.tls ? (RED.nodes.getNode(config.tls) as TlsConfigNode | null) : null)?.addTLSOptions(tls);
	const proxy = config.proxy ? (RED.nodes.getNode(config.proxy) as ProxyConfigNode | null) : null;
	const text = (value: unknown) => (value === undefined ? undefined : String(value));
	return {
		ca: text(tls.ca),
		cert: text(tls.cert),
		key: text(tls.key),
		passphrase: text(tls.passphrase),
		pfx: Buffer.isBuffer(tls.pfx) ? tls.pfx : undefined,
		allowUnauthorizedCerts: config.allowUnauthorizedCerts === true || tls.rejectUnauthorized === false,
		proxyUrl: proxy?.url,
		proxyUsername: proxy?.credentials.username,
		proxyPassword: proxy?.credentials.password,
		noProxy: proxy?.noproxy?.join(','),
	};
}
