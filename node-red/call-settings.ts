import type { CallOptions } from '../core';
import { connectionOptionsFor, type ConnectionConfig } from './connection-options';
import type { NodeRedApi } from './node-red-api';

/** The call settings an operation or watch node stores: attempts, their delay, the timeout, Node-RED's TLS and proxy nodes. */
export function callSettingsDefaults(maxAttempts: number) {
	return {
		maxAttempts: { value: maxAttempts, validate: { integerFrom: 1, to: 20, blankAllowed: false } },
		retryDelayMs: { value: 500, validate: 'number' },
		/** Blank: the engine's 30 s to the first byte. */
		timeoutMs: { value: '', validate: /^\d*$/ },
		tls: { value: '', type: 'tls-config', required: false },
		proxy: { value: '', type: 'http proxy', required: false },
	} as const;
}

/** Those settings as engine options, read once per deploy. */
export function callOptionsOf(RED: NodeRedApi, config: ConnectionConfig & { maxAttempts?: unknown; retryDelayMs?: unknown; timeoutMs?: unknown }): CallOptions {
	const timeout = config.timeoutMs === undefined || config.timeoutMs === '' ? {} : { timeoutMs: Number(config.timeoutMs) };
	return { ...connectionOptionsFor(RED, config), maxAttempts: Number(config.maxAttempts) || 1, retryDelayMs: Number(config.retryDelayMs) || 0, ...timeout };
}
