import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Route } from './agent-pool';
import type { EncodedBody } from './encode-body';
import type { BodySink } from './http-types';
import { TunnelRefused } from './tunnel-agent';

/** One request on the wire, everything decided: headers final, body encoded, route chosen. */
export interface Exchange {
	method: string;
	url: URL;
	/** Final, as Node's flat raw list (see wireHeaders), Host included. */
	headers: string[];
	body: EncodedBody;
	route: Route;
	/** Socket inactivity: connecting, waiting for the response, or between two chunks. */
	timeoutMs: number;
	deadlineMs: number;
	/** Counted after decompression, so a small gzip bomb is cut off too. */
	maxResponseBytes: number;
	ignoreBody: boolean;
	sink?: BodySink;
	signal?: AbortSignal;
}

export interface RawResponse {
	status: number;
	statusText: string;
	/** Lower-case names; a header sent several times keeps each value (Set-Cookie, X-Multi…). */
	headers: Record<string, string | string[]>;
	body: Buffer;
}

/** Why an exchange produced no response. Carries codes only: a Node error may quote the request's headers. */
export class ExchangeFailure extends Error {
	constructor(
		readonly reason: 'timeout' | 'deadline' | 'too-large' | 'proxy' | 'socket' | 'aborted',
		readonly code = '',
		readonly status?: number,
		/** The request went out on a kept-alive socket the peer may have closed while it was idle. */
		readonly reusedSocket = false,
	) {
		super(`${reason} ${code}`);
	}
}

const EMPTY = Buffer.alloc(0);

/** Sends one request with Node's http client and reads the whole response. Follows nothing, retries nothing. */
export function sendExchange(exchange: Exchange): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const { url, route, body } = exchange;
		const proxy = route.proxy?.mode === 'forward' ? route.proxy.endpoint : undefined;
		let settled = false;
		let request: http.ClientRequest | undefined;
		const deadline = setTimeout(() => finish(new ExchangeFailure('deadline')), exchange.deadlineMs);
		const abort = () => finish(new ExchangeFailure('aborted'));
		exchange.signal?.addEventListener('abort', abort, { once: true });
		function finish(error: ExchangeFailure | undefined, response?: RawResponse) {
			if (settled) return;
			settled = true;
			clearTimeout(deadline);
			exchange.signal?.removeEventListener('abort', abort);
			if (!error) return resolve(response!);
			request?.destroy();
			if (body.data && typeof body.data === 'object' && 'destroy' in body.data) (body.data as Readable).destroy();
			reject(error);
		}
		if (exchange.signal?.aborted) return abort();
		try {
			request = ((proxy ? proxy.secure : url.protocol === 'https:') ? https : http).request({
				method: exchange.method,
				// The proxy gets the absolute URL and the credentials meant for it; Host stays the target's.
				host: proxy ? proxy.host : url.hostname.replace(/^\[|\]$/g, ''),
				port: proxy ? proxy.port : url.port || (url.protocol === 'https:' ? 443 : 80),
				path: proxy ? url.href : `${url.pathname}${url.search}`,
				headers: proxy?.authorization ? [...exchange.headers, 'Proxy-Authorization', proxy.authorization] : exchange.headers,
				agent: route.agent,
				timeout: exchange.timeoutMs,
			});
		} catch (error) {
			finish(new ExchangeFailure('socket', (error as NodeJS.ErrnoException).code ?? 'ERR_INVALID_REQUEST'));
			return;
		}
		const sent = request;
		sent.on('timeout', () => finish(new ExchangeFailure('timeout')));
		sent.on('error', (error: NodeJS.ErrnoException) => {
			if (error instanceof TunnelRefused) finish(new ExchangeFailure('proxy', '', error.status));
			else finish(new ExchangeFailure('socket', error.code ?? 'ECONNRESET', undefined, sent.reusedSocket));
		});
		sent.on('response', (response) => readResponse(response, exchange, finish));
		const data = body.data;
		if (data === undefined || typeof data === 'string' || Buffer.isBuffer(data)) {
			sent.end(data);
		} else {
			data.on('error', (error: NodeJS.ErrnoException) => finish(new ExchangeFailure('socket', error.code ?? 'EIO')));
			data.pipe(sent);
		}
	});
}

