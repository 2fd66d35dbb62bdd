import type { ICredentialDataDecryptedObject, INode } from 'n8n-workflow';
import { createSchemeSession, SessionRegistry, type SchemeDefinition, type Session } from '../../core';

/**
 * Sessions outlive one execution in a running n8n, and every BPM Connect node (BPM Request, the vendor nodes, their
 * dropdowns) shares them: a credential logs in (or fetches its token) once per process, not once per run or per node.
 */
const sessions = new SessionRegistry();

export function sharedSession(node: INode, definition: SchemeDefinition, data: ICredentialDataDecryptedObject): Session {
	const credentialId = node.credentials?.[definition.n8nCredential]?.id;
	return sessions.get({ type: definition.n8nCredential, credentialId, data }, () => createSchemeSession(definition, data));
}
