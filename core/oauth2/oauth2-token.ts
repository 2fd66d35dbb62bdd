/**
 * What the OAuth2 Token node of both runtimes calls: one token request, or one authorization link,
 * from the fields of a credential, config node or message. Never throws: a bad field comes back as an
 * input error naming it, a refusal as a login error, and no secret that went in comes out.
 */
import { inputError, type BpmError, type Outcome } from '../bpm-error';
import { failureDetail, redactError } from '../calls/execute-request';
import { parseCallOptions, type CallOptions } from '../calls/call-options';
import type { ExchangeSettings } from '../http/http-types';
import { startAuthorization, exchangeCode, type AuthorizationRequest } from './authorization-code';
import { clientCredentialsGrant } from './client-credentials';
import { optionalAudience, optionalCodeVerifier, optionalScope, optionalText, parseClientAuthentication, requireEndpoint } from './config-fields';
import { refreshGrant } from './refresh';
import type { TokenWire } from './token-fetch';
import type { TokenSet } from './token-set';
import { requireText, requireToken } from '../schemes/scheme-definition';

export type OAuth2Operation = 'clientCredentials' | 'authorizationCode' | 'refreshToken';

/** Typed as plain strings so an adapter can test any operation name it was handed. */
export const OAUTH2_OPERATIONS: readonly string[] = ['clientCredentials', 'authorizationCode', 'refreshToken'] satisfies OAuth2Operation[];

/** A token set for a workflow item or message: the expiry as a lifetime and an ISO date rather than epoch ms. */
export type TokenOutput = {
	accessToken: string;
	tokenType: string;
	/** Seconds, as the server granted them. */
	expiresIn?: number;
	expiresAt?: string;
	refreshToken?: string;
	scope?: string;
};

/** The fields that may hold a secret, masked in any error text. */
const SECRET_FIELDS = ['clientSecret', 'code', 'codeVerifier', 'refreshToken'];

/**
 * @param operation one of OAUTH2_OPERATIONS; another name is an input error on the field "operation".
 * @param input tokenUrl, clientId, clientSecret (optional for a public client), clientAuthentication,
 * scope, audience (client credentials), code, codeVerifier and redirectUri (authorization code),
 * refreshToken (refresh).
 * @param wire a transport, or a session's wire: the token request travels through it.
 * @param options TLS, proxy and timeouts for the token request, as a request node takes them; a bad one is an input error.
 */
export async function requestOAuth2Token(operation: string, input: Record<string, unknown>, wire: TokenWire, options?: CallOptions): Promise<Outcome<TokenOutput>> {
	const started = Date.now();
	const secrets = SECRET_FIELDS.map((field) => input[field]).filter((value): value is string => typeof value === 'string').map((value) => value.trim());
	let prepared: PreparedGrant;
	try {
		prepared = prepareGrant(operation, input, wire, parseCallOptions(options).settings);
	} catch (error) {
		return failure(error, secrets, 0, started);
	}
	try {
		const tokens = await prepared.grant();
		return { ok: true, value: tokenOutput(tokens), attempts: 1, elapsedMs: Date.now() - started };
	} catch (error) {
		return failure(error, secrets, 1, started, { method: 'POST', url: prepared.tokenUrl });
	}
}

/** The link to send a user to, with the PKCE verifier and state to keep until the redirect comes back. */
export function createAuthorizationRequest(input: Record<string, unknown>): Outcome<AuthorizationRequest> {
	try {
		const value = startAuthorization({
			authorizationEndpoint: requireEndpoint(input, 'authorizationUrl', { query: true }),
			clientId: requireText(input, 'clientId'),
			redirectUri: requireEndpoint(input, 'redirectUri', { query: true }),
			scope: optionalScope(input),
		});
		return { ok: true, value, attempts: 0, elapsedMs: 0 };
	} catch (error) {
		return failure(error, [], 0, Date.now());
	}
}

interface PreparedGrant {
	tokenUrl: string;
	grant(): Promise<TokenSet>;
}

/** Validates every field before anything is sent, so a typo costs no request. */
function prepareGrant(operation: string, input: Record<string, unknown>, wire: TokenWire, settings: Partial<ExchangeSettings> | undefined): PreparedGrant {
	if (!OAUTH2_OPERATIONS.includes(operation)) throw inputError('operation', `The operation "${operation}" is not one of ${OAUTH2_OPERATIONS.join(', ')}`);
	const endpoint = { url: requireEndpoint(input, 'tokenUrl', { query: false }), wire, settings };
	const clientId = requireText(input, 'clientId');
	const clientAuthentication = parseClientAuthentication(input);
	if (operation === 'clientCredentials') {
		const client = { clientId, clientSecret: requireText(input, 'clientSecret'), clientAuthentication };
		const request = { scope: optionalScope(input), audience: optionalAudience(input) };
		return { tokenUrl: endpoint.url, grant: () => clientCredentialsGrant(endpoint, client, request) };
	}
	const client = { clientId, clientSecret: optionalText(input, 'clientSecret'), clientAuthentication };
	if (operation === 'refreshToken') {
		const refreshToken = requireToken(input, 'refreshToken');
		const scope = optionalScope(input);
		return { tokenUrl: endpoint.url, grant: () => refreshGrant(endpoint, client, refreshToken, scope) };
	}
	const exchange = {
		code: requireToken(input, 'code'),
		codeVerifier: optionalCodeVerifier(input) ?? missing('codeVerifier'),
		redirectUri: requireEndpoint(input, 'redirectUri', { query: true }),
	};
	return { tokenUrl: endpoint.url, grant: () => exchangeCode(endpoint, client, exchange) };
}

function missing(field: string): never {
	throw inputError(field, `The credential field "${field}" is empty`);
}

function tokenOutput(tokens: TokenSet): TokenOutput {
	return {
		accessToken: tokens.accessToken,
		tokenType: tokens.tokenType,
		...(tokens.expiresAt !== undefined ? { expiresIn: Math.round((tokens.expiresAt - tokens.issuedAt) / 1000), expiresAt: new Date(tokens.expiresAt).toISOString() } : {}),
		...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
		...(tokens.scope !== undefined ? { scope: tokens.scope } : {}),
	};
}

function failure(error: unknown, secrets: string[], attempts: number, started: number, where: { method?: string; url?: string } = {}): { ok: false; error: BpmError } {
	return { ok: false, error: redactError({ ...failureDetail(error, where), attempts, elapsedMs: Date.now() - started }, secrets) };
}
