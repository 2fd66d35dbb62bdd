import type { AuthScheme, LoginContext, SchemeWire } from '../schemes/auth-scheme';
import type { ExchangeSettings, HttpRequest, HttpResponse } from '../http/http-types';
import type { Transport } from '../http/transport';
import { Memo } from './memo';

export type SessionState = 'idle' | 'logging-in' | 'logged-in' | 'login-failed' | 'logged-out';

export interface SessionResult {
	response: HttpResponse;
	/** HTTP exchanges for this call, logins excluded: 2 when an expiry forced a replay. */
	attempts: number;
}

interface Login<S> {
	generation: number;
	state: Promise<S>;
}

/**
 * A logged-in conversation with one server for one credential. Concurrent calls share one login
 * (single flight); an expired session is replaced by exactly one new login, and each call that met
 * the expiry is replayed once.
 */
export class Session<S = unknown> {
	private login?: Login<S>;
	private generation = 0;
	private lastState?: S;
	private lastSettings?: Partial<ExchangeSettings>;
	private readonly listeners = new Set<(state: SessionState) => void>();
	private status: SessionState = 'idle';
	/** Kept across logins (the same credential is the same user); emptied by a logout. */
	readonly memo = new Memo();

	constructor(
		readonly scheme: AuthScheme<S>,
		private readonly transport: Transport,
	) {}

	get state(): SessionState {
		return this.status;
	}

	onStateChange(listener: (state: SessionState) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	async send(request: HttpRequest): Promise<SessionResult> {
		if (!this.appliesTo(request.url)) return { response: await this.transport.send(request), attempts: 1 };
		let first = this.current(request.settings, {});
		const firstState = await first.state;
		if (this.isStale(firstState)) {
			this.invalidate(first.generation);
			first = this.current(request.settings, { previous: firstState });
		}
		const state = await first.state;
		const response = await this.transport.send(this.scheme.authorize(request, state), (hop) => this.scheme.authorize(hop, state));
		if (!this.scheme.isExpired(response, request)) return { response, attempts: 1 };
		this.invalidate(first.generation);
		const second = this.current(request.settings, { previous: state, rejected: response });
		const renewed = await second.state;
		const replayed = await this.transport.send(this.scheme.authorize(request, renewed), (hop) => this.scheme.authorize(hop, renewed));
		return { response: replayed, attempts: 2 };
	}

	/** Logs out if logged in; the next call logs in again. Never throws: logout is best effort. */
	async logout(): Promise<void> {
		const login = this.login;
		this.login = undefined;
		this.generation++;
		if (login && this.scheme.logout) {
			try {
				await this.scheme.logout(this.wire(this.lastSettings), await login.state);
			} catch {
				// The server may already have dropped the session; nothing more to undo.
			}
		}
		await this.transport.clearCookies();
		this.memo.clear();
		this.setStatus('logged-out');
	}

	/** Secrets this session knows now, for redaction. */
	secrets(): string[] {
		return [...this.scheme.secrets(this.lastState), ...this.transport.cookieValues()];
	}

	close(): void {
		this.transport.close();
	}

	private isStale(state: S): boolean {
		const renewAt = this.scheme.renewAt?.(state);
		return renewAt !== undefined && Date.now() >= renewAt;
	}

	private appliesTo(url: string): boolean {
		return this.scheme.baseUrl === undefined || new URL(url).origin === new URL(this.scheme.baseUrl).origin;
	}

	/** Logins travel like the call that needed them: same proxy, same TLS settings. */
	private wire(settings: Partial<ExchangeSettings> | undefined): SchemeWire {
		return {
			send: (request) => this.transport.send({ ...request, settings: { ...settings, ...request.settings } }),
			cookie: (name, url) => this.transport.cookie(name, url),
		};
	}

	/** The login in force, or a new one; a call that joins a login started by another ignores its own context. */
	private current(callSettings: Partial<ExchangeSettings> | undefined, context: LoginContext<S>): Login<S> {
		if (this.login) return this.login;
		const generation = ++this.generation;
		// A login is shared by every call: it never streams into one call's sink nor stops with one call's signal.
		const { bodySink, signal, ...settings } = callSettings ?? {};
		this.lastSettings = settings;
		this.setStatus('logging-in');
		const state = this.scheme.login(this.wire(settings), context);
		const login: Login<S> = { generation, state };
		this.login = login;
		state.then(
			(value) => {
				this.lastState = value;
				if (this.login === login) this.setStatus('logged-in');
			},
			() => {
				// A failed login is not cached: the next call tries again with fresh credentials.
				if (this.login === login) {
					this.login = undefined;
					this.setStatus('login-failed');
				}
			},
		);
		return login;
	}

	/** Only the call that met the current login's expiry drops it; later ones join the new login. */
	private invalidate(generation: number): void {
		if (this.login?.generation === generation) this.login = undefined;
	}

	private setStatus(status: SessionState): void {
		if (this.status === status) return;
		this.status = status;
		for (const listener of this.listeners) listener(status);
	}
}
