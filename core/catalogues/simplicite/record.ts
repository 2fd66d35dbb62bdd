import { BpmFailure } from '../../bpm-error';
import type { HttpResponse } from '../../http/http-types';
import type { Operation, OperationSteps, Values } from '../../operations/operation';
import type { PagingStyle } from '../../paging/paging-style';
import { filterQuery } from './filter-query';
import { isRecord, text } from './json-values';
import { missingRecord } from './not-found';
import { objectFields } from './object-fields';
import { objectName, rowId, searchFilters } from './parameters';
import { filterForm, recordForm } from './record-form';
import { explainFailure } from './simplicite-error';
import { get, jsonBody, objectPath } from './simplicite-request';

/** `_page` from 0 (4.0+); the server sets the size and sends no total, so a short page ends the list (vendor notes 3). */
export const SEARCH_PAGING: PagingStyle = { kind: 'pageIndex', pageParameter: '_page', firstPage: 0 };

const recordFields = { name: 'fields', displayName: 'Fields', description: 'The field values of the new record', type: 'form', form: { dependsOn: 'object', kind: 'recordFields' } } as const;

const changedFields = {
	name: 'fields',
	displayName: 'Fields to Change',
	description: 'Only the fields to change; the others keep their value (null clears one)',
	type: 'form',
	form: { dependsOn: 'object', kind: 'recordChanges' },
	required: true,
} as const;

export const recordOperations: Operation[] = [
	{
		resource: 'object',
		operation: 'search',
		name: 'Search',
		action: 'Search records',
		description: 'Search the records of a business object by field values (% is the wildcard); every value comes as text. Return All reads every page',
		parameters: [objectName, searchFilters],
		prepare: withCheckedFilters,
		request: (values) => get(objectPath(values.object), ...filterQuery(values.filters)),
		paging: SEARCH_PAGING,
		replay: 'read',
		output: { kind: 'list' },
		explainFailure: explainFailure({ what: 'search the records', badRequestField: 'filters' }),
	},
	{
		resource: 'object',
		operation: 'count',
		name: 'Count',
		action: 'Count records',
		description: 'Count the records of a business object that match the filters (% is the wildcard); outputs {count}',
		parameters: [objectName, searchFilters],
		prepare: withCheckedFilters,
		request: (values) => get(objectPath(values.object), ['_count', 'true'], ...filterQuery(values.filters)),
		replay: 'read',
		output: { kind: 'result', result: (_values, response) => ({ count: countOf(response) }) },
		explainFailure: explainFailure({ what: 'count the records', badRequestField: 'filters' }),
	},
	{
		resource: 'object',
		operation: 'get',
		name: 'Get',
		action: 'Get a record',
		description: 'Get one record of a business object by its row ID: every field as text, a linked record\'s fields as <link>__<field>',
		parameters: [objectName, rowId],
		request: (values) => get(objectPath(values.object, values.rowId)),
		onNotFound: missingRecord,
		replay: 'read',
		output: { kind: 'object' },
		explainFailure: explainFailure({ what: 'read the record' }),
	},
	{
		resource: 'object',
		operation: 'create',
		name: 'Create',
		action: 'Create a record',
		description:
			'Create a record of a business object from its field values; outputs the new record with its row_id. Never sent twice: if the answer is lost, the error says which search finds the record',
		parameters: [objectName, recordFields],
		async prepare(values, steps) {
			return { ...values, fields: await recordForm('create').value(steps, String(values.object), given(values.fields), steps.files) };
		},
		request: (values) => ({ method: 'POST', path: objectPath(values.object), json: values.fields }),
		replay: 'nonIdempotent',
		// No read-back: which fields make a record unique (its functional key) is not told reliably by the server.
		ambiguousHint: createdHint,
		output: { kind: 'object' },
		explainFailure: explainFailure({ what: 'create the record', badRequestField: 'fields' }),
	},
	{
		resource: 'object',
		operation: 'update',
		name: 'Update',
		action: 'Update a record',
		description: 'Change some fields of a record (the others keep their value); outputs the whole record. Safe to repeat',
		parameters: [objectName, rowId, changedFields],
		async prepare(values, steps) {
			return { ...values, fields: await recordForm('update').value(steps, String(values.object), given(values.fields), steps.files) };
		},
		request: (values) => ({ method: 'PUT', path: objectPath(values.object, values.rowId), json: values.fields }),
		onNotFound: missingRecord,
		replay: 'idempotent',
		output: { kind: 'object' },
		explainFailure: explainFailure({ what: 'update the record', badRequestField: 'fields' }),
	},
	{
		resource: 'object',
		operation: 'delete',
		name: 'Delete',
		action: 'Delete a record',
		description: 'Delete a record by its row ID; outputs {deleted: true}. A record already gone counts as deleted (alreadyDeleted: true), so a repeat is safe',
		parameters: [objectName, rowId],
		request: (values) => ({ method: 'DELETE', path: objectPath(values.object, values.rowId) }),
		// Simplicité answers 404 for an unknown object too: the object is looked up before saying the record is gone.
		async onNotFound(values, steps) {
			await objectFields(steps, String(values.object));
			return { deleted: true, alreadyDeleted: true };
		},
		replay: 'idempotent',
		output: { kind: 'result', result: () => ({ deleted: true }) },
		explainFailure: explainFailure({ what: 'delete the record' }),
	},
];

export async function withCheckedFilters(values: Values, steps: OperationSteps): Promise<Values> {
	return values.filters === undefined ? values : { ...values, filters: await filterForm.value(steps, String(values.object), given(values.filters), steps.files) };
}

function given(value: unknown): Record<string, unknown> {
	return isRecord(value) ? value : {};
}

/** `{"count": n}`, a bare number, or either as text (Simplicité sends numbers as strings); the exact shape is [I]. */
function countOf(response: HttpResponse): number {
	const body = jsonBody(response) ?? (response.body.kind === 'text' ? response.body.value : undefined);
	const raw = isRecord(body) ? body.count : body;
	const count = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(text(raw)) ? Number(text(raw)) : NaN;
	if (!Number.isSafeInteger(count) || count < 0) throw new BpmFailure({ kind: 'http', status: response.status, message: 'Simplicité answered the count in a shape not understood (neither {"count": n} nor a number)' });
	return count;
}

/** Which search finds the record: its object and the first values sent. */
function createdHint(values: Values): string {
	const sent = Object.entries(given(values.fields))
		.filter(([, value]) => typeof value === 'string' && value !== '')
		.slice(0, 3)
		.map(([name, value]) => `${name}=${String(value)}`);
	const filters = sent.length > 0 ? ` with the filters ${sent.join(', ')}` : '';
	return `A ${String(values.object)} record may have been created: search ${String(values.object)} (Business Object → Search)${filters} before creating it again`;
}
