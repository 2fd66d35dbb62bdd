import type { INodeProperties } from 'n8n-workflow';
import { HTTP_METHODS, VENDORS } from '../../core';
import { NO_AUTH } from './connection';

const nameValueRows = (name: string, displayName: string, show: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: `Add ${displayName.replace(/s$/, '')}`,
	default: { parameters: [{ name: '', value: '' }] },
	displayOptions: { show: { [show]: [true] } },
	options: [
		{
			name: 'parameters',
			displayName: 'Parameter',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

export const properties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: NO_AUTH },
			...VENDORS.map((vendor) => ({ name: vendor.displayName, value: vendor.n8nCredential })),
		],
		default: NO_AUTH,
		description: 'A vendor credential logs in once, keeps the session and logs in again when it expires',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: HTTP_METHODS.map((method) => ({ name: method, value: method })),
		default: 'GET',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'API/bpm/process',
		description: "Relative to the credential's base URL, or absolute",
	},
	{ displayName: 'Send Query Parameters', name: 'sendQuery', type: 'boolean', default: false, noDataExpression: true },
	nameValueRows('queryParameters', 'Query Parameters', 'sendQuery'),
	{ displayName: 'Send Headers', name: 'sendHeaders', type: 'boolean', default: false, noDataExpression: true },
	nameValueRows('headerParameters', 'Header Parameters', 'sendHeaders'),
	{
		displayName: 'Send Body',
		name: 'sendBody',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		displayOptions: { show: { method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		displayOptions: { show: { sendBody: [true], method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Requests in Flight',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 64 },
				default: 8,
				description: 'How many items are sent at once; output order always follows input order',
			},
		],
	},
];
