/**
 * A real OAuth2 / OpenID Connect server for the engine's tests: oidc-provider 9 (panva) on 127.0.0.1
 * (random port, plain http), in memory, with its development login and consent pages, plus a tiny
 * protected API that accepts only the access tokens this provider issued and still holds.
 *
 *   issuer/token                     token endpoint (client_credentials, authorization_code, refresh_token)
 *   issuer/auth                      authorization endpoint (PKCE required for every client)
 *   api.url/resource                 200 JSON {client, scope} for a live bearer token; 401 otherwise
 *
 * Clients (see CLIENTS): client credentials with client_secret_basic and with client_secret_post (the
 * Basic one's secret holds ":/+ " to prove the RFC 6749 §2.3.1 form encoding), a public client (none),
 * and a confidential authorization-code client (client_secret_basic); both code clients may refresh.
 * Scopes: openid, offline_access, api:read. Account "alice" logs in with any password.
 *
 * Every token endpoint request is recorded in `tokenRequests`: grant type, client, how the client
 * authenticated, the scope and audience parameters, and the answer's status and error.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar } from 'tough-cookie';
import { listenOnLoopback } from '../simulators/listen';

export const REDIRECT_URI = 'http://127.0.0.1/callback';

export const CLIENTS = {
	basic: { clientId: 'cc-basic', clientSecret: 'basic:/+ Secret-Marker-7' },
	post: { clientId: 'cc-post', clientSecret: 'post-Secret-Marker-8' },
	public: { clientId: 'app-public' },
	confidential: { clientId: 'app-confidential', clientSecret: 'app-Secret-Marker-9' },
} as const;

export interface OidcPeerOptions {
	/** Lifetime of client credentials tokens, seconds (default 600). */
	clientCredentialsTtl?: number;
	/** Lifetime of access tokens from a code or refresh, seconds (default 600). */
	accessTokenTtl?: number;
}

export interface TokenRequestRecord {
	grantType?: string;
	clientId?: string;
	/** How the request carried the client's credentials. */
	clientAuth: 'basic' | 'body' | 'none';
	scope?: string;
	audience?: string;
	/** The refresh token presented (refresh_token grant). */
	refreshToken?: string;
	status: number;
	error?: string;
	issuedAccessToken?: string;
	issuedRefreshToken?: string;
}

export interface ProtectedApi {
	/** e.g. http://127.0.0.1:41234 (the resource is at /resource). */
	url: string;
	/** Every call, with the bearer token it carried and the status it got. */
	requests: Array<{ token?: string; status: number }>;
	/** Destroys the token at the provider: the API answers 401 for it from now on. */
	revoke(token: string): Promise<void>;
}

export interface OidcPeer {
	issuer: string;
	tokenUrl: string;
	authorizationUrl: string;
	tokenRequests: TokenRequestRecord[];
	api: ProtectedApi;
	/**
	 * The browser's part of the authorization-code flow, headless: opens the authorization URL, logs in as
	 * alice, consents, and returns what the redirect to REDIRECT_URI carried.
	 */
	authorize(authorizationUrl: string): Promise<{ code: string; state?: string }>;
	close(): Promise<void>;
}

/** The parts of oidc-provider's API used here (the package ships no types). */
interface TokenModel {
	find(value: string): Promise<{ clientId: string; scope?: string; destroy(): Promise<void> } | undefined>;
}
interface KoaContext {
	path: string;
	type: string;
	method: string;
	status: number;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	oidc?: { body?: Record<string, unknown> };
}
interface Provider {
	AccessToken: TokenModel;
	ClientCredentials: TokenModel;
	callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
	use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => Provider;

export async function startOidcPeer(options: OidcPeerOptions = {}): Promise<OidcPeer> {
	let handle: http.RequestListener = (_req, res) => res.end();
	const server = http.createServer((req, res) => handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const provider = await withoutDevelopmentWarnings(async () => {
		// Through a variable: the package is ESM and untyped, and TypeScript would want declarations for a literal specifier.
		const specifier = 'oidc-provider';
		const { default: Provider } = (await import(specifier)) as { default: ProviderConstructor };
		return new Provider(issuer, configuration(options));
	});
	const tokenRequests: TokenRequestRecord[] = [];
	provider.use(async (ctx, next) => {
		await next();
		if (ctx.path === '/token' && ctx.method === 'POST') tokenRequests.push(tokenRecord(ctx));
	});
	handle = provider.callback();

	const api = await startProtectedApi(provider);
	return {
		issuer,
		tokenUrl: `${issuer}/token`,
		authorizationUrl: `${issuer}/auth`,
		tokenRequests,
		api,
		authorize: (authorizationUrl) => authorizeHeadless(authorizationUrl),
		close: async () => {
			await api.close();
			await new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			});
		},
	};
}

/**
 * oidc-provider warns, once per process, about what a test server is on purpose: in memory, with
 * development login pages, on Node 20. Its other warnings still show.
 */
async function withoutDevelopmentWarnings<T>(body: () => Promise<T>): Promise<T> {
	const warn = console.warn;
	const expected = /^oidc-provider WARNING: (Unsupported runtime|a quick start development-only)/;
	console.warn = (...args: unknown[]) => {
		if (!(typeof args[0] === 'string' && expected.test(args[0]))) warn(...args);
	};
	try {
		return await body();
	} finally {
		console.warn = warn;
	}
}

