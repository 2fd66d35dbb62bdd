import type { NodeProperties } from '../node-properties';

/** A vendor server's base URL: no query, no fragment. */
const BASE_URL = /^https?:\/\/[^?#]+$/;
const account = { username: { type: 'text', required: true }, password: { type: 'password', required: true } } as const;

export const bpmBonitaProperties = {
	defaults: {
		name: { value: '' },
		url: { value: '', required: true, validate: BASE_URL },
	},
	credentials: account,
} satisfies NodeProperties;

export const bpmBawProperties = {
	defaults: {
		name: { value: '' },
		url: { value: '', required: true, validate: BASE_URL },
		/** Seconds the csrf token should live; IBM caps it at 7200. */
		requestedLifetime: { value: 7200, validate: { integerFrom: 1, to: 7200, blankAllowed: true } },
		refreshGroups: { value: false },
	},
	credentials: account,
} satisfies NodeProperties;

export const bpmSimpliciteProperties = {
	defaults: {
		name: { value: '' },
		url: { value: '', required: true, validate: BASE_URL },
		tokenTransport: { value: 'header', required: true, validate: /^(header|bearer|parameter)$/ },
		v3Mode: { value: false },
	},
	credentials: account,
} satisfies NodeProperties;

export const bpmFunnelbackProperties = {
	defaults: {
		name: { value: '' },
		url: { value: '', required: true, validate: BASE_URL },
		authMode: { value: 'login', required: true, validate: /^(login|applicationToken)$/ },
		collections: { value: '' },
	},
	credentials: { username: { type: 'text' }, password: { type: 'password' }, applicationToken: { type: 'password' } },
} satisfies NodeProperties;
