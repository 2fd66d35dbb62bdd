import type { HttpRequest, HttpResponse } from '../http/http-types';

/** What a scheme may do on the wire while logging in or out: it shares the session's cookie jar. */
export interface SchemeWire {
	send(request: HttpRequest): Promise<HttpResponse>;
	cookie(name: string, url: string): Promise<string | undefined>;
}

/** What a scheme may know when it logs in again. */
export interface LoginContext<S> {
	/** What the previous login yielded: OAuth2 keeps its refresh token here. */
	previous?: S;
	/** The response that ended the previous login: a Digest challenge arrives this way. */
	rejected?: HttpResponse;
}

/**
 * One vendor's (or one generic) authentication ritual. S is what a login yields: a token, nothing
 * for cookie-only sessions. A scheme holds no mutable state; the session keeps S and decides when
 * to log in again.
 */
export interface AuthScheme<S = unknown> {
	/** Shown in messages, e.g. "Bonita". */
	readonly label: string;
	/** Requests to another origin are sent without authentication; a generic scheme without one applies to every URL. */
	readonly baseUrl?: string;
	/** Throws a BpmFailure of kind 'login' when the server refuses. */
	login(wire: SchemeWire, context: LoginContext<S>): Promise<S>;
	authorize(request: HttpRequest, state: S): HttpRequest;
	/** True when the response says the session is gone and a new login may fix it. */
	isExpired(response: HttpResponse, request: HttpRequest): boolean;
	logout?(wire: SchemeWire, state: S): Promise<void>;
	/** The vendor's explanation of a failed response, when the generic one would mislead; undefined otherwise. */
	describeFailure?(response: HttpResponse, request: HttpRequest): string | undefined;
	/** When to log in again (epoch ms) because the server said the login expires: see renewalTime. */
	renewAt?(state: S): number | undefined;
	/** Every secret that could appear on the wire: credentials and what the login yielded. */
	secrets(state: S | undefined): string[];
	/** Dropdown options the user configured, by setting (Funnelback's collections): see ConfiguredListSource. */
	readonly configuredLists?: Readonly<Record<string, readonly string[]>>;
}

/** A little before a known expiry, so calls in flight do not meet it: 30 s, or a tenth of a short lifetime. */
export function renewalTime(issuedAt: number, lifetimeMs: number): number {
	return issuedAt + lifetimeMs - Math.min(30_000, lifetimeMs / 10);
}
