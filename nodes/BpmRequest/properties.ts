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
			{ displayName: 'Allow Unauthorized Certificates', name: 'allowUnauthorizedCerts', type: 'boolean', default: false, description: 'Whether to accept a server certificate that cannot be verified (this call only)' },
			{ displayName: 'Exception Codes', name: 'exceptCodes', type: 'string', default: '', placeholder: '404, 409', description: 'Status codes that never fail the item, whatever the fail rules say' },
			{ displayName: 'Fail on 4xx', name: 'failOn4xx', type: 'boolean', default: true, description: 'Whether a 4xx status sends the item to the error output' },
			{ displayName: 'Fail on 5xx', name: 'failOn5xx', type: 'boolean', default: true, description: 'Whether a 5xx status sends the item to the error output' },
			{ displayName: 'Follow Redirects', name: 'followRedirects', type: 'boolean', default: true, description: 'Whether to follow redirects; credentials are never sent to another origin' },
			{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', typeOptions: { minValue: 1, maxValue: 20 }, default: 1, description: 'Attempts per item, the first included; 1 means no retry' },
			{ displayName: 'Max Redirects', name: 'maxRedirects', type: 'number', typeOptions: { minValue: 0, maxValue: 50 }, default: 10 },
			{ displayName: 'Max Response Size (Bytes)', name: 'maxResponseBytes', type: 'number', default: 67108864, description: 'A larger response body fails the item' },
			{ displayName: 'No Proxy For', name: 'noProxy', type: 'string', default: '', placeholder: 'localhost, .internal.example.com', description: 'Comma-separated hosts reached without the proxy' },
			{ displayName: 'Proxy', name: 'proxyUrl', type: 'string', default: '', placeholder: 'http://proxy:3128', description: 'HTTP proxy; HTTPS targets are tunnelled with CONNECT' },
			{
				displayName: 'Requests in Flight',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 64 },
				default: 8,
				description: 'How many items are sent at once; output order always follows input order',
			},
			{ displayName: 'Retry Codes', name: 'retryCodes', type: 'string', default: '429', description: 'Status codes that are retried, besides 5xx when that is on' },
			{ displayName: 'Retry Delay (Ms)', name: 'retryDelayMs', type: 'number', default: 500, description: 'Base of the exponential backoff (with jitter); a Retry-After header takes precedence' },
			{ displayName: 'Retry on 5xx', name: 'retryOn5xx', type: 'boolean', default: true, description: 'Whether 5xx statuses are retried (when Max Attempts is above 1)' },
			{ displayName: 'Retry on Network Errors', name: 'retryOnNetworkError', type: 'boolean', default: true, description: 'Whether resets, refused connections and timeouts are retried' },
			{ displayName: 'Safe to Repeat POST and PATCH', name: 'safeToRepeat', type: 'boolean', default: false, description: 'Whether POST and PATCH may be retried: only when repeating the call cannot do harm' },
			{ displayName: 'Timeout (Ms)', name: 'timeoutMs', type: 'number', default: 30000, description: 'Time allowed to connect and receive the first byte' },
			{ displayName: 'Total Deadline (Ms)', name: 'deadlineMs', type: 'number', default: 300000, description: 'Time allowed for the whole exchange, body included' },
		],
	},
];
