import { expect } from 'chai';
import { BpmFailure, buildRequest } from '../../core';

function failure(fn: () => unknown): BpmFailure {
	try {
		fn();
	} catch (error) {
		if (error instanceof BpmFailure) return error;
		throw error;
	}
	throw new Error('expected a BpmFailure');
}

describe('buildRequest', () => {
	it('joins a relative URL to the base as a path, keeping the context path', () => {
		const request = buildRequest({ method: 'get', url: '/API/bpm/process', baseUrl: 'http://h:8080/bonita/' });
		expect(request.method).to.equal('GET');
		expect(request.url).to.equal('http://h:8080/bonita/API/bpm/process');
	});

	it('keeps an absolute URL and appends repeated query rows in order', () => {
		const request = buildRequest({
			method: 'GET',
			url: 'http://other/x?a=1',
			baseUrl: 'http://h/bonita',
			query: [
				{ name: 'f', value: 'name=Pool' },
				{ name: 'f', value: 'state=ready' },
			],
		});
		expect(request.url).to.equal('http://other/x?a=1&f=name%3DPool&f=state%3Dready');
	});

	it('parses a JSON body given as text and keeps a value as it is', () => {
		expect(buildRequest({ method: 'POST', url: 'http://h/', json: '{"a":1}' }).body).to.deep.equal({ kind: 'json', value: { a: 1 } });
		expect(buildRequest({ method: 'POST', url: 'http://h/', json: [1, 2] }).body).to.deep.equal({ kind: 'json', value: [1, 2] });
	});

	const refused: Array<[string, Parameters<typeof buildRequest>[0], string, RegExp]> = [
		['an unknown method', { method: 'TRACE', url: 'http://h/' }, 'method', /TRACE/],
		['an empty URL', { method: 'GET', url: ' ' }, 'url', /empty/],
		['a malformed URL', { method: 'GET', url: 'http://exa mple.com:99999/' }, 'url', /not a valid URL/],
		['a relative URL without a base', { method: 'GET', url: 'API/x' }, 'url', /relative/],
		['a non-HTTP scheme', { method: 'GET', url: 'ftp://h/x' }, 'url', /http/],
		['invalid JSON', { method: 'POST', url: 'http://h/', json: '{"a":' }, 'body', /not valid JSON/],
		['CR/LF in a header value', { method: 'GET', url: 'http://h/', headers: [{ name: 'X-A', value: 'a\r\nInjected: 1' }] }, 'headers', /line break/],
		['a bad header name', { method: 'GET', url: 'http://h/', headers: [{ name: 'X A\n', value: 'v' }] }, 'headers', /not a valid HTTP header name/],
		['an empty query name', { method: 'GET', url: 'http://h/', query: [{ name: '', value: 'v' }] }, 'query', /empty name/],
	];
	for (const [what, input, field, message] of refused) {
		it(`refuses ${what}, naming the field ${field}`, () => {
			const error = failure(() => buildRequest(input));
			expect(error.detail.kind).to.equal('input');
			expect(error.detail.field).to.equal(field);
			expect(error.message).to.match(message);
		});
	}
});
