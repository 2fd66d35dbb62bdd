import type { BpmError } from '../bpm-error';

/** Failures that happen before a byte of the call could reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a failed call may still have been processed: it was sent, and then the connection broke, the time ran
 * out or the server failed (5xx). A 4xx is a refusal; a login, TLS or proxy failure, or a refused connection,
 * means the call never left.
 */
export function isAmbiguous(error: BpmError): boolean {
	switch (error.kind) {
		case 'timeout':
			return true;
		case 'network':
			return !(error.code && NOT_SENT_CODES.has(error.code));
		case 'http':
			return error.status !== undefined && error.status >= 500;
		default:
			return false;
	}
}
