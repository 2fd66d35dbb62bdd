/**
 * The slice of Node-RED's runtime API these nodes use. Declared here because @types/node-red
 * describes the 1.x API; every member below exists unchanged in 4.x and 5.x.
 */
export interface NodeMessage {
	_msgid?: string;
	payload?: unknown;
	[key: string]: unknown;
}

export interface NodeStatus {
	fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
	shape?: 'ring' | 'dot';
	text?: string;
}

export interface RuntimeNode {
	id: string;
	type: string;
	name?: string;
	credentials: Record<string, string | undefined>;
	on(event: 'input', handler: (msg: NodeMessage, send: (msgs: Array<NodeMessage | null>) => void, done: (error?: Error) => void) => void): void;
	on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
	status(status: NodeStatus): void;
	error(error: unknown, msg?: NodeMessage): void;
	warn(message: unknown): void;
	/** Messages a node sends of its own accord (a watch node's events). */
	send(msg: NodeMessage | Array<NodeMessage | null> | Array<NodeMessage[] | null>): void;
	context(): NodeContext;
}

/** A node's context, in the callback forms every store answers (a store that does not cache needs them). */
export interface NodeContext {
	get(key: string, store: string | undefined, callback: (error: Error | null, value: unknown) => void): void;
	set(key: string, value: unknown, store: string | undefined, callback: (error: Error | null) => void): void;
}

export interface NodeDef {
	id: string;
	type: string;
	name?: string;
	wires?: string[][];
	[key: string]: unknown;
}

export interface NodeRedApi {
	nodes: {
		createNode(node: object, config: NodeDef): void;
		getNode(id: string): RuntimeNode | null;
		registerType<N extends RuntimeNode, C extends NodeDef>(type: string, constructor: (this: N, config: C) => void, options?: { credentials?: Record<string, { type: 'text' | 'password' }> }): void;
		/** A config node's stored credentials, deployed or not (undefined when never deployed). */
		getCredentials(id: string): Record<string, string | undefined> | undefined;
	};
	util: {
		evaluateNodeProperty(value: unknown, type: string, node: RuntimeNode, msg: NodeMessage, callback: (error: Error | null, result: unknown) => void): void;
	};
	/** The editor's express app: routes relative to httpAdminRoot. */
	httpAdmin: {
		post(path: string, ...handlers: Array<(req: AdminRequest, res: AdminResponse, next: () => void) => void>): void;
	};
	auth: {
		needsPermission(permission: string): (req: AdminRequest, res: AdminResponse, next: () => void) => void;
	};
	_(key: string, substitutions?: Record<string, string>): string;
	/** The runtime's settings file, as far as these nodes read it. */
	settings: { contextStorage?: Record<string, unknown> };
}

export interface AdminRequest {
	params: Record<string, string>;
	body?: unknown;
}

export interface AdminResponse {
	status(code: number): AdminResponse;
	json(body: unknown): void;
}
