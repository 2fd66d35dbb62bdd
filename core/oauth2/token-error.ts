import { BpmFailure } from '../bpm-error';
import { bodyExcerpt } from '../http/parse-body';
import { redactUrl } from '../redact';
import type { OAuth } from './token-request';

/**
 * A failed token request as a login failure that says what the server said: the HTTP status, its
 * error code and description. Built from the response only, so nothing the request carried (client
 * secret, code, verifier, refresh token) can show. A failure of the transport itself (network,
 * timeout, TLS, proxy) is already a BpmFailure and passes through as it is.
 */
export async function tokenFailure(oauth: OAuth, error: unknown, tokenUrl: string): Promise<unknown> {
	if (error instanceof BpmFailure) return error;
	const endpoint = `The token endpoint ${redactUrl(tokenUrl)}`;
	if (error instanceof oauth.ResponseBodyError) return refusal(endpoint, error.status, error);
	if (error instanceof oauth.WWWAuthenticateChallengeError) {
		// oidc-provider and others repeat the error in the challenge; some put it only in the body.
		const challenge = error.cause.find((c) => c.parameters.error)?.parameters;
		return refusal(endpoint, error.status, challenge ?? (await errorBody(error.response)));
	}
	if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
		const response = error.cause instanceof Response ? error.cause : undefined;
		if (response && !response.ok) {
			const body = response.bodyUsed ? undefined : bodyExcerpt({ kind: 'text', value: await response.text() });
			return new BpmFailure({ kind: 'login', status: response.status, message: `${endpoint} answered ${`${response.status} ${response.statusText}`.trim()} instead of a token`, ...(body ? { body } : {}) });
		}
		return new BpmFailure({ kind: 'login', ...(response ? { status: response.status } : {}), message: `${endpoint} sent a token response that cannot be used: ${error.message}` });
	}
	return error;
}

interface OAuthErrorFields {
	error?: unknown;
	error_description?: unknown;
}

function refusal(endpoint: string, status: number, fields: OAuthErrorFields | undefined): BpmFailure {
	const code = typeof fields?.error === 'string' ? fields.error : 'no error code';
	const description = typeof fields?.error_description === 'string' && fields.error_description !== '' ? `: ${fields.error_description}` : '';
	return new BpmFailure({ kind: 'login', status, message: `${endpoint} refused the request (${status} ${code}${description})` });
}

async function errorBody(response: Response): Promise<OAuthErrorFields | undefined> {
	try {
		const body: unknown = await response.json();
		return typeof body === 'object' && body !== null ? body : undefined;
	} catch {
		return undefined;
	}
}
