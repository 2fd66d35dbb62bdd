import { inputError } from '../bpm-error';
import type { SchemeDefinition } from './scheme-definition';
import { VENDORS } from './vendors';
import { basic } from './basic';
import { bearer } from './bearer';
import { digest } from './digest';
import { customHeaders, header } from './header';
import { oauth2AuthorizationCode } from './oauth2-authorization-code';
import { oauth2ClientCredentials } from './oauth2-client-credentials';

/** The schemes any REST API may use, in menu order; in n8n each is one credential type. */
export const GENERIC_SCHEMES: readonly SchemeDefinition[] = [basic, digest, bearer, header, customHeaders, oauth2ClientCredentials, oauth2AuthorizationCode] as SchemeDefinition[];

/** What a request node's Authentication menu offers besides None: the vendors first. */
export const REQUEST_SCHEMES: readonly SchemeDefinition[] = [...VENDORS, ...GENERIC_SCHEMES];

/**
 * Node-RED's one generic config node names its scheme in a "scheme" field; the other fields keep the
 * names of n8n's credentials, so one parser serves both runtimes.
 */
export function genericSchemeFor(data: Record<string, unknown>): SchemeDefinition {
	const definition = GENERIC_SCHEMES.find((scheme) => scheme.id === data.scheme);
	if (!definition) throw inputError('scheme', `The field "scheme" must be one of ${GENERIC_SCHEMES.map((scheme) => scheme.id).join(', ')}`);
	return definition;
}
