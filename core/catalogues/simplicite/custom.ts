import type { HttpResponse } from '../../http/http-types';
import type { Operation, Values } from '../../operations/operation';
import { filterQuery } from './filter-query';
import { isRecord } from './json-values';
import { missingCustom } from './not-found';
import { objectName, searchFilters } from './parameters';
import { publicationFile } from './publication-file';
import { withCheckedFilters } from './record';
import { explainFailure } from './simplicite-error';
import { customPath, get, jsonBody } from './simplicite-request';

/** Empty: the global action or publication, which applies to the records the filters select. */
const optionalRowId = {
	name: 'rowId',
	displayName: 'Row ID',
	description: "The record's technical ID (row_id); empty for a global one, which applies to the records the filters select",
	type: 'reference',
} as const;

const globalFilters = { ...searchFilters, description: `Without a row ID: which records it applies to. ${searchFilters.description}` } as const;

export const customOperations: Operation[] = [
	{
		resource: 'object',
		operation: 'runAction',
		name: 'Run Action',
		action: 'Run a custom action',
		description:
			'Run a custom action of a business object on one record, or a global one on the records the filters select; outputs {result}. Never sent twice: if the answer is lost, the error says so',
		parameters: [
			objectName,
			{ name: 'action', displayName: 'Action', description: "The custom action, by name: pick it from the object's actions or type it", type: 'reference', list: 'actions', required: true },
			optionalRowId,
			globalFilters,
		],
		prepare: withCheckedFilters,
		request: (values) => get(customPath(values.object, values.rowId, 'action', values.action), ...(values.rowId === undefined ? filterQuery(values.filters) : [])),
		onNotFound: missingCustom('action'),
		replay: 'nonIdempotent',
		// An action's effect is its own code's: nothing generic can tell whether it ran.
		ambiguousHint: (values) =>
			`The action ${String(values.action)} may have run: check ${values.rowId === undefined ? `the ${String(values.object)} records it applies to` : `${String(values.object)} record ${String(values.rowId)} (Business Object → Get)`} before running it again`,
		output: { kind: 'result', result: actionResult },
		explainFailure: explainFailure({ what: 'run the action' }),
	},
	{
		resource: 'object',
		operation: 'getPublication',
		name: 'Get Publication',
		action: 'Get a publication',
		description: 'Render a publication (print template) of one record, or a global one of the records the filters select, as a file (PDF, HTML, spreadsheet…)',
		parameters: [
			objectName,
			{ name: 'publication', displayName: 'Publication', description: "The publication, by name: pick it from the object's publications or type it", type: 'reference', list: 'publications', required: true },
			optionalRowId,
			globalFilters,
		],
		prepare: withCheckedFilters,
		request: (values) => get(customPath(values.object, values.rowId, 'publication', values.publication), ...(values.rowId === undefined ? filterQuery(values.filters) : [])),
		onNotFound: missingCustom('publication'),
		replay: 'read',
		// [layer request C] decode is given the body only for now: the file is then named "publication.<ext>".
		output: { kind: 'file', decode: (body: unknown, values?: Values) => publicationFile(body, values?.publication === undefined ? undefined : String(values.publication)) },
		explainFailure: explainFailure({ what: 'render the publication' }),
	},
];

/** `{"result": "…"}`; an answer of another shape is output whole as the result. */
function actionResult(_values: Values, response: HttpResponse): unknown {
	const body = jsonBody(response) ?? (response.body.kind === 'text' ? response.body.value : undefined);
	return { result: isRecord(body) && 'result' in body ? body.result : body ?? null };
}
