import { expect } from 'chai';
import { bodyExcerpt, parseBody, redactText, redactUrl } from '../../core';

describe('redaction', () => {
	it('masks every known secret, raw and percent-encoded, longest first', () => {
		const text = 'password=s3cret/+pw token s3cret/+pw-extra and s3cret%2F%2Bpw';
		expect(redactText(text, ['s3cret/+pw', 's3cret/+pw-extra'])).to.equal('password=*** token *** and ***');
	});

	it('masks URL user info and secret-looking query values', () => {
		expect(redactUrl('http://u:p@h/x?token=abc&page=2&api_key=k')).to.equal('http://***:***@h/x?token=***&page=2&api_key=***');
	});
});

describe('parseBody', () => {
	it('parses JSON by content type and drops __proto__ keys', () => {
		const body = parseBody(Buffer.from('{"a":1,"__proto__":{"polluted":true}}'), 'application/json;charset=UTF-8');
		expect(body.kind).to.equal('json');
		const value = (body as { value: Record<string, unknown> }).value;
		expect(value.a).to.equal(1);
		expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).to.equal(false);
		expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
	});

	it('drops __proto__ and constructor.prototype keys written with \\u escapes too', () => {
		const body = parseBody(Buffer.from('{"a":1,"\\u005f_proto__":{"polluted":true},"constructor":{"\\u0070rototype":{"x":1}}}'), 'application/json');
		const value = (body as { value: Record<string, unknown> }).value;
		expect(value).to.deep.equal({ a: 1, constructor: {} });
		expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).to.equal(false);
	});

	it('keeps JSON-looking text served as text/plain as text (Bonita formFileUpload)', () => {
		expect(parseBody(Buffer.from('{"tempPath":"tmp_1"}'), 'text/plain;charset=UTF-8')).to.deep.equal({ kind: 'text', value: '{"tempPath":"tmp_1"}' });
	});

	it('falls back to text for malformed JSON, and to binary for other types', () => {
		expect(parseBody(Buffer.from('{oops'), 'application/json').kind).to.equal('text');
		const binary = parseBody(Buffer.from([1, 2, 3]), 'application/pdf');
		expect(binary.kind).to.equal('binary');
		expect(bodyExcerpt(binary)).to.equal('<3 bytes of application/pdf>');
		expect(parseBody(Buffer.alloc(0), 'application/json')).to.deep.equal({ kind: 'empty' });
	});
});
