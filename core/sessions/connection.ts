import type { HttpRequest, HttpResponse } from '../http/http-types';
import { Session, type SessionResult } from './session';
import { createTransport, type Transport } from '../http/transport';
import type { SchemeDefinition } from '../schemes/scheme-definition';
import { Memo } from './memo';

/** What a request node sends through: a vendor session, or a plain transport for unauthenticated calls. */
export interface Connection {
	readonly baseUrl?: string;
	send(request: HttpRequest): Promise<SessionResult>;
	secrets(): string[];
	describeFailure?(response: HttpResponse, request: HttpRequest): string | undefined;
	/** Ends the vendor session (Simplicité's /api/logout, Bonita's logoutservice); the next call logs in again. */
	logout?(): Promise<void>;
	/** What the operations learn once per session (the current user, contracts). */
	readonly memo: Memo;
	/** Dropdown options the user configured in the credential or config node, by setting. */
	readonly configuredLists?: Readonly<Record<string, readonly string[]>>;
}

export function sessionConnection(session: Session): Connection {
	return {
		baseUrl: session.scheme.baseUrl,
		send: (request) => session.send(request),
		secrets: () => session.secrets(),
		describeFailure: (response, request) => session.scheme.describeFailure?.(response, request),
		logout: () => session.logout(),
		memo: session.memo,
		configuredLists: session.scheme.configuredLists,
	};
}

export function plainConnection(transport: Transport): Connection {
	return {
		send: async (request) => ({ response: await transport.send(request), attempts: 1 }),
		secrets: () => transport.cookieValues(),
		memo: new Memo(),
	};
}

export function createSchemeSession(definition: SchemeDefinition, data: Record<string, unknown>): Session {
	return new Session(definition.createScheme(definition.parseConfig(data)), createTransport());
}

