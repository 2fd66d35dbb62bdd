import type { AuthScheme } from './auth-scheme';
import { BpmFailure } from '../bpm-error';
import { digestChallenges, type DigestChallenge } from './digest-challenge';
import { chooseChallenge, createCnonce, digestAuthorization, SUPPORTED_ALGORITHMS } from './digest-response';
import type { HttpResponse } from '../http/http-types';
import { optionalUrl, requireText, type SchemeDefinition } from './scheme-definition';
import { withHeaders } from '../http/with-headers';

export interface DigestConfig {
	user: string;
	password: string;
	/** Without one, the credential answers Digest challenges from any URL. */
	baseUrl?: string;
}

/**
 * What a login yields: the nonce in use, or nothing before the server has challenged. Mutable on
 * purpose: every request on a nonce must carry a fresh, higher nc (servers reject a repeated one as a
 * replay), calls in flight share this one state, and authorize can only return a request. So the state
 * is the nonce's counter; a new nonce comes with a new state, and its count starts again.
 */
export interface DigestState {
	challenge?: DigestChallenge;
	nc: number;
}

/**
 * HTTP Digest (RFC 7616). The first call goes out bare; its 401 is the login's input, and the nonce
 * it brings is reused for every later call, so n calls cost n + 1 exchanges. A 401 with a Digest
 * challenge (stale nonce, forgotten nonce or wrong password) ends the login: the session replays once
 * with the new challenge, so a wrong password ends as the replay's 401 and never loops.
 */
export function digestScheme(config: DigestConfig): AuthScheme<DigestState> {
	const credentials = { user: config.user, password: config.password };
	return {
		label: 'Digest Auth',
		baseUrl: config.baseUrl,
		async login(_wire, { rejected }) {
			if (!rejected) return { nc: 0 };
			const offered = digestChallenges(rejected.headers['www-authenticate']);
			const challenge = chooseChallenge(offered);
			if (!challenge) throw unsupported(offered, rejected);
			return { challenge, nc: 0 };
		},
		authorize(request, state) {
			if (!state.challenge) return request;
			state.nc++;
			const target = new URL(request.url);
			const authorization = digestAuthorization(credentials, state.challenge, {
				method: request.method,
				uri: `${target.pathname}${target.search}`,
				nc: state.nc,
				cnonce: createCnonce(),
			});
			return withHeaders(request, { Authorization: authorization });
		},
		isExpired(response) {
			return response.status === 401 && digestChallenges(response.headers['www-authenticate']).length > 0;
		},
		secrets() {
			return [config.password];
		},
	};
}

function unsupported(offered: DigestChallenge[], rejected: HttpResponse): BpmFailure {
	const offers = offered.map((c) => `${c.algorithm ?? 'MD5'} (qop ${c.qop.length > 0 ? c.qop.join('/') : 'none'})`).join(', ');
	return new BpmFailure({
		kind: 'login',
		status: rejected.status,
		message: `The server offers Digest ${offers}; none is supported (algorithms ${SUPPORTED_ALGORITHMS.join(', ')} and their -sess forms, with qop "auth" or none)`,
	});
}

export const digest: SchemeDefinition<DigestConfig> = {
	id: 'digest',
	displayName: 'Digest Auth',
	// n8n's built-in credential (fields user, password), so existing credentials work unchanged.
	n8nCredential: 'httpDigestAuth',
	nodeRedConfig: 'bpm-auth',
	parseConfig: (data) => ({
		user: requireText(data, 'user'),
		password: requireText(data, 'password'),
		baseUrl: optionalUrl(data, 'baseUrl'),
	}),
	createScheme: digestScheme,
};