function configuration(options: OidcPeerOptions): Record<string, unknown> {
	const tenMinutes = 600;
	return {
		clients: [
			{
				client_id: CLIENTS.basic.clientId,
				client_secret: CLIENTS.basic.clientSecret,
				token_endpoint_auth_method: 'client_secret_basic',
				grant_types: ['client_credentials'],
				response_types: [],
				redirect_uris: [],
				// Limits the provider's own scopes (openid, offline_access) for this client: asking for them is invalid_scope.
				scope: 'api:read',
			},
			{ client_id: CLIENTS.post.clientId, client_secret: CLIENTS.post.clientSecret, token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
			{ client_id: CLIENTS.public.clientId, token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: [REDIRECT_URI] },
			{
				client_id: CLIENTS.confidential.clientId,
				client_secret: CLIENTS.confidential.clientSecret,
				token_endpoint_auth_method: 'client_secret_basic',
				grant_types: ['authorization_code', 'refresh_token'],
				response_types: ['code'],
				redirect_uris: [REDIRECT_URI],
			},
		],
		features: { clientCredentials: { enabled: true }, devInteractions: { enabled: true } },
		pkce: { required: () => true },
		scopes: ['openid', 'offline_access', 'api:read'],
		// Recorded with the token requests: not an oidc-provider parameter, so it has no effect on the token.
		extraParams: ['audience'],
		findAccount: (_ctx: unknown, accountId: string) => ({ accountId, claims: () => ({ sub: accountId }) }),
		// Own signing key (RS256, every client's default) and cookie secret rather than oidc-provider's development ones.
		jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
		cookies: { keys: ['oidc-peer-cookie-key'] },
		// A failed authorization as plain text, for the headless login's error message.
		renderError: (ctx: KoaContext, out: Record<string, string>) => {
			ctx.type = 'text/plain';
			ctx.body = Object.entries(out)
				.map(([name, value]) => `${name}: ${value}`)
				.join('\n');
		},
		ttl: {
			AccessToken: options.accessTokenTtl ?? tenMinutes,
			ClientCredentials: options.clientCredentialsTtl ?? tenMinutes,
			AuthorizationCode: 60,
			IdToken: tenMinutes,
			RefreshToken: 24 * 3600,
			Interaction: tenMinutes,
			Session: tenMinutes,
			Grant: 24 * 3600,
		},
	};
}

function tokenRecord(ctx: KoaContext): TokenRequestRecord {
	const body = ctx.oidc?.body ?? {};
	const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
	const basic = /^basic /i.test(ctx.headers.authorization ?? '');
	const basicClientId = basic ? decodeURIComponent(Buffer.from(ctx.headers.authorization!.slice(6), 'base64').toString('utf8').split(':')[0]!.replace(/\+/g, ' ')) : undefined;
	const answer = (ctx.body ?? {}) as { error?: string; access_token?: string; refresh_token?: string };
	return {
		grantType: text('grant_type'),
		clientId: basicClientId ?? text('client_id'),
		clientAuth: basic ? 'basic' : text('client_secret') !== undefined ? 'body' : 'none',
		scope: text('scope'),
		audience: text('audience'),
		refreshToken: text('refresh_token'),
		status: ctx.status,
		error: answer.error,
		issuedAccessToken: answer.access_token,
		issuedRefreshToken: answer.refresh_token,
	};
}

/** Accepts a bearer token while the provider holds it (issued, not expired, not revoked), as a resource server would. */
async function startProtectedApi(provider: Provider): Promise<ProtectedApi & { close(): Promise<void> }> {
	const requests: ProtectedApi['requests'] = [];
	const find = async (token: string) => (await provider.ClientCredentials.find(token)) ?? (await provider.AccessToken.find(token));
	const { origin, close } = await listenOnLoopback(async (req, res) => {
		const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
		const found = token ? await find(token) : undefined;
		const status = found ? 200 : 401;
		requests.push({ ...(token ? { token } : {}), status });
		if (!found) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
		res.writeHead(status, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(found ? { client: found.clientId, scope: found.scope ?? null } : { error: 'invalid_token' }));
	});
	return {
		url: origin,
		requests,
		revoke: async (token) => {
			await (await find(token))?.destroy();
		},
		close,
	};
}

/** Follows the provider's redirects by hand with a cookie jar, submitting the login and consent forms on the way. */
async function authorizeHeadless(authorizationUrl: string): Promise<{ code: string; state?: string }> {
	const jar = new CookieJar();
	const request = async (url: string, form?: Record<string, string>) => {
		const response = await fetch(url, {
			method: form ? 'POST' : 'GET',
			redirect: 'manual',
			headers: { cookie: await jar.getCookieString(url), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
			...(form ? { body: new URLSearchParams(form).toString() } : {}),
		});
		for (const line of response.headers.getSetCookie()) await jar.setCookie(line, url);
		return response;
	};
	let url = authorizationUrl;
	for (let step = 0; step < 10; step++) {
		let response = await request(url);
		if (response.status === 200) {
			// An interaction page: its form says which prompt (login, then consent) it expects.
			const prompt = /name="prompt" value="(\w+)"/.exec(await response.text())?.[1];
			if (!prompt) throw new Error(`No prompt on the interaction page ${url}`);
			response = await request(url, prompt === 'login' ? { prompt, login: 'alice', password: 'any' } : { prompt });
		}
		const location = response.headers.get('location');
		if (!location) throw new Error(`${url} answered ${response.status} without a redirect: ${await response.text()}`);
		const next = new URL(location, url);
		if (next.href.startsWith(REDIRECT_URI)) {
			const error = next.searchParams.get('error');
			if (error) throw new Error(`The authorization failed: ${error} ${next.searchParams.get('error_description') ?? ''}`);
			return { code: next.searchParams.get('code')!, state: next.searchParams.get('state') ?? undefined };
		}
		url = next.href;
	}
	throw new Error('The authorization did not reach the redirect URI in 10 steps');
}
