import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';
import type { CallOptions } from '../../core';

/** The BPM Connect TLS and Proxy credential as engine options: CA, client certificate, proxy login. */
export async function connectionCredential(context: IExecuteFunctions, index: number): Promise<CallOptions> {
	return connectionOptions(await context.getCredentials('bpmConnectionApi', index));
}

export function connectionOptions(data: ICredentialDataDecryptedObject): CallOptions {
	const text = (name: string) => (typeof data[name] === 'string' && data[name] !== '' ? (data[name] as string) : undefined);
	const pfx = text('pfx');
	return {
		ca: text('ca'),
		cert: text('cert'),
		key: text('key'),
		pfx: pfx ? Buffer.from(pfx, 'base64') : undefined,
		passphrase: text('passphrase'),
		proxyUsername: text('proxyUsername'),
		proxyPassword: text('proxyPassword'),
	};
}
