import type { NodeProperties } from '../node-properties';

const STATUS_CODES = /^[\s,;]*(\d{3}[\s,;]*)*$/;

export const bpmRequestProperties = {
	defaults: {
		name: { value: '' },
		/** 'none', 'msg' (msg.accessToken), or the name of the property below that holds the config node. */
		auth: { value: 'none' },
		bonita: { value: '', type: 'bpm-bonita', required: false },
		baw: { value: '', type: 'bpm-baw', required: false },
		simplicite: { value: '', type: 'bpm-simplicite', required: false },
		funnelback: { value: '', type: 'bpm-funnelback', required: false },
		generic: { value: '', type: 'bpm-auth', required: false },
		method: { value: 'GET' },
		url: { value: '' },
		failOn4xx: { value: true },
		failOn5xx: { value: true },
		exceptCodes: { value: '', validate: STATUS_CODES },
		maxAttempts: { value: 1, validate: 'number' },
		retryOn5xx: { value: true },
		retryCodes: { value: '429', validate: STATUS_CODES },
		retryOnNetworkError: { value: true },
		safeToRepeat: { value: false },
		retryDelayMs: { value: 500, validate: 'number' },
		/** Blank: the engine's own limits (30 s to the first byte, 300 s in all). */
		timeoutMs: { value: '' },
		deadlineMs: { value: '' },
		maxResponseBytes: { value: '', validate: /^\d*$/ },
		followRedirects: { value: true },
		allowUnauthorizedCerts: { value: false },
		/** auto (payload: object → JSON, string → text, Buffer → octets), form, file or multipart. */
		bodyType: { value: 'auto' },
		multipartField: { value: 'file' },
		contextHeaders: { value: false },
		responseFormat: { value: 'auto' },
		ignoreBody: { value: false },
		/** 'off' or a paging style (core/paging/paging-settings.ts); its settings below. */
		pagination: { value: 'off', validate: /^(off|bonita|offset|pageIndex|funnelback|linkHeader|nextUrl|cursor)$/ },
		returnAll: { value: false },
		limit: { value: 50, validate: { integerFrom: 1, to: 1_000_000, blankAllowed: false } },
		pageSize: { value: 100, validate: { integerFrom: 1, to: 100_000, blankAllowed: false } },
		maxPages: { value: 1000, validate: { integerFrom: 1, to: 1_000_000, blankAllowed: false } },
		offsetParameter: { value: 'offset' },
		pageParameter: { value: 'page' },
		firstPage: { value: '0', validate: /^[01]$/ },
		sizeParameter: { value: '' },
		itemsPath: { value: '' },
		totalPath: { value: '' },
		nextUrlPath: { value: '' },
		cursorPath: { value: '' },
		cursorParameter: { value: '' },
		completeOnStatus: { value: '', validate: STATUS_CODES },
		tls: { value: '', type: 'tls-config', required: false },
		proxy: { value: '', type: 'http proxy', required: false },
	},
} satisfies NodeProperties;
