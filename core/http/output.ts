import type { HttpResponse } from './http-types';
import { redactText } from '../redact';


/** Response headers fit for a workflow item or message: Set-Cookie dropped (the session's jar owns cookies), known secrets masked. */
export function outputHeaders(response: HttpResponse, secrets: string[]): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(response.headers)) {
		if (name === 'set-cookie') continue;
		out[name] = Array.isArray(value) ? value.map((v) => redactText(v, secrets)) : redactText(value, secrets);
	}
	return out;
}

/** The body as a JSON-friendly value; binary bodies are left to the adapter (n8n binary data, Node-RED Buffer). */
export function outputBody(response: HttpResponse): unknown {
	switch (response.body.kind) {
		case 'empty':
			return '';
		case 'json':
		case 'text':
		case 'binary':
			return response.body.value;
	}
}
