import { BpmFailure, type BpmError, type Outcome } from './bpm-error';
import { buildRequest, type RequestInput } from './build-request';
import type { Connection } from './connection';
import type { HttpRequest, HttpResponse } from './http-types';
import { bodyExcerpt } from './parse-body';
import { redactText, redactUrl } from './redact';

/** One call, start to finish: validate, send (logging in as needed), classify. Never throws. */
export async function executeRequest(connection: Connection, input: RequestInput): Promise<Outcome<HttpResponse>> {
	const started = Date.now();
	let request: HttpRequest | undefined;
	let attempts = 0;
	const fail = (detail: Omit<BpmError, 'attempts' | 'elapsedMs'>): Outcome<HttpResponse> => ({
		ok: false,
		error: redactError({ ...detail, attempts, elapsedMs: Date.now() - started }, connection.secrets()),
	});
	try {
		request = buildRequest({ ...input, baseUrl: input.baseUrl ?? connection.baseUrl });
		const result = await connection.send(request);
		attempts = result.attempts;
		const { response } = result;
		if (response.status >= 400) return fail(httpFailure(request, response, attempts));
		return { ok: true, value: response, attempts, elapsedMs: Date.now() - started };
	} catch (error) {
		const where = request ? { method: request.method, url: request.url } : {};
		if (error instanceof BpmFailure) return fail({ ...where, ...error.detail });
		return fail({ ...where, kind: 'network', message: `Unexpected failure: ${(error as Error)?.message ?? String(error)}` });
	}
}

function httpFailure(request: HttpRequest, response: HttpResponse, attempts: number): Omit<BpmError, 'attempts' | 'elapsedMs'> {
	const replayNote = attempts > 1 ? ' (after a fresh login and one replay)' : '';
	return {
		kind: 'http',
		message: `${request.method} ${request.url} answered ${response.status} ${response.statusText}${replayNote}`.trim(),
		status: response.status,
		statusText: response.statusText,
		body: bodyExcerpt(response.body),
		method: request.method,
		url: request.url,
	};
}

function redactError(error: BpmError, secrets: string[]): BpmError {
	return {
		...error,
		message: redactText(error.url ? error.message.split(error.url).join(redactUrl(error.url)) : error.message, secrets),
		...(error.url ? { url: redactUrl(error.url, secrets) } : {}),
		...(error.body ? { body: redactText(error.body, secrets) } : {}),
	};
}
