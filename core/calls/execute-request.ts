import { BpmFailure, type BpmError, type Outcome } from '../bpm-error';
import { buildRequest, type RequestInput } from '../http/build-request';
import { calculateRetryDelay } from './calculate-retry-delay';
import { parseCallOptions, type ParsedCallOptions } from './call-options';
import type { Connection } from '../sessions/connection';
import { headerValue, type HttpRequest, type HttpResponse } from '../http/http-types';
import { parseRetryAfter } from './parse-retry-after';
import { bodyExcerpt } from '../http/parse-body';
import { redactText, redactUrl } from '../redact';
import { isFailureStatus } from './status-policy';

export interface CallHooks {
	/** Before waiting for attempt `next` of `max`: Node-RED shows it in the node status. */
	onRetry?(next: number, max: number, delayMs: number): void;
	sleep?(ms: number): Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const RETRYABLE_FAILURES = new Set(['network', 'timeout']);

/** Every secret one call knows, to mask in its error or output: the connection's, and a token the item or message brought. */
export function callSecrets(connection: Connection, input: Pick<RequestInput, 'bearerToken'>): string[] {
	return input.bearerToken ? [...connection.secrets(), input.bearerToken] : connection.secrets();
}

/** One call, start to finish: validate, send (logging in as needed), retry per policy, classify. Never throws. */
export async function executeRequest(connection: Connection, input: RequestInput, hooks: CallHooks = {}): Promise<Outcome<HttpResponse>> {
	const started = Date.now();
	const sleep = hooks.sleep ?? sleepFor;
	let request: HttpRequest | undefined;
	let exchanges = 0;
	const fail = (detail: Omit<BpmError, 'attempts' | 'elapsedMs'>): Outcome<HttpResponse> => ({
		ok: false,
		error: redactError({ ...detail, attempts: exchanges, elapsedMs: Date.now() - started }, callSecrets(connection, input)),
	});
	let policy: ParsedCallOptions;
	try {
		policy = parseCallOptions(input.options);
		const { bodySink, signal } = input;
		request = buildRequest(input, connection.baseUrl, bodySink || signal ? { ...policy.settings, bodySink, signal } : policy.settings);
	} catch (error) {
		return fail(failureDetail(error, {}));
	}
	const where = { method: request.method, url: request.url };
	for (let attempt = 1; ; attempt++) {
		let response: HttpResponse;
		try {
			const result = await connection.send(request);
			exchanges += result.attempts;
			response = result.response;
		} catch (error) {
			exchanges++;
			const detail = failureDetail(error, where);
			// A stopped call is over: retrying it would undo the stop.
			if (input.signal?.aborted) return fail(detail);
			const delay = RETRYABLE_FAILURES.has(detail.kind)
				? calculateRetryDelay(policy.retry, { attempt, method: request.method, failedBeforeResponse: true })
				: // A login endpoint that is down (5xx, 429) is retried like the call would be.
					detail.kind === 'login' && detail.status !== undefined
					? calculateRetryDelay(policy.retry, { attempt, method: request.method, status: detail.status, notSent: true })
					: undefined;
			if (delay === undefined) return fail(detail);
			hooks.onRetry?.(attempt + 1, policy.retry.maxAttempts, delay);
			await sleep(delay);
			continue;
		}
		const retryAfterMs = parseRetryAfter(headerValue(response, 'retry-after'), Date.now());
		const delay = calculateRetryDelay(policy.retry, { attempt, method: request.method, status: response.status, retryAfterMs });
		if (delay !== undefined) {
			hooks.onRetry?.(attempt + 1, policy.retry.maxAttempts, delay);
			await sleep(delay);
			continue;
		}
		if (isFailureStatus(response.status, policy.status)) return fail(httpFailure(request, response, exchanges, connection.describeFailure?.(response, request)));
		return { ok: true, value: response, attempts: exchanges, elapsedMs: Date.now() - started };
	}
}

/** A thrown failure as an error value's detail; anything unexpected counts as a network failure. */
export function failureDetail(error: unknown, where: { method?: string; url?: string }): Omit<BpmError, 'attempts' | 'elapsedMs'> {
	if (error instanceof BpmFailure) return { ...where, ...error.detail };
	return { ...where, kind: 'network', message: `Unexpected failure: ${(error as Error)?.message ?? String(error)}` };
}

function httpFailure(request: HttpRequest, response: HttpResponse, exchanges: number, explanation: string | undefined): Omit<BpmError, 'attempts' | 'elapsedMs'> {
	const note = exchanges > 1 ? ` after ${exchanges} attempts` : '';
	return {
		kind: 'http',
		message: explanation ?? `${request.method} ${request.url} answered ${response.status} ${response.statusText}${note}`.trim(),
		status: response.status,
		statusText: response.statusText,
		body: bodyExcerpt(response.body),
		method: request.method,
		url: request.url,
	};
}

/** Known secrets masked in every text an error value carries, the URL's query included. */
export function redactError(error: BpmError, secrets: string[]): BpmError {
	return {
		...error,
		message: redactText(error.url ? error.message.split(error.url).join(redactUrl(error.url)) : error.message, secrets),
		...(error.url ? { url: redactUrl(error.url, secrets) } : {}),
		...(error.body ? { body: redactText(error.body, secrets) } : {}),
	};
}
