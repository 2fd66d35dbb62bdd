import type { INodeProperties } from 'n8n-workflow';

/** Switches on the BPM Connect TLS and Proxy credential: its secrets (key, passphrase, proxy password) cannot be node parameters. */
export const USE_CONNECTION_CREDENTIAL: INodeProperties = {
	displayName: 'Use TLS and Proxy Credential',
	name: 'useConnectionCredential',
	type: 'boolean',
	default: false,
	noDataExpression: true,
	description: 'Whether to add a CA, a client certificate or proxy credentials from a BPM Connect TLS and Proxy credential',
};

/** How a node reaches a server, whatever it then sends: the same options wherever BPM Connect makes a call. */
export const CONNECTION_OPTIONS: INodeProperties[] = [
	{ displayName: 'Allow Unauthorized Certificates', name: 'allowUnauthorizedCerts', type: 'boolean', default: false, description: 'Whether to connect even if SSL certificate validation is not possible' },
	{ displayName: 'No Proxy For', name: 'noProxy', type: 'string', default: '', placeholder: 'localhost, .internal.example.com', description: 'Comma-separated hosts reached without the proxy' },
	{ displayName: 'Proxy', name: 'proxyUrl', type: 'string', default: '', placeholder: 'http://proxy:3128', description: 'HTTP proxy; HTTPS targets are tunnelled with CONNECT' },
	{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', default: 30000, description: 'Time allowed to connect and receive the first byte' },
	{ displayName: 'Total Deadline (Ms)', name: 'deadlineMs', type: 'number', default: 300000, description: 'Time allowed for the whole exchange, body included' },
];
