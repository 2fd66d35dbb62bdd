/**
 * A failed call as a plain value: what both runtimes put on their error branch.
 * It never holds a password, token or cookie: every text in it went through redaction.
 */
export type BpmErrorKind = 'input' | 'login' | 'http' | 'network' | 'timeout' | 'proxy' | 'tls';

export interface BpmError {
	kind: BpmErrorKind;
	message: string;
	/** The parameter or message property at fault, for input errors. */
	field?: string;
	status?: number;
	statusText?: string;
	/** The start of the response body, redacted. */
	body?: string;
	method?: string;
	/** The request URL with credentials and secret-looking query values masked. */
	url?: string;
	/** The socket error code (ECONNRESET, ECONNREFUSED…) of a network failure. */
	code?: string;
	/**
	 * A write that is not idempotent was sent and its outcome is unknown (no answer, or a 5xx): it may have
	 * taken effect, and it was not repeated.
	 */
	mayHaveTakenEffect?: boolean;
	/** HTTP exchanges made for this call, logins excluded. */
	attempts: number;
	elapsedMs: number;
}

export type Outcome<T> = { ok: true; value: T; attempts: number; elapsedMs: number } | { ok: false; error: BpmError };

/** Thrown inside the engine to abort a call; converted to an Outcome at the edge, never escapes it. */
export class BpmFailure extends Error {
	constructor(readonly detail: Omit<BpmError, 'attempts' | 'elapsedMs'>) {
		super(detail.message);
	}
}

export function inputError(field: string, message: string): BpmFailure {
	return new BpmFailure({ kind: 'input', field, message });
}
