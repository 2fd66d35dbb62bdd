import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { inputError } from './bpm-error';
import type { ExchangeSettings, ProxySettings, TlsSettings } from './http-types';

/** Sockets per origin and agent; a transport never has more exchanges in flight than this (see exchange-slots). */
export const SOCKETS_PER_ORIGIN = 32;

export interface Route {
	httpAgent: http.Agent;
	httpsAgent: https.Agent;
	/** For axios: forward mode for http targets, a CONNECT tunnel for https targets. */
	proxy: false | { protocol: string; host: string; port: number; auth?: { username: string; password: string } };
}

/**
 * Keep-alive agents, one pair per distinct TLS setting, so calls that share settings share sockets and
 * a switched-off verification never leaks into another call.
 */
export class AgentPool {
	private readonly pairs = new Map<string, { httpAgent: http.Agent; httpsAgent: https.Agent }>();

	route(url: URL, settings: ExchangeSettings): Route {
		const key = JSON.stringify([settings.tls.ca, settings.tls.cert, settings.tls.key, settings.tls.pfx?.toString('base64'), settings.tls.passphrase, settings.tls.rejectUnauthorized]);
		let pair = this.pairs.get(key);
		if (!pair) {
			pair = { httpAgent: new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN }), httpsAgent: new https.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN, ...tlsOptions(settings.tls) }) };
			this.pairs.set(key, pair);
		}
		return { ...pair, proxy: proxyFor(url, settings.proxy) };
	}

	destroy(): void {
		for (const { httpAgent, httpsAgent } of this.pairs.values()) {
			httpAgent.destroy();
			httpsAgent.destroy();
		}
		this.pairs.clear();
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

function proxyFor(url: URL, proxy: ProxySettings | undefined): Route['proxy'] {
	if (!proxy || bypasses(url.hostname, proxy.noProxy)) return false;
	let parsed: URL;
	try {
		parsed = new URL(proxy.url);
	} catch {
		throw inputError('proxy', `The proxy URL "${proxy.url}" is not a valid URL`);
	}
	const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
	return {
		protocol: parsed.protocol.replace(':', ''),
		host: parsed.hostname,
		port,
		...(proxy.username ? { auth: { username: proxy.username, password: proxy.password ?? '' } } : {}),
	};
}

function bypasses(host: string, noProxy: string[]): boolean {
	return noProxy.some((entry) => {
		const name = entry.trim().toLowerCase().replace(/^\*?\./, '');
		return entry.trim() === '*' || host === name || host.endsWith(`.${name}`);
	});
}
