import type { TriggerEvent } from '../../triggers/trigger-event';
import { objectName } from './parameters';
import { SEARCH_PAGING } from './record';
import { explainFailure } from './simplicite-error';
import { get, objectPath } from './simplicite-request';

/**
 * A record event of any business object: its search newest first by one of the technical dates every record carries
 * (`created_dt`, `updated_dt`: the JS client's isTimestampField), sorted with the API filter `order__<field>=-1`, after
 * which the server sorts on row_id (search syntax, "API Filters"; release notes 3.0 MAINTENANCE 34) [I: that the REST
 * search takes the JSON filter keys as query parameters, as it takes the `dmin__` ones]. `is not null` keeps out records
 * without the date (search syntax, advanced).
 */
function recordEvent(operation: string, name: string, stampField: 'created_dt' | 'updated_dt', description: string): TriggerEvent {
	return {
		// Row ids are the object's own: two objects' records may share one.
		scope: (values) => String(values.object),
		idField: 'row_id',
		stampField,
		list: {
			resource: 'object',
			operation,
			name,
			action: `Watch ${name.toLowerCase()}s`,
			description,
			parameters: [objectName],
			request: (values) => get(objectPath(values.object), [`order__${stampField}`, '-1'], [stampField, 'is not null']),
			paging: SEARCH_PAGING,
			replay: 'read',
			output: { kind: 'list' },
			explainFailure: explainFailure({ what: 'search the records' }),
		},
	};
}

/** Simplicité's events: records of a business object, new or changed, by the dates the server keeps on each. */
export const simpliciteTriggers: TriggerEvent[] = [
	recordEvent('newRecord', 'New Record', 'created_dt', 'A record of the business object was created (by its created_dt)'),
	recordEvent('updatedRecord', 'Updated Record', 'updated_dt', 'A record of the business object was created or changed (by its updated_dt: a new record counts too); each change once'),
];
