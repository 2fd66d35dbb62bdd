import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { inputError } from '../bpm-error';
import type { ExchangeSettings, ProxySettings, TlsSettings } from './http-types';
import { TunnelAgent, type ProxyEndpoint } from './tunnel-agent';

/** Sockets per origin and agent; a transport never has more exchanges in flight than this (see exchange-slots). */
export const SOCKETS_PER_ORIGIN = 32;

/** How one exchange reaches its target. */
export interface Route {
	agent: http.Agent;
	/** forward: an http target, asked of the proxy in absolute form; tunnel: an https target, through CONNECT inside `agent`. */
	proxy?: { endpoint: ProxyEndpoint; mode: 'forward' | 'tunnel' };
}

interface AgentSet {
	http: http.Agent;
	https: https.Agent;
	tunnels: Map<string, TunnelAgent>;
	tls: https.AgentOptions;
}

/**
 * Keep-alive agents, one set per distinct TLS setting, so calls that share settings share sockets and
 * a switched-off verification never leaks into another call.
 */
export class AgentPool {
	private readonly sets = new Map<string, AgentSet>();
	/** Calls mostly share one settings value (see call-options): found by identity before any key is built. */
	private byValue = new WeakMap<TlsSettings, AgentSet>();

	route(url: URL, settings: ExchangeSettings): Route {
		const set = this.agentsFor(settings.tls);
		const proxy = proxyFor(url, settings.proxy);
		if (url.protocol === 'http:') return { agent: proxy?.secure ? set.https : set.http, ...(proxy ? { proxy: { endpoint: proxy, mode: 'forward' } } : {}) };
		if (!proxy) return { agent: set.https };
		const key = `${proxy.secure}|${proxy.host}|${proxy.port}|${proxy.authorization ?? ''}`;
		let tunnel = set.tunnels.get(key);
		if (!tunnel) {
			tunnel = new TunnelAgent(proxy, { keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN, ...set.tls });
			set.tunnels.set(key, tunnel);
		}
		return { agent: tunnel, proxy: { endpoint: proxy, mode: 'tunnel' } };
	}

	destroy(): void {
		for (const set of this.sets.values()) {
			set.http.destroy();
			set.https.destroy();
			for (const tunnel of set.tunnels.values()) tunnel.destroy();
		}
		this.sets.clear();
		this.byValue = new WeakMap();
	}

	private agentsFor(settings: TlsSettings): AgentSet {
		const known = this.byValue.get(settings);
		if (known) return known;
		const key = JSON.stringify([settings.ca, settings.cert, settings.key, settings.pfx?.toString('base64'), settings.passphrase, settings.rejectUnauthorized]);
		let set = this.sets.get(key);
		if (!set) {
			const options = tlsOptions(settings);
			set = {
				http: new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN }),
				https: new https.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN, ...options }),
				tunnels: new Map(),
				tls: options,
			};
			this.sets.set(key, set);
		}
		this.byValue.set(settings, set);
		return set;
	}
}

/** Validated here, once, so a bad certificate file is an input error naming the field, not a failed call. */
function tlsOptions(settings: TlsSettings): https.AgentOptions {
	const options: https.AgentOptions = {
		rejectUnauthorized: settings.rejectUnauthorized,
		minVersion: 'TLSv1.2',
		...(settings.ca ? { ca: [...tls.rootCertificates, settings.ca] } : {}),
		...(settings.cert ? { cert: settings.cert } : {}),
		...(settings.key ? { key: settings.key } : {}),
		...(settings.pfx ? { pfx: settings.pfx } : {}),
		...(settings.passphrase ? { passphrase: settings.passphrase } : {}),
	};
	try {
		tls.createSecureContext(options);
	} catch (error) {
		throw inputError('tls', describeTlsSetupError(error as NodeJS.ErrnoException));
	}
	return options;
}

function describeTlsSetupError(error: NodeJS.ErrnoException): string {
	const text = `${error.code ?? ''} ${error.message}`;
	if (/Unsupported PKCS12|ERR_CRYPTO_UNSUPPORTED_OPERATION/i.test(text)) {
		return 'The PKCS#12 file uses legacy encryption (RC2/3DES) that Node.js cannot read; re-export it: openssl pkcs12 -legacy -in old.p12 -nodes | openssl pkcs12 -export -out new.p12';
	}
	if (/mac verify failure|bad decrypt/i.test(text)) return 'The passphrase does not open the client certificate or key';
	if (/PEM|no start line|bad base64|ASN1/i.test(text)) return 'A certificate or key is not valid PEM';
	if (/key values mismatch/i.test(text)) return 'The client key does not match the client certificate';
	return `The TLS settings were refused: ${error.message}`;
}

function proxyFor(url: URL, proxy: ProxySettings | undefined): ProxyEndpoint | undefined {
	if (!proxy || bypasses(url.hostname, proxy.noProxy)) return undefined;
	let parsed: URL;
	try {
		parsed = new URL(proxy.url);
	} catch {
		throw inputError('proxy', `The proxy URL "${proxy.url}" is not a valid URL`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw inputError('proxy', `The proxy URL "${proxy.url}" must start with http:// or https://`);
	const secure = parsed.protocol === 'https:';
	return {
		secure,
		host: parsed.hostname.replace(/^\[|\]$/g, ''),
		port: Number(parsed.port || (secure ? 443 : 80)),
		...(proxy.username ? { authorization: `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}` } : {}),
	};
}

function bypasses(host: string, noProxy: string[]): boolean {
	return noProxy.some((entry) => {
		const name = entry.trim().toLowerCase().replace(/^\*?\./, '');
		return entry.trim() === '*' || host === name || host.endsWith(`.${name}`);
	});
}
