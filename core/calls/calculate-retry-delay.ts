import type { HttpMethod } from '../http/http-types';

export interface RetryPolicy {
	/** Attempts in all, the first included; 1 means no retry. */
	maxAttempts: number;
	retryOn5xx: boolean;
	/** Further statuses that are retried (429, 408, …). */
	retryCodes: readonly number[];
	retryOnNetworkError: boolean;
	/** POST and PATCH are retried only when the user says the call is safe to repeat (RFC 9110 §9.2.2). */
	retryUnsafeMethods: boolean;
	/** The call is a write that is not idempotent whatever its method: once sent, it is never sent again. */
	neverRepeatSent: boolean;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A longer Retry-After is not waited for: the call fails at once. */
	maxRetryAfterMs: number;
}

export interface AttemptOutcome {
	/** 1 for the first attempt. */
	attempt: number;
	method: HttpMethod;
	status?: number;
	/** Set when no response came: a network error or a timeout. */
	failedBeforeResponse?: boolean;
	/** The call itself never left (its login failed), so repeating it cannot do harm, whatever its method. */
	notSent?: boolean;
	retryAfterMs?: number;
}

const UNSAFE: ReadonlySet<HttpMethod> = new Set(['POST', 'PATCH']);

/** How long to wait before the next attempt, or undefined to stop here. Full jitter: random × capped 2^n. */
export function calculateRetryDelay(policy: RetryPolicy, outcome: AttemptOutcome, random: () => number = Math.random): number | undefined {
	if (outcome.attempt >= policy.maxAttempts) return undefined;
	// 429 refuses a call before processing it (RFC 6585: a quota, a rate limit), so even a POST may be sent again.
	const unsafe = policy.neverRepeatSent || (UNSAFE.has(outcome.method) && !policy.retryUnsafeMethods);
	if (unsafe && !outcome.notSent && outcome.status !== 429) return undefined;
	const retryable = outcome.failedBeforeResponse
		? policy.retryOnNetworkError
		: outcome.status !== undefined && ((policy.retryOn5xx && outcome.status >= 500) || policy.retryCodes.includes(outcome.status));
	if (!retryable) return undefined;
	if (outcome.retryAfterMs !== undefined) return outcome.retryAfterMs <= policy.maxRetryAfterMs ? outcome.retryAfterMs : undefined;
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (outcome.attempt - 1));
	return Math.round(random() * ceiling);
}

export const NO_RETRY: RetryPolicy = {
	maxAttempts: 1,
	retryOn5xx: false,
	retryCodes: [],
	retryOnNetworkError: false,
	retryUnsafeMethods: false,
	neverRepeatSent: false,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 60_000,
};
