import type { HttpRequest } from '../http/http-types';
import { withHeaders } from '../http/with-headers';
import type { TokenSet } from './token-set';

/** RFC 6750 §2.1: the access token in the Authorization header, replacing one the caller gave. */
export function authorizeBearer(request: HttpRequest, tokens: TokenSet): HttpRequest {
	return withHeaders(request, { Authorization: `Bearer ${tokens.accessToken}` });
}
