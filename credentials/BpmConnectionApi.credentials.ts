import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * TLS material and proxy credentials for BPM Request: secrets, so they live in a credential rather than in
 * node parameters. Applied per call by the engine (never process-wide). No endpoint of its own: the nodes' test
 * (`testedBy`, nodes/shared/credential-tests.ts) loads the TLS material as the engine does.
 */
export class BpmConnectionApi implements ICredentialType {
	name = 'bpmConnectionApi';

	displayName = 'BPM Connect TLS and Proxy API';

	icon: Icon = { light: 'file:../icons/bpm.svg', dark: 'file:../icons/bpm.dark.svg' };

	documentationUrl = 'https://github.com/bpm-connect/n8n-nodes-bpm#tls-and-proxies';

	properties: INodeProperties[] = [
		{ displayName: 'CA Certificate (PEM)', name: 'ca', type: 'string', typeOptions: { rows: 4 }, default: '', description: 'Added to the default trusted roots, never instead of them' },
		{ displayName: 'Client Certificate (PEM)', name: 'cert', type: 'string', typeOptions: { password: true, rows: 4 }, default: '' },
		// A private key and a PKCS#12 bundle are secrets, whatever their names suggest to the linter.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{ displayName: 'Client Key (PEM)', name: 'key', type: 'string', typeOptions: { password: true, rows: 4 }, default: '' },
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{ displayName: 'Client Certificate (PKCS#12, Base64)', name: 'pfx', type: 'string', typeOptions: { password: true }, default: '', description: 'Instead of the PEM certificate and key' },
		{ displayName: 'Passphrase', name: 'passphrase', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Proxy Username', name: 'proxyUsername', type: 'string', default: '' },
		{ displayName: 'Proxy Password', name: 'proxyPassword', type: 'string', typeOptions: { password: true }, default: '' },
	];
}
