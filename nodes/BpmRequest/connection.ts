import type { IExecuteFunctions } from 'n8n-workflow';
import { createTransport, plainConnection, sessionConnection, REQUEST_SCHEMES, type Connection } from '../../core';
import { sharedSession } from '../shared/shared-session';

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
	return { connection: sessionConnection(sharedSession(context.getNode(), definition, data)), release: () => undefined };
}
