import { BpmFailure, createSchemeSession, inputError, sessionConnection, SessionRegistry, type Connection, type SchemeDefinition } from '../../core';
import type { AuthConfigNode } from '../auth-config-node';
import type { NodeRedApi } from '../node-red-api';

/** Node-RED's stand-in for a saved password the editor does not hold. */
const SAVED_PASSWORD = '__PWRD__';

/** Sessions for server settings typed in the editor and not deployed yet: one login per distinct setting, few kept. */
const editorSessions = new SessionRegistry(8);

/**
 * The connection a dropdown of the editor uses. The deployed config node's own session when the dialog holds what is
 * deployed; otherwise a session for the settings typed in this editor session. A saved secret (the editor only holds
 * `__PWRD__`) is used with the saved URL only: stored credentials never go to a URL the caller chose.
 * `secretFields`: the config node's password-type credentials.
 */
export function editorConnection(RED: NodeRedApi, definition: SchemeDefinition, serverId: string, unsaved: Record<string, unknown> | undefined, secretFields: readonly string[]): Connection {
	const deployed = serverId ? (RED.nodes.getNode(serverId) as AuthConfigNode | null) : null;
	if (!unsaved) {
		if (!deployed?.connection) throw inputError('server', deployed?.configError ?? 'The server configuration is not deployed: deploy it, or open it so its settings can be sent');
		return deployed.connection;
	}
	const savedSecrets = secretFields.filter((name) => unsaved[name] === SAVED_PASSWORD);
	if (savedSecrets.length === 0) return sessionFor(definition, unsaved);
	const saved = deployed?.connection ? deployed.fields : undefined;
	if (!saved || String(unsaved.url ?? '') !== String(saved.url ?? '')) {
		// Nothing saved for this URL: the settings stand without the saved secrets, or fail naming the one they need.
		const blanked = { ...unsaved, ...Object.fromEntries(savedSecrets.map((name) => [name, ''])) };
		try {
			definition.parseConfig(blanked);
		} catch (error) {
			const field = error instanceof BpmFailure ? error.detail.field : undefined;
			if (field && savedSecrets.includes(field)) {
				throw inputError(field, saved ? `The saved ${field} is only sent to the saved URL: type it again to use another URL` : `Type the ${field}, or deploy the server configuration first`);
			}
			throw error;
		}
		return sessionFor(definition, blanked);
	}
	const asDeployed = Object.entries(unsaved).every(([name, value]) => savedSecrets.includes(name) || String(value ?? '') === String(saved[name] ?? ''));
	if (asDeployed) return deployed!.connection!;
	const stored = RED.nodes.getCredentials(serverId) ?? {};
	return sessionFor(definition, { ...unsaved, ...Object.fromEntries(savedSecrets.map((name) => [name, stored[name] ?? ''])) });
}

function sessionFor(definition: SchemeDefinition, data: Record<string, unknown>): Connection {
	return sessionConnection(editorSessions.get({ scheme: definition.id, data }, () => createSchemeSession(definition, data)));
}
