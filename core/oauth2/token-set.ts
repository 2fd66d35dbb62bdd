import type { TokenEndpointResponse } from 'oauth4webapi' with { 'resolution-mode': 'import' };
import { renewalTime } from '../schemes/auth-scheme';

/**
 * What a token endpoint granted, as plain data: what a session keeps and the OAuth2 Token node puts
 * out. An id_token never gets here: without discovery there is no issuer or key to check it against.
 */
export interface TokenSet {
	accessToken: string;
	/** Lower case, as oauth4webapi normalises it: "bearer". */
	tokenType: string;
	/** Epoch ms when the request left: the lifetime counts from then, so a slow answer errs on the early side. */
	issuedAt: number;
	/** Epoch ms; absent when the server sent no expires_in. */
	expiresAt?: number;
	refreshToken?: string;
	scope?: string;
}

export function toTokenSet(response: TokenEndpointResponse, issuedAt: number): TokenSet {
	return {
		accessToken: response.access_token,
		tokenType: response.token_type,
		issuedAt,
		...(response.expires_in !== undefined ? { expiresAt: issuedAt + response.expires_in * 1000 } : {}),
		...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
		...(response.scope !== undefined ? { scope: response.scope } : {}),
	};
}

/** A new token shortly before the old one expires, when the server said when that is. */
export function tokenRenewalTime(tokens: TokenSet): number | undefined {
	return tokens.expiresAt === undefined ? undefined : renewalTime(tokens.issuedAt, tokens.expiresAt - tokens.issuedAt);
}

export function tokenSecrets(tokens: TokenSet | undefined): string[] {
	if (!tokens) return [];
	return tokens.refreshToken ? [tokens.accessToken, tokens.refreshToken] : [tokens.accessToken];
}
