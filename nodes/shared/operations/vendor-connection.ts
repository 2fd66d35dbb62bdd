import type { ICredentialDataDecryptedObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { sessionConnection, VENDORS, type CallOptions, type Catalogue, type Connection } from '../../../core';
import { connectionOptions } from '../connection-credential';
import { sharedSession } from '../shared-session';

/** The vendor credential's shared session, for a run or for a dropdown of the node. */
export async function vendorConnection(context: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions, catalogue: Catalogue): Promise<Connection> {
	const definition = VENDORS.find((vendor) => vendor.id === catalogue.vendor);
	if (!definition) throw new Error(`No scheme for ${catalogue.vendor}`);
	const data = (await context.getCredentials(definition.n8nCredential)) as ICredentialDataDecryptedObject;
	return sessionConnection(sharedSession(context.getNode(), definition, data));
}

/** Request Options and the TLS and Proxy credential as engine options. */
export async function requestOptions(context: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions, read: (name: string, fallback: unknown) => unknown): Promise<CallOptions> {
	const { logoutAfterRun: _logout, ...options } = (read('requestOptions', {}) ?? {}) as CallOptions & { logoutAfterRun?: boolean };
	if (!read('useConnectionCredential', false)) return options;
	return { ...options, ...connectionOptions(await context.getCredentials('bpmConnectionApi')) };
}
