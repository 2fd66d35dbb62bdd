import { createHash } from 'node:crypto';
import { BpmFailure, callSecrets, collectRequestPages, createTransport, executeRequest, fileFromBuffer, outputBody, outputHeaders, parsePagingSettings, plainConnection, type BpmError, type CallOptions, type Connection, type RequestInput, type SessionState } from '../core';
import type { NodeDef, NodeMessage, NodeRedApi, NodeStatus, RuntimeNode } from './node-red-api';
import { connectionOptionsFor } from './connection-options';
import { withDefaults, type Settings } from './node-properties';
import { bpmRequestProperties } from './properties/bpm-request';
import { failureSender } from './send-failure';
import type { AuthConfigNode } from './auth-config-node';

/** Every property filled in: what the editor shows is what runs. */
type RequestConfig = Settings<typeof bpmRequestProperties>;

/** Marks msg.headers as response headers, so a following request node does not send them back out. */
const RESPONSE_HEADERS_MARK = 'x-bpm-connect-response';

const SESSION_STATUS: Record<SessionState, NodeStatus> = {
	idle: {},
	'logging-in': { fill: 'yellow', shape: 'ring', text: 'bpm-request.status.logging-in' },
	'logged-in': { fill: 'green', shape: 'dot', text: 'bpm-request.status.logged-in' },
	'login-failed': { fill: 'red', shape: 'ring', text: 'bpm-request.status.login-failed' },
	'logged-out': { fill: 'grey', shape: 'ring', text: 'bpm-request.status.logged-out' },
};

export = function (RED: NodeRedApi): void {
	RED.nodes.registerType('bpm-request', function (this: RuntimeNode, flowConfig: NodeDef) {
		RED.nodes.createNode(this, flowConfig);
		const config = withDefaults(bpmRequestProperties, flowConfig);
		const usesServer = config.auth !== 'none' && config.auth !== 'msg';
		const serverId = usesServer ? config[config.auth] : undefined;
		const server = typeof serverId === 'string' && serverId ? (RED.nodes.getNode(serverId) as AuthConfigNode | null) : null;
		const ownTransport = server ? undefined : createTransport();
		const connection: Connection | undefined = server ? server.connection : plainConnection(ownTransport!);
		const sendFailure = failureSender(this, config);
		const unsubscribe = server?.session?.onStateChange((state) => this.status(SESSION_STATUS[state]));
		const connectionOptions = connectionOptionsFor(RED, config);
		const missingServer = usesServer && !server;
		if ((server && !connection) || missingServer) this.status({ fill: 'red', shape: 'ring', text: 'bpm-request.status.config-error' });
		const paging = readPaging(config);

		this.on('input', (msg, send, done) => {
			const fail = (error: BpmError) => sendFailure(msg, send, done, error);
			if (!connection || missingServer) return fail({ kind: 'input', field: 'server', message: server?.configError ?? `The ${config.auth} server configuration is missing`, attempts: 0, elapsedMs: 0 });
			const onRetry = (next: number, max: number) => this.status({ fill: 'yellow', shape: 'ring', text: `retry ${next}/${max}` });
			const input = { ...requestInput(config, msg, this.id), options: { ...connectionOptions, ...messageOptions(config, msg) } };
			if (paging instanceof BpmFailure) return fail({ ...paging.detail, attempts: 0, elapsedMs: 0 });
			if (paging) {
				collectRequestPages(connection, input, paging, { onRetry }).then((outcome) => {
					if (!outcome.ok) return fail(outcome.error);
					// Every page's items in order, as one message (the core nodes' way with a list).
					msg.payload = outcome.value.items;
					msg.pages = outcome.value.pages;
					if (outcome.value.total !== undefined) msg.total = outcome.value.total;
					delete msg.statusCode;
					delete msg.headers;
					delete msg.error;
					send([msg, null]);
					done();
				}, done);
				return;
			}
			executeRequest(connection, input, { onRetry }).then((outcome) => {
				if (outcome.ok && outcome.attempts > 1) this.status(server?.session ? SESSION_STATUS[server.session.state] : {});
				if (!outcome.ok) return fail(outcome.error);
				const response = outcome.value;
				const headers = outputHeaders(response, callSecrets(connection, input));
				msg.payload = outputBody(response);
				msg.statusCode = response.status;
				msg.headers = { ...headers, [RESPONSE_HEADERS_MARK]: headersHash(headers) };
				msg.responseUrl = response.url;
				delete msg.error;
				send([msg, null]);
				// msg.logout ends the vendor session after this call, e.g. at the end of a batch.
				if (msg.logout === true) void connection.logout?.();
				done();
			}, done);
		});

		this.on('close', (_removed, done) => {
			unsubscribe?.();
			ownTransport?.close();
			done();
		});
	});
};

