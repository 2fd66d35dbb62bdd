import type { INodeProperties } from 'n8n-workflow';
import type { Catalogue, TriggerEvent } from '../../../core';
import { USE_CONNECTION_CREDENTIAL } from '../connection-options';
import { hasShortForm, parameterProperty, REQUEST_OPTIONS, simplifyProperty } from '../operations/operation-properties';

/**
 * A trigger node's properties, generated from the catalogue's events: Event, each event's filters (the same dropdowns as
 * the operation node), Include Existing, Simplify (where an event's items have a short form), and the request options every call shares. n8n's loader adds Poll Times.
 */
export function triggerProperties(catalogue: Catalogue): INodeProperties[] {
	const events = triggersOf(catalogue);
	const short = events.filter((event) => hasShortForm(event.list)).map((event) => event.list.operation);
	return [
		{
			displayName: 'Event',
			name: 'event',
			type: 'options',
			noDataExpression: true,
			options: events.map(({ list }) => ({ value: list.operation, name: list.name, description: list.description })),
			default: events[0].list.operation,
		},
		...events.flatMap((event) => event.list.parameters.map((parameter) => ({ ...parameterProperty(catalogue, parameter), displayOptions: { show: { event: [event.list.operation] } } }))),
		{
			displayName: 'Include Existing',
			name: 'includeExisting',
			type: 'boolean',
			default: false,
			description: 'Whether the first poll after activation emits what is already there; otherwise the trigger starts from the newest one',
		},
		// Only for events whose items have a short form: a switch that changes nothing would not tell the truth.
		...(short.length ? [simplifyProperty({ event: short })] : []),
		USE_CONNECTION_CREDENTIAL,
		REQUEST_OPTIONS,
	];
}

export function triggersOf(catalogue: Catalogue): readonly TriggerEvent[] {
	if (!catalogue.triggers?.length) throw new Error(`${catalogue.displayName} has no trigger events`);
	return catalogue.triggers;
}
