import { createSchemeSession, inputError, sessionConnection, SessionRegistry, type Connection, type SchemeDefinition } from '../../core';
import type { AuthConfigNode } from '../auth-config-node';
import type { NodeRedApi } from '../node-red-api';

/** Node-RED's stand-in for a saved password the editor does not hold. */
const SAVED_PASSWORD = '__PWRD__';

/** Sessions for server settings typed in the editor and not deployed yet: one login per distinct setting, few kept. */
const editorSessions = new SessionRegistry(8);

/**
 * The connection a dropdown of the editor uses. The deployed config node's own session when the dialog holds what is
 * deployed; otherwise a session for the settings typed in this editor session. A saved password (the editor only
 * holds `__PWRD__`) is used with the saved URL only: stored credentials never go to a URL the caller chose.
 */
export function editorConnection(RED: NodeRedApi, definition: SchemeDefinition, serverId: string, unsaved: Record<string, unknown> | undefined): Connection {
	const deployed = serverId ? (RED.nodes.getNode(serverId) as AuthConfigNode | null) : null;
	if (!unsaved) {
		if (!deployed?.connection) throw inputError('server', deployed?.configError ?? 'The server configuration is not deployed: deploy it, or open it so its settings can be sent');
		return deployed.connection;
	}
	const typed = typeof unsaved.password === 'string' && unsaved.password !== '' && unsaved.password !== SAVED_PASSWORD ? unsaved.password : undefined;
	if (typed === undefined) {
		const saved = deployed?.fields;
		if (!deployed?.connection || !saved) throw inputError('password', 'Type the password, or deploy the server configuration first');
		if (String(unsaved.url ?? '') !== String(saved.url ?? '')) throw inputError('url', 'The saved password is only sent to the saved URL: type the password again to use another URL');
		if (Object.entries(unsaved).every(([name, value]) => name === 'password' || String(value ?? '') === String(saved[name] ?? ''))) return deployed.connection;
		const stored = RED.nodes.getCredentials(serverId) ?? {};
		return sessionFor(definition, { ...unsaved, password: stored.password ?? '' });
	}
	return sessionFor(definition, { ...unsaved, password: typed });
}

function sessionFor(definition: SchemeDefinition, data: Record<string, unknown>): Connection {
	return sessionConnection(editorSessions.get({ scheme: definition.id, data }, () => createSchemeSession(definition, data)));
}
