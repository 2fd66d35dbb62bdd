import { BpmFailure, inputError, type BpmError } from '../../bpm-error';
import type { HttpResponse } from '../../http/http-types';
import type { Operation, OperationSteps, Parameter, Values } from '../../operations/operation';
import { isObject, segment } from './funnelback-request';

export const TOKEN_FIELDS = ['name', 'clientId', 'username', 'createdBy', 'created'] as const;

const BASE = 'admin-api/application-tokens/v1';

const tokenType: Parameter = {
	name: 'tokenType',
	displayName: 'Token Type',
	description: 'Which application tokens',
	type: 'options',
	default: 'client',
	choices: [
		{ value: 'client', name: 'Client Token (v16, DXP)', description: 'A token of a client, with a username and password value' },
		{ value: 'user', name: 'Personal Token (15.x)', description: 'A token of the logged-in user; not for the Squiz Experience Cloud' },
	],
};

const clientId: Parameter = {
	name: 'clientId',
	displayName: 'Client ID',
	description: 'The client, e.g. the "client" of client~sp-docs',
	type: 'string',
	required: true,
	showWhen: { tokenType: ['client'] },
};

const name: Parameter = { name: 'name', displayName: 'Token Name', description: 'The application (token) name', type: 'string', required: true };

/**
 * Non-expiring application tokens of the admin API (vendor protocols E.2). Create outputs the new token's value:
 * it is what the user asked for. Nothing else is output from the connection: its own token and password never are.
 */
export const applicationTokenOperations: Operation[] = [
	{
		resource: 'applicationToken',
		operation: 'create',
		name: 'Create',
		action: 'Create an application token',
		description:
			'Create a non-expiring application token (needs the permission sec.application-token.non-expiring.create) and output its value, which is shown only once. An existing token of that name is left alone unless Replace Existing is on',
		parameters: [
			tokenType,
			clientId,
			name,
			{
				name: 'replaceExisting',
				displayName: 'Replace Existing',
				description: 'Whether to replace a token of the same name: the old value stops working',
				type: 'boolean',
				default: false,
				optional: true,
			},
		],
		async prepare(values, steps) {
			if (values.replaceExisting) return values;
			const existing = await listTokens(steps, values);
			if (existing.some((token) => token.name === String(values.name).trim())) {
				throw inputError('name', `An application token named "${String(values.name).trim()}"${ofClient(values)} exists: turn on Replace Existing to replace it (its value stops working), or choose another name`);
			}
			return values;
		},
		request: (values) => ({ method: 'PUT', path: tokenPath(values) }),
		// A PUT by name: sent again, it replaces the token the lost answer held, whose value nobody has seen.
		replay: 'idempotent',
		explainFailure: explainTokenFailure,
		output: { kind: 'result', result: createdToken },
	},
	{
		resource: 'applicationToken',
		operation: 'getMany',
		name: 'Get Many',
		action: 'Get many application tokens',
		description: 'List the application tokens of a client, or the logged-in user\'s personal ones: names and who created them, never their values',
		parameters: [tokenType, clientId],
		request: (values) => ({ method: 'GET', path: listPath(values) }),
		replay: 'read',
		explainFailure: explainTokenFailure,
		output: { kind: 'list', simplify: TOKEN_FIELDS },
	},
	{
		resource: 'applicationToken',
		operation: 'revoke',
		name: 'Revoke',
		action: 'Revoke an application token',
		description: 'Revoke an application token by name: every call with it is refused from then on. Safe to repeat; a token that is not there is not an error',
		parameters: [tokenType, clientId, name],
		request: (values) => ({ method: 'DELETE', path: tokenPath(values) }),
		replay: 'idempotent',
		onNotFound: absentToken,
		explainFailure: explainTokenFailure,
		output: { kind: 'result', result: (values) => ({ name: String(values.name).trim(), ...clientOf(values), revoked: true }) },
	},
];

function isClient(values: Readonly<Record<string, unknown>>): boolean {
	return (values.tokenType ?? 'client') === 'client';
}

function clientPath(values: Values): string {
	return `${BASE}/clients/${segment(values.clientId, 'clientId', 'Client ID')}`;
}

function tokenPath(values: Values): string {
	const token = segment(values.name, 'name', 'Token name');
	return isClient(values) ? `${clientPath(values)}/application-token/${token}` : `${BASE}/application-token/${token}`;
}

function listPath(values: Values): string {
	return isClient(values) ? `${clientPath(values)}/application-tokens` : `${BASE}/application-tokens`;
}

function clientOf(values: Readonly<Record<string, unknown>>): { clientId?: string } {
	return isClient(values) ? { clientId: String(values.clientId).trim() } : {};
}

function ofClient(values: Readonly<Record<string, unknown>>): string {
	return isClient(values) ? ` of client ${String(values.clientId).trim()}` : '';
}

async function listTokens(steps: OperationSteps, values: Values): Promise<Array<Record<string, unknown>>> {
	const response = await steps.call({ method: 'GET', path: listPath(values) });
	const body = response.body.kind === 'json' ? response.body.value : undefined;
	return Array.isArray(body) ? body.filter(isObject) : [];
}

/** The new token as the server described it; its value under `token` ([I]: the bodies were not documented). */
function createdToken(values: Values, response: HttpResponse): unknown {
	const body = response.body.kind === 'json' && isObject(response.body.value) ? response.body.value : {};
	const token = body.token ?? body.applicationToken;
	if (typeof token !== 'string' || token === '') {
		throw new BpmFailure({
			kind: 'http',
			status: response.status,
			message: `Funnelback answered ${response.status} to the creation of token "${String(values.name).trim()}" without its value: revoke it and create it again`,
		});
	}
	const described: Record<string, unknown> = { name: body.name ?? String(values.name).trim(), ...clientOf(values), token };
	for (const field of ['username', 'password', 'createdBy', 'created'] as const) if (body[field] !== undefined) described[field] = body[field];
	return described;
}

/** Revoking what is not there is done, unless the client itself is unknown: its list tells. */
async function absentToken(values: Values, steps: OperationSteps): Promise<unknown> {
	if (isClient(values)) {
		const list = await steps.call({ method: 'GET', path: listPath(values) }, { allowNotFound: true });
		if (list.status === 404) throw inputError('clientId', `Funnelback has no client "${String(values.clientId).trim()}"`);
	}
	return { name: String(values.name).trim(), ...clientOf(values), revoked: true, found: false };
}

function explainTokenFailure(error: BpmError, values: Readonly<Record<string, unknown>>): BpmError | undefined {
	switch (error.status) {
		case 403:
			return { ...error, message: 'Funnelback refused (HTTP 403): the credential\'s user needs the permission sec.application-token.non-expiring.create to manage application tokens' };
		case 404:
			return isClient(values) ? { ...error, field: 'clientId', message: `Funnelback has no client "${String(values.clientId ?? '').trim()}" (HTTP 404)` } : undefined;
		case 409:
			return { ...error, field: 'name', message: `An application token named "${String(values.name ?? '').trim()}"${ofClient(values)} exists (HTTP 409): revoke it first, or choose another name` };
		default:
			return undefined;
	}
}
