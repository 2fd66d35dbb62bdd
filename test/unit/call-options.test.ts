import { expect } from 'chai';
import { parseCallOptions, type BpmFailure, type CallOptions } from '../../core';

function refusal(options: CallOptions) {
	try {
		parseCallOptions(options);
	} catch (error) {
		return (error as BpmFailure).detail;
	}
	throw new Error('accepted');
}

describe('parseCallOptions', () => {
	it('defaults to failing on 4xx and 5xx, with no retry and verification on', () => {
		const parsed = parseCallOptions({}, {});
		expect(parsed.status).to.deep.equal({ failOn4xx: true, failOn5xx: true, exceptCodes: [] });
		expect(parsed.retry.maxAttempts).to.equal(1);
		expect(parsed.settings).to.deep.equal({ tls: { rejectUnauthorized: true } });
	});

	it('turns the flat user values into policies and exchange settings', () => {
		const parsed = parseCallOptions({
			exceptCodes: '404 409',
			maxAttempts: 5,
			retryCodes: '429, 408',
			safeToRepeat: true,
			timeoutMs: 1000,
			allowUnauthorizedCerts: true,
			proxyUrl: 'http://proxy:3128',
			proxyUsername: 'u',
			proxyPassword: 'p',
			noProxy: 'localhost, .internal',
		});
		expect(parsed.status.exceptCodes).to.deep.equal([404, 409]);
		expect(parsed.retry).to.include({ maxAttempts: 5, retryUnsafeMethods: true });
		expect(parsed.retry.retryCodes).to.deep.equal([429, 408]);
		expect(parsed.settings).to.deep.include({ timeoutMs: 1000, tls: { rejectUnauthorized: false } });
		expect(parsed.settings.proxy).to.deep.equal({ url: 'http://proxy:3128', username: 'u', password: 'p', noProxy: ['localhost', '.internal'] });
	});

	it('takes the proxy from HTTPS_PROXY / HTTP_PROXY and NO_PROXY when none is configured', () => {
		const env = { https_proxy: 'http://envproxy:3128', NO_PROXY: 'localhost,127.0.0.1' };
		expect(parseCallOptions({}, env).settings.proxy).to.deep.equal({ url: 'http://envproxy:3128', noProxy: ['localhost', '127.0.0.1'] });
		expect(parseCallOptions({ proxyUrl: 'http://mine:8080' }, env).settings.proxy).to.deep.equal({ url: 'http://mine:8080', noProxy: [] });
		expect(parseCallOptions({}, {}).settings.proxy).to.equal(undefined);
	});

	it('refuses bad values, naming the option', () => {
		expect(refusal({ maxAttempts: 0 })).to.include({ kind: 'input', field: 'maxAttempts' });
		expect(refusal({ timeoutMs: 1.5 })).to.include({ field: 'timeoutMs' });
		expect(refusal({ retryCodes: '429, soon' })).to.include({ field: 'retryCodes' });
		expect(refusal({ exceptCodes: '4044' })).to.include({ field: 'exceptCodes' });
	});
});
