import { BpmFailure, findOperation, formFields, listOptions, VENDORS, type BpmError, type Catalogue, type Outcome } from '../../core';
import type { AdminResponse, NodeRedApi } from '../node-red-api';
import { NODE_PROPERTIES } from '../properties';
import { editorConnection } from './editor-connection';

interface DropdownRequest {
	server?: string;
	/** The config dialog's fields as typed now, when it differs from what is deployed (or was never deployed). */
	unsaved?: Record<string, unknown>;
	list?: string;
	filter?: string;
	page?: string;
	/** The values a list depends on (the business object whose actions are listed). */
	values?: Record<string, unknown>;
	resource?: string;
	operation?: string;
	parameter?: string;
	id?: string;
}

/**
 * The editor's dropdowns and forms for a vendor's operation node: POST (secrets travel in the body, never in a URL),
 * under the config type's write permission (they log in with stored credentials). Answers carry options, fields or a
 * redacted message: never a secret, never the server's raw answer.
 */
export function registerOperationEndpoints(RED: NodeRedApi, type: string, catalogue: Catalogue, configType: string): void {
	const definition = VENDORS.find((vendor) => vendor.id === catalogue.vendor);
	if (!definition) throw new Error(`No scheme for ${catalogue.vendor}`);
	const permission = RED.auth.needsPermission(`${configType}.write`);
	const secretFields = Object.entries(NODE_PROPERTIES[configType]?.credentials ?? {}).flatMap(([name, credential]) => (credential.type === 'password' ? [name] : []));
	const connection = (query: DropdownRequest) => editorConnection(RED, definition, String(query.server ?? ''), query.unsaved, secretFields);
	const body = (request: { body?: unknown }): DropdownRequest => (typeof request.body === 'object' && request.body !== null ? (request.body as DropdownRequest) : {});

	RED.httpAdmin.post(`/${type}/list`, permission, (req, res) => {
		const query = body(req);
		answer(res, async () => listOptions(connection(query), catalogue, String(query.list ?? ''), { filter: text(query.filter), page: text(query.page), values: query.values }), (page) => page);
	});

	RED.httpAdmin.post(`/${type}/form`, permission, (req, res) => {
		const query = body(req);
		answer(res, async () => {
			const operation = findOperation(catalogue, String(query.resource ?? ''), String(query.operation ?? ''));
			if (!operation) throw new BpmFailure({ kind: 'input', field: 'operation', message: `${catalogue.displayName} has no operation ${String(query.resource)} ${String(query.operation)}` });
			return formFields(connection(query), catalogue, operation, String(query.parameter ?? ''), String(query.id ?? ''));
		}, (fields) => ({ fields }));
	});
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** 200 with the value; 400 for what the editor sent, 502 for what the server answered: a message only. */
function answer<T>(res: AdminResponse, run: () => Promise<Outcome<T>>, shape: (value: T) => unknown): void {
	run().then(
		(outcome) => (outcome.ok ? res.status(200).json(shape(outcome.value)) : refuse(res, outcome.error)),
		(error: unknown) => refuse(res, error instanceof BpmFailure ? { ...error.detail, attempts: 0, elapsedMs: 0 } : { kind: 'network', message: 'The request failed', attempts: 0, elapsedMs: 0 }),
	);
}

function refuse(res: AdminResponse, error: BpmError): void {
	res.status(error.kind === 'input' ? 400 : 502).json({ error: error.message, ...(error.field ? { field: error.field } : {}) });
}
