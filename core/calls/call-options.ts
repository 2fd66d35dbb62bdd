import { inputError } from '../bpm-error';
import { NO_RETRY, type RetryPolicy } from './calculate-retry-delay';
import type { ExchangeSettings, ResponseFormat } from '../http/http-types';
import { FAIL_ON_ERRORS, parseStatusCodes, type StatusPolicy } from './status-policy';

/**
 * The options both runtimes show, as flat user values (code lists as text). Parsed here once, so a
 * value means the same in n8n and in Node-RED and a bad one is refused with the same message.
 */
export interface CallOptions {
	failOn4xx?: boolean;
	failOn5xx?: boolean;
	/** Codes exempt from the fail rules, e.g. "404, 409". */
	exceptCodes?: string;
	/** Attempts in all; 1 (the default) means no retry. */
	maxAttempts?: number;
	retryOn5xx?: boolean;
	retryCodes?: string;
	retryOnNetworkError?: boolean;
	/** Allows retrying POST and PATCH. */
	safeToRepeat?: boolean;
	/** A write that is not idempotent whatever its method (Simplicité runs actions on GET): never repeated once sent. */
	neverRepeat?: boolean;
	retryDelayMs?: number;
	maxRetryAfterMs?: number;
	timeoutMs?: number;
	deadlineMs?: number;
	followRedirects?: boolean;
	maxRedirects?: number;
	maxResponseBytes?: number;
	responseFormat?: string;
	ignoreBody?: boolean;
	allowUnauthorizedCerts?: boolean;
	ca?: string;
	cert?: string;
	key?: string;
	pfx?: Buffer;
	passphrase?: string;
	proxyUrl?: string;
	proxyUsername?: string;
	proxyPassword?: string;
	/** Comma-separated host names reached directly. */
	noProxy?: string;
}

export interface ParsedCallOptions {
	status: StatusPolicy;
	retry: RetryPolicy;
	settings: Partial<ExchangeSettings>;
}

/**
 * @param env where HTTP_PROXY, HTTPS_PROXY and NO_PROXY (any case) are read when no proxy is configured, as
 * Node-RED's core http request node and most HTTP clients do.
 */
export function parseCallOptions(options: CallOptions = {}, env: Record<string, string | undefined> = process.env): ParsedCallOptions {
	const status: StatusPolicy = {
		failOn4xx: options.failOn4xx ?? FAIL_ON_ERRORS.failOn4xx,
		failOn5xx: options.failOn5xx ?? FAIL_ON_ERRORS.failOn5xx,
		exceptCodes: parseStatusCodes(options.exceptCodes, 'exceptCodes'),
	};
	const retry: RetryPolicy = {
		maxAttempts: whole(options.maxAttempts, 'maxAttempts', 1, 20) ?? NO_RETRY.maxAttempts,
		retryOn5xx: options.retryOn5xx ?? true,
		retryCodes: parseStatusCodes(options.retryCodes ?? '429', 'retryCodes'),
		retryOnNetworkError: options.retryOnNetworkError ?? true,
		retryUnsafeMethods: options.safeToRepeat ?? false,
		neverRepeatSent: options.neverRepeat ?? false,
		baseDelayMs: whole(options.retryDelayMs, 'retryDelayMs', 0, 600_000) ?? NO_RETRY.baseDelayMs,
		maxDelayMs: NO_RETRY.maxDelayMs,
		maxRetryAfterMs: whole(options.maxRetryAfterMs, 'maxRetryAfterMs', 0, 3_600_000) ?? NO_RETRY.maxRetryAfterMs,
	};
	const settings: Partial<ExchangeSettings> = defined({
		timeoutMs: whole(options.timeoutMs, 'timeoutMs', 1, 3_600_000),
		deadlineMs: whole(options.deadlineMs, 'deadlineMs', 1, 24 * 3_600_000),
		followRedirects: options.followRedirects,
		neverResend: options.neverRepeat,
		maxRedirects: whole(options.maxRedirects, 'maxRedirects', 0, 50),
		maxResponseBytes: whole(options.maxResponseBytes, 'maxResponseBytes', 1, Number.MAX_SAFE_INTEGER),
		responseFormat: responseFormat(options.responseFormat),
		ignoreBody: options.ignoreBody,
		tls: tlsSettings(options),
		proxy: proxySettings(options, env),
	});
	return { status, retry, settings };
}

const VERIFIED: ExchangeSettings['tls'] = Object.freeze({ rejectUnauthorized: true });

function tlsSettings(options: CallOptions): ExchangeSettings['tls'] {
	// The common case shares one frozen value, so the agent pool finds its agents without building a key.
	if (!options.allowUnauthorizedCerts && !options.ca && !options.cert && !options.key && !options.pfx) return VERIFIED;
	return defined({
		rejectUnauthorized: !options.allowUnauthorizedCerts,
		ca: text(options.ca),
		cert: text(options.cert),
		key: text(options.key),
		pfx: options.pfx,
		passphrase: text(options.passphrase),
	}) as ExchangeSettings['tls'];
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
let processProxyEnv: Record<string, string | undefined> | undefined;

/** The process's proxy variables, read once: they are set before n8n or Node-RED starts, and each read of process.env is a call into C++. */
function proxyEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
	if (env !== process.env) return env;
	processProxyEnv ??= Object.fromEntries(PROXY_VARIABLES.map((name) => [name, env[name]]));
	return processProxyEnv;
}

function proxySettings(options: CallOptions, given: Record<string, string | undefined>): ExchangeSettings['proxy'] {
	const env = proxyEnv(given);
	const fromEnv = (name: string) => text(env[name] ?? env[name.toLowerCase()]);
	const configured = text(options.proxyUrl);
	// One proxy for both schemes: HTTPS_PROXY first, since BPM servers are mostly https.
	const url = configured ?? fromEnv('HTTPS_PROXY') ?? fromEnv('HTTP_PROXY');
	if (!url) return undefined;
	const noProxy = (configured ? options.noProxy : fromEnv('NO_PROXY')) ?? '';
	return defined({
		url: url.trim(),
		username: text(options.proxyUsername),
		password: text(options.proxyPassword),
		noProxy: noProxy.split(',').map((h) => h.trim()).filter((h) => h !== ''),
	});
}

const RESPONSE_FORMATS: readonly ResponseFormat[] = ['auto', 'json', 'text', 'binary'];

function responseFormat(value: string | undefined): ResponseFormat | undefined {
	if (value === undefined || value === '') return undefined;
	const format = RESPONSE_FORMATS.find((f) => f === value);
	if (!format) throw inputError('responseFormat', `responseFormat must be one of ${RESPONSE_FORMATS.join(', ')}, not "${value}"`);
	return format;
}

function whole(value: number | undefined, field: string, min: number, max: number): number | undefined {
	if (value === undefined || (value as unknown) === '') return undefined;
	const number = Number(value);
	if (!Number.isInteger(number) || number < min || number > max) throw inputError(field, `${field} must be a whole number from ${min} to ${max}, not "${value}"`);
	return number;
}

function text(value: string | undefined): string | undefined {
	return value === undefined || value.trim() === '' ? undefined : value;
}

function defined<T extends object>(object: T): T {
	const out = {} as T;
	for (const key in object) if (object[key] !== undefined) out[key] = object[key];
	return out;
}
