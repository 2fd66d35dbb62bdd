import { createVendorSession, sessionConnection, type Connection, type Session, type VendorDefinition } from '../core';
import type { NodeDef, NodeRedApi, RuntimeNode } from './node-red-api';

/** A vendor config node: owns one session (login, cookie jar, pool) shared by every node that uses it. */
export interface VendorConfigNode extends RuntimeNode {
	session?: Session;
	connection?: Connection;
	/** Why there is no session: the settings were refused. */
	configError?: string;
}

/** Logout must finish well inside Node-RED's 15 s close timeout. */
const LOGOUT_TIMEOUT_MS = 5000;

export function registerVendorConfigNode(RED: NodeRedApi, vendor: VendorDefinition, credentials: Record<string, { type: 'text' | 'password' }>): void {
	RED.nodes.registerType(
		vendor.nodeRedConfig,
		function (this: VendorConfigNode, config: NodeDef) {
			RED.nodes.createNode(this, config);
			try {
				this.session = createVendorSession(vendor, { ...config, ...this.credentials });
				this.connection = sessionConnection(this.session);
			} catch (error) {
				this.configError = (error as Error).message;
				this.error(`${vendor.displayName}: ${this.configError}`);
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
		{ credentials },
	);
}