/** The node's paging, read once per deploy; a bad setting fails each message with the error naming it. */
function readPaging(config: RequestConfig): ReturnType<typeof parsePagingSettings> | BpmFailure {
	try {
		return parsePagingSettings({ ...config, style: config.pagination, firstPage: config.firstPage });
	} catch (error) {
		return error as BpmFailure;
	}
}

function requestInput(config: RequestConfig, msg: NodeMessage, nodeId: string): RequestInput {
	const method = config.method === 'use' ? String(msg.method ?? 'GET') : config.method;
	const headers = requestHeaders(msg.headers);
	if (config.contextHeaders) {
		headers.push({ name: 'X-Node-Red-Flow-Id', value: String(config.z ?? '') }, { name: 'X-Node-Red-Node-Id', value: nodeId }, { name: 'X-Node-Red-Msg-Id', value: String(msg._msgid ?? '') });
	}
	const hasBody = ['POST', 'PUT', 'PATCH'].includes(method.toUpperCase()) && (msg.payload !== undefined || typeof msg.filename === 'string');
	return {
		method,
		url: config.url || String(msg.url ?? ''),
		headers,
		cookies: messageCookies(msg.cookies),
		...(config.auth === 'msg' ? { bearerToken: typeof msg.accessToken === 'string' ? msg.accessToken : '' } : {}),
		...(hasBody ? payloadBody(config, msg) : {}),
	};
}


/** The node's settings, with Node-RED's usual per-message overrides (as the core http request node reads them). */
function messageOptions(config: RequestConfig, msg: NodeMessage): CallOptions {
	const number = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
	return {
		failOn4xx: config.failOn4xx,
		failOn5xx: config.failOn5xx,
		exceptCodes: config.exceptCodes,
		maxAttempts: number(config.maxAttempts),
		retryOn5xx: config.retryOn5xx,
		retryCodes: config.retryCodes,
		retryOnNetworkError: config.retryOnNetworkError,
		safeToRepeat: config.safeToRepeat,
		retryDelayMs: number(config.retryDelayMs),
		timeoutMs: number(msg.requestTimeout ?? config.timeoutMs),
		deadlineMs: number(config.deadlineMs),
		maxResponseBytes: number(config.maxResponseBytes),
		followRedirects: msg.followRedirects === false ? false : config.followRedirects,
		responseFormat: config.responseFormat || undefined,
		ignoreBody: config.ignoreBody,
		...(msg.rejectUnauthorized === false || msg.rejectUnauthorized === 'false' ? { allowUnauthorizedCerts: true } : {}),
	};
}

function requestHeaders(headers: unknown): NonNullable<RequestInput['headers']> {
	if (!headers || typeof headers !== 'object') return [];
	const record = { ...(headers as Record<string, unknown>) };
	const mark = record[RESPONSE_HEADERS_MARK];
	delete record[RESPONSE_HEADERS_MARK];
	if (mark !== undefined && mark === headersHash(record)) return [];
	return Object.entries(record).map(([name, value]) => ({ name, value: String(value) }));
}

/** The body, following the node's body type; a file is msg.payload as a Buffer, or streamed from msg.filename. */
function payloadBody(config: RequestConfig, msg: NodeMessage): Pick<RequestInput, 'json' | 'raw' | 'form' | 'file'> {
	const { payload } = msg;
	switch (config.bodyType) {
		case 'form':
			return { form: Object.entries((payload ?? {}) as Record<string, unknown>).map(([name, value]) => ({ name, value: String(value) })) };
		case 'file':
		case 'multipart': {
			const contentType = String((msg.headers as Record<string, unknown> | undefined)?.['content-type'] ?? 'application/octet-stream');
			const source =
				typeof msg.filename === 'string'
					? { path: msg.filename, contentType }
					: fileFromBuffer(Buffer.isBuffer(payload) ? payload : Buffer.from(String(payload ?? '')), 'file', contentType);
			return { file: config.bodyType === 'multipart' ? { source, multipartField: config.multipartField || 'file' } : { source } };
		}
		default:
			if (Buffer.isBuffer(payload)) return { raw: { data: payload, contentType: 'application/octet-stream' } };
			if (typeof payload === 'string') return { raw: { data: payload, contentType: 'text/plain; charset=utf-8' } };
			return { json: payload };
	}
}

function messageCookies(cookies: unknown): RequestInput['cookies'] {
	if (!cookies || typeof cookies !== 'object') return [];
	return Object.entries(cookies as Record<string, unknown>).map(([name, value]) => ({ name, value: String(typeof value === 'object' && value !== null && 'value' in value ? (value as { value: unknown }).value : value) }));
}

function headersHash(headers: Record<string, unknown>): string {
	return createHash('sha1').update(JSON.stringify(Object.entries(headers).sort())).digest('hex');
}
