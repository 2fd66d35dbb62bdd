import type { IExecuteFunctions, ICredentialDataDecryptedObject } from 'n8n-workflow';
import { createTransport, createVendorSession, plainConnection, sessionConnection, SessionRegistry, REQUEST_SCHEMES, type Connection, type VendorDefinition } from '../../core';

/** Sessions outlive one execution in a running n8n, so a credential logs in once, not once per run. */
const sessions = new SessionRegistry();

export const NO_AUTH = 'none';
/** A token from the item (an OAuth2 Token node's output) rather than a credential. */
export const ACCESS_TOKEN_AUTH = 'accessToken';

/** The connection for the node's Authentication choice; sessions are shared per credential content. */
export async function connectionFor(context: IExecuteFunctions, authentication: string): Promise<{ connection: Connection; release(): void }> {
	const vendor = REQUEST_SCHEMES.find((v) => v.n8nCredential === authentication);
	if (!vendor) {
		const transport = createTransport();
		return { connection: plainConnection(transport), release: () => transport.close() };
	}
	const data = await context.getCredentials(vendor.n8nCredential);
	return { connection: sessionConnection(vendorSession(context, vendor, data)), release: () => undefined };
}

function vendorSession(context: IExecuteFunctions, vendor: VendorDefinition, data: ICredentialDataDecryptedObject) {
	const credentialId = context.getNode().credentials?.[vendor.n8nCredential]?.id;
	return sessions.get({ type: vendor.n8nCredential, credentialId, data }, () => createVendorSession(vendor, data));
}
