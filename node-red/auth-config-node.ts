import { createSchemeSession, sessionConnection, type Connection, type Session, type SchemeDefinition } from '../core';
import type { NodeDef, NodeRedApi, RuntimeNode } from './node-red-api';
import { withDefaults, type NodeProperties } from './node-properties';

/** A vendor or bpm-auth config node: owns one session (login, cookie jar, pool) shared by every node that uses it. */
export interface AuthConfigNode extends RuntimeNode {
	session?: Session;
	connection?: Connection;
	/** The fields and credentials as the scheme's parser reads them, for nodes that call the scheme's endpoints themselves (the OAuth2 Token node). */
	fields?: Record<string, unknown>;
	/** Why there is no session: the settings were refused. */
	configError?: string;
}

/** Logout must finish well inside Node-RED's 15 s close timeout. */
const LOGOUT_TIMEOUT_MS = 5000;

/** definitionFor picks the scheme from the node's fields: a vendor node has one, the generic node lets the user choose. */
export function registerAuthConfigNode(
	RED: NodeRedApi,
	type: string,
	definitionFor: (data: Record<string, unknown>) => SchemeDefinition,
	properties: NodeProperties,
	/** The fields a parser reads; a node whose own property names clash (its "name") maps them here. */
	fieldsOf: (config: NodeDef, credentials: Record<string, unknown>) => Record<string, unknown> = (config, credentials) => ({ ...config, ...credentials }),
): void {
	RED.nodes.registerType(
		type,
		function (this: AuthConfigNode, config: NodeDef) {
			RED.nodes.createNode(this, config);
			const data = fieldsOf(withDefaults(properties, config), this.credentials);
			this.fields = data;
			try {
				this.session = createSchemeSession(definitionFor(data), data);
				this.connection = sessionConnection(this.session);
			} catch (error) {
				this.configError = (error as Error).message;
				this.error(`${this.name || type}: ${this.configError}`);
			}
			this.on('close', (_removed, done) => {
				const session = this.session;
				if (!session) return done();
				const timeout = new Promise<void>((resolve) => setTimeout(resolve, LOGOUT_TIMEOUT_MS).unref());
				void Promise.race([session.logout(), timeout]).finally(() => {
					session.close();
					done();
				});
			});
		},
		{ credentials: properties.credentials },
	);
}