function readResponse(response: http.IncomingMessage, exchange: Exchange, finish: (error: ExchangeFailure | undefined, response?: RawResponse) => void): void {
	const headers = distinctHeaders(response.rawHeaders);
	const status = response.statusCode ?? 0;
	const done = (body: Buffer) => finish(undefined, { status, statusText: response.statusMessage ?? '', headers, body });
	// A peer that hangs up mid-body leaves an incomplete message: never a short body passed off as whole.
	response.on('close', () => response.complete || finish(new ExchangeFailure('socket', 'ECONNRESET')));
	response.on('error', (error: NodeJS.ErrnoException) => finish(new ExchangeFailure('socket', error.code ?? 'ECONNRESET')));
	if (exchange.ignoreBody || exchange.method === 'HEAD') {
		response.on('end', () => done(EMPTY)).resume();
		return;
	}
	// Read from our own copy: IncomingMessage.headers would build a second one.
	const declared = Number(headers['content-length']);
	const encoding = headers['content-encoding'];
	const decoder = status === 204 || status === 304 || Array.isArray(encoding) ? undefined : decoderFor(encoding);
	if (!decoder && declared > exchange.maxResponseBytes) {
		finish(new ExchangeFailure('too-large'));
		return;
	}
	const source: Readable = decoder ? response.pipe(decoder) : response;
	if (exchange.sink && status >= 200 && status <= 299) return streamTo(exchange.sink, source, response, decoder, () => done(EMPTY));
	const chunks: Buffer[] = [];
	let size = 0;
	source.on('data', (chunk: Buffer) => {
		size += chunk.length;
		if (size <= exchange.maxResponseBytes) chunks.push(chunk);
		else {
			decoder?.destroy();
			finish(new ExchangeFailure('too-large'));
		}
	});
	if (decoder) decoder.on('error', (error: NodeJS.ErrnoException) => finish(new ExchangeFailure('socket', error.code ?? 'Z_DATA_ERROR')));
	source.on('end', () => done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
}

/** A 2xx body handed to its sink chunk by chunk, unbounded (the sink holds what it keeps); cut off once the sink has enough. */
function streamTo(sink: BodySink, source: Readable, response: http.IncomingMessage, decoder: zlib.Gunzip | zlib.Unzip | zlib.BrotliDecompress | undefined, done: () => void): void {
	sink.start();
	let stopped = false;
	source.on('data', (chunk: Buffer) => {
		if (stopped || sink.write(chunk)) return;
		stopped = true;
		done();
		decoder?.destroy();
		response.destroy();
	});
	source.on('end', () => {
		if (stopped) return;
		sink.end();
		done();
	});
}

// Lenient flushing, as browsers and curl do: a stream cut short by the server still yields what arrived.
const LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Unzip | zlib.BrotliDecompress | undefined {
	switch (encoding?.trim().toLowerCase()) {
		case 'gzip':
		case 'x-gzip':
			return zlib.createGunzip(LENIENT);
		case 'deflate':
			return zlib.createUnzip(LENIENT);
		case 'br':
			return zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
		default:
			return undefined;
	}
}

/** From the raw name/value list in one pass. */
function distinctHeaders(raw: string[]): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (let i = 0; i < raw.length; i += 2) {
		const name = raw[i].toLowerCase();
		if (name === '__proto__') continue;
		const known = out[name];
		out[name] = known === undefined ? raw[i + 1] : Array.isArray(known) ? [...known, raw[i + 1]] : [known, raw[i + 1]];
	}
	return out;
}
