import type { IExecuteFunctions, ICredentialDataDecryptedObject } from 'n8n-workflow';
import { createTransport, createSchemeSession, plainConnection, sessionConnection, SessionRegistry, REQUEST_SCHEMES, type Connection, type SchemeDefinition } from '../../core';

/** Sessions outlive one execution in a running n8n, so a credential logs in (or fetches its token) once, not once per run. */
const sessions = new SessionRegistry();

export const NO_AUTH = 'none';
/** A token from the item (an OAuth2 Token node's output) rather than a credential. */
export const ACCESS_TOKEN_AUTH = 'accessToken';

/** The connection for the node's Authentication choice; sessions are shared per credential content. */
export async function connectionFor(context: IExecuteFunctions, authentication: string): Promise<{ connection: Connection; release(): void }> {
	const definition = REQUEST_SCHEMES.find((scheme) => scheme.n8nCredential === authentication);
	if (!definition) {
		const transport = createTransport();
		return { connection: plainConnection(transport), release: () => transport.close() };
	}
	const data = await context.getCredentials(definition.n8nCredential);
	return { connection: sessionConnection(sharedSession(context, definition, data)), release: () => undefined };
}

function sharedSession(context: IExecuteFunctions, definition: SchemeDefinition, data: ICredentialDataDecryptedObject) {
	const credentialId = context.getNode().credentials?.[definition.n8nCredential]?.id;
	return sessions.get({ type: definition.n8nCredential, credentialId, data }, () => createSchemeSession(definition, data));
}
