import { createAuthorizationRequest, createTransport, requestOAuth2Token, type Outcome, type TokenOutput } from '../core';
import { connectionOptionsFor } from './connection-options';
import type { NodeDef, NodeRedApi, RuntimeNode } from './node-red-api';
import { withDefaults } from './node-properties';
import { bpmOAuth2TokenProperties } from './properties/bpm-oauth2-token';
import { failureSender } from './send-failure';
import type { AuthConfigNode } from './auth-config-node';

/** What a message may bring for one login: the redirect's code, its verifier, a refresh token. */
const MESSAGE_FIELDS = ['code', 'codeVerifier', 'refreshToken'] as const;

export = function (RED: NodeRedApi): void {
	RED.nodes.registerType('bpm-oauth2-token', function (this: RuntimeNode, flowConfig: NodeDef) {
		RED.nodes.createNode(this, flowConfig);
		const config = withDefaults(bpmOAuth2TokenProperties, flowConfig);
		const server = config.auth ? (RED.nodes.getNode(config.auth) as AuthConfigNode | null) : null;
		const transport = createTransport();
		const connectionOptions = connectionOptionsFor(RED, config);
		const sendFailure = failureSender(this, config);

		this.on('input', (msg, send, done) => {
			const fields: Record<string, unknown> = { ...server?.fields };
			for (const name of MESSAGE_FIELDS) if (typeof msg[name] === 'string' && msg[name] !== '') fields[name] = msg[name];
			const pending: Promise<Outcome<TokenOutput | Record<string, unknown>>> = !server
				? Promise.resolve({ ok: false, error: { kind: 'input', field: 'auth', message: 'The OAuth2 credentials configuration is missing', attempts: 0, elapsedMs: 0 } })
				: config.operation === 'authorizationUrl'
					? Promise.resolve(createAuthorizationRequest(fields))
					: requestOAuth2Token(config.operation, fields, transport, connectionOptions);
			pending.then((outcome) => {
				for (const name of MESSAGE_FIELDS) delete msg[name];
				if (!outcome.ok) return sendFailure(msg, send, done, outcome.error);
				// The token rides beside the payload, not in it: a debug node shows msg.payload by default.
				const { accessToken, refreshToken, codeVerifier, ...visible } = outcome.value as Record<string, unknown>;
				Object.assign(msg, accessToken === undefined ? {} : { accessToken }, refreshToken === undefined ? {} : { refreshToken }, codeVerifier === undefined ? {} : { codeVerifier });
				msg.payload = visible;
				delete msg.error;
				send([msg, null]);
				done();
			}, done);
		});

		this.on('close', (_removed, done) => {
			transport.close();
			done();
		});
	});
};
