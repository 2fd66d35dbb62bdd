/**
 * HTTP Digest (RFC 7616): the challenge parser and the maths on their own, then the scheme through the
 * real engine (transport, session, executeRequest) against lighttpd, Apache and a small Node server
 * (test/peers/digest-servers.ts). The servers' suites install Debian packages on first use (apt-get, as
 * root): lighttpd, apache2-bin + apache2-utils, libfaketime.
 */
import { expect } from 'chai';
import { createHash } from 'crypto';
import { type BpmFailure, createTransport, executeRequest, type HttpResponse, type Outcome, Session, sessionConnection } from '../../core';
import { digestChallenges, parseAuthenticate, parseAuthenticateHeader, type DigestChallenge } from '../../core/schemes/digest-challenge';
import { chooseChallenge, digestAuthorization } from '../../core/schemes/digest-response';
import { digest, digestScheme, type DigestState } from '../../core/schemes/digest';
import {
	APACHE_AREAS,
	type DigestPeer,
	LIGHTTPD_AREAS,
	type Lighttpd,
	NODE_REALM,
	type NodeDigestOptions,
	type NodeDigestServer,
	recordingTransport,
	startApache,
	startLighttpd,
	startNodeDigestServer,
} from '../peers/digest-servers';

const INSTALL_TIMEOUT = 20 * 60 * 1000;
const USER = 'alice';
const PASSWORD = 'pw-Marker-7';
const WRONG = 'wrong-Marker-pw';

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text, 'utf8').digest('hex');
/** One field of an Authorization value, unquoted. */
const field = (header: string, name: string) =>
	new RegExp(`(?:^Digest |, )${name.replace(/[*-]/g, '\\$&')}=("(?:[^"\\\\]|\\\\.)*"|[^,]*)`).exec(header)?.[1].replace(/^"|"$/g, '');

function challenge(overrides: Partial<DigestChallenge> = {}): DigestChallenge {
	return { realm: 'r', nonce: 'n', qop: ['auth'], stale: false, userhash: false, ...overrides };
}

describe('Digest challenge parser', () => {
	it('splits several challenges inside one value, as Node joins repeated fields', () => {
		const parsed = parseAuthenticate('Digest realm="a", nonce="x", algorithm=SHA-256, Digest realm="a", nonce="y", algorithm=MD5');
		expect(parsed).to.deep.equal([
			{ scheme: 'Digest', params: { realm: 'a', nonce: 'x', algorithm: 'SHA-256' } },
			{ scheme: 'Digest', params: { realm: 'a', nonce: 'y', algorithm: 'MD5' } },
		]);
	});

	it('reads quoted strings with escapes and commas, bare tokens, any case and spaces around "="', () => {
		const [parsed] = parseAuthenticate('DIGEST Realm = "a \\"b\\", c\\\\d" ,  NONCE=abc/def+=,qop="auth, auth-int",  STALE=TRUE');
		expect(parsed).to.deep.equal({ scheme: 'DIGEST', params: { realm: 'a "b", c\\d', nonce: 'abc/def+=', qop: 'auth, auth-int', stale: 'TRUE' } });
	});

	it('keeps other schemes and their token68 apart from the Digest challenge that follows', () => {
		const parsed = parseAuthenticate('Negotiate YII=, Basic realm="x, y", charset="UTF-8", Digest realm="r", nonce="n"');
		expect(parsed.map((c) => c.scheme)).to.deep.equal(['Negotiate', 'Basic', 'Digest']);
		expect(parsed[0].token68).to.equal('YII=');
		expect(parsed[1].params).to.deep.equal({ realm: 'x, y', charset: 'UTF-8' });
		expect(parsed[2].params).to.deep.equal({ realm: 'r', nonce: 'n' });
	});

	it('reads a header stored as one string per field line, each possibly holding several challenges', () => {
		const parsed = parseAuthenticateHeader(['Basic realm="b"', 'Digest realm="r", nonce="1", Digest realm="r", nonce="2"']);
		expect(parsed.map((c) => `${c.scheme} ${c.params.nonce ?? ''}`)).to.deep.equal(['Basic ', 'Digest 1', 'Digest 2']);
		expect(parseAuthenticateHeader(undefined)).to.deep.equal([]);
	});

	it('normalises Digest challenges and drops those no response can answer', () => {
		const parsed = digestChallenges([
			'Digest realm="r", nonce="n1", qop="Auth-Int, auth", stale=TRUE, userhash=true, opaque="o", algorithm=sha-256',
			'Digest realm="r", nonce="n2"',
			'Digest realm="r"',
			'Basic realm="r", nonce="n3"',
		]);
		expect(parsed).to.deep.equal([
			{ realm: 'r', nonce: 'n1', qop: ['auth-int', 'auth'], stale: true, userhash: true, opaque: 'o', algorithm: 'sha-256' },
			{ realm: 'r', nonce: 'n2', qop: [], stale: false, userhash: false },
		]);
	});
});

describe('Digest maths', () => {
	// RFC 7616 §3.9.1.
	const rfc = {
		realm: 'http-auth@example.org',
		nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
		opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
		cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
	};
	const mufasa = { user: 'Mufasa', password: 'Circle of Life' };
	const rfcCall = { method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: rfc.cnonce };

	for (const [algorithm, response] of [
		['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
		['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
	]) {
		it(`gives the RFC 7616 §3.9.1 ${algorithm} response, with nc, qop and algorithm unquoted`, () => {
			const header = digestAuthorization(mufasa, challenge({ realm: rfc.realm, nonce: rfc.nonce, opaque: rfc.opaque, algorithm, qop: ['auth', 'auth-int'] }), rfcCall);
			expect(header).to.equal(
				`Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=${algorithm}, ` +
					`nonce="${rfc.nonce}", nc=00000001, cnonce="${rfc.cnonce}", qop=auth, response="${response}", opaque="${rfc.opaque}"`,
			);
		});
	}

	it('hashes SHA-512-256 with FIPS SHA-512/256, which differs from truncated SHA-512', () => {
		expect(hex('sha512-256', 'abc')).to.equal('53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23');
		expect(hex('sha512', 'abc').slice(0, 64)).not.to.equal(hex('sha512-256', 'abc'));
		const header = digestAuthorization(mufasa, challenge({ realm: rfc.realm, nonce: rfc.nonce, algorithm: 'SHA-512-256' }), rfcCall);
		const expected = (h: (text: string) => string) =>
			h(`${h(`Mufasa:${rfc.realm}:Circle of Life`)}:${rfc.nonce}:00000001:${rfc.cnonce}:auth:${h('GET:/dir/index.html')}`);
		expect(field(header, 'response')).to.equal(expected((text) => hex('sha512-256', text)));
		expect(field(header, 'response')).not.to.equal(expected((text) => hex('sha512', text).slice(0, 64)));
	});

	it('folds nonce and cnonce into HA1 for -sess algorithms', () => {
		const header = digestAuthorization(mufasa, challenge({ algorithm: 'MD5-sess' }), { method: 'POST', uri: '/a?b=c', nc: 10, cnonce: 'cn' });
		const ha1 = hex('md5', `${hex('md5', 'Mufasa:r:Circle of Life')}:n:cn`);
		expect(field(header, 'response')).to.equal(hex('md5', `${ha1}:n:0000000a:cn:auth:${hex('md5', 'POST:/a?b=c')}`));
		expect(field(header, 'algorithm')).to.equal('MD5-sess');
		expect(field(header, 'nc')).to.equal('0000000a');
	});

	it('answers a legacy challenge without qop with H(HA1:nonce:HA2) and no nc, cnonce or qop', () => {
		const header = digestAuthorization(mufasa, challenge({ qop: [] }), rfcCall);
		expect(field(header, 'response')).to.equal(hex('md5', `${hex('md5', 'Mufasa:r:Circle of Life')}:n:${hex('md5', 'GET:/dir/index.html')}`));
		for (const name of ['nc', 'cnonce', 'qop', 'algorithm']) expect(field(header, name), name).to.equal(undefined);
	});

	it('hides the user name when the server asks for userhash', () => {
		const header = digestAuthorization({ user: 'Jäsøn Doe', password: 'p' }, challenge({ realm: 'api@example.org', algorithm: 'SHA-512-256', userhash: true }), rfcCall);
		expect(field(header, 'username')).to.equal(hex('sha512-256', 'Jäsøn Doe:api@example.org'));
		expect(field(header, 'userhash')).to.equal('true');
		expect(header).not.to.contain('username*');
	});

	it('sends a non-ASCII user name as username* (RFC 8187) and escapes quoted fields', () => {
		const header = digestAuthorization({ user: 'Jäsøn Doe', password: 'p' }, challenge({ realm: 'a "b" \\c' }), rfcCall);
		expect(field(header, 'username*')).to.equal("UTF-8''J%C3%A4s%C3%B8n%20Doe");
		expect(field(header, 'username')).to.equal(undefined);
		expect(header).to.contain('realm="a \\"b\\" \\\\c"');
	});

	it('chooses SHA-512-256 over SHA-256 over MD5, skipping what it cannot answer', () => {
		const offers = (...list: Array<Partial<DigestChallenge>>) => list.map((c, i) => challenge({ nonce: `n${i}`, ...c }));
		const chosen = (...list: Array<Partial<DigestChallenge>>) => chooseChallenge(offers(...list))?.nonce;
		expect(chosen({ algorithm: 'MD5' }, { algorithm: 'SHA-256' }, { algorithm: 'sha-512-256' })).to.equal('n2');
		expect(chosen({ algorithm: 'SHA-512-256', qop: ['auth-int'] }, { algorithm: 'SHA-256-sess' }, { algorithm: 'MD5' })).to.equal('n1');
		expect(chosen({ algorithm: 'SHA-256' }, { algorithm: 'SHA-256-sess' })).to.equal('n0');
		expect(chosen({ algorithm: 'SHA-1' }, { qop: ['auth-int', 'auth'] })).to.equal('n1');
		expect(chosen({ algorithm: 'MD5-sess', qop: [] }, { qop: [] })).to.equal('n1');
		expect(chosen({ qop: ['auth-int'] }, { algorithm: 'SHA-1' }, { algorithm: 'MD5-sess', qop: [] })).to.equal(undefined);
	});
});

describe('Digest scheme on its own', () => {
	const scheme = digestScheme({ user: USER, password: PASSWORD });
	const request = { method: 'GET' as const, url: 'http://h/a?b=1', headers: { Accept: 'text/plain' } };
	const wire = {
		send: () => Promise.reject(new Error('a Digest login does no I/O')),
		cookie: () => Promise.resolve(undefined),
	};
	const rejected = (header: string | string[], status = 401): HttpResponse => ({ status, statusText: '', headers: { 'www-authenticate': header }, body: { kind: 'empty' }, url: request.url });

	it('sends the first call bare, then counts nc on the nonce a 401 brought', async () => {
		const bare = await scheme.login(wire, {});
		expect(scheme.authorize(request, bare)).to.deep.equal(request);
		const state: DigestState = await scheme.login(wire, { previous: bare, rejected: rejected('Digest realm="r", nonce="n", qop="auth"') });
		const headers = [1, 2, 3].map(() => scheme.authorize(request, state).headers.Authorization);
		expect(headers.map((h) => field(h, 'nc'))).to.deep.equal(['00000001', '00000002', '00000003']);
		expect(headers.map((h) => field(h, 'uri'))).to.deep.equal(new Array(3).fill('/a?b=1'));
		expect(new Set(headers.map((h) => field(h, 'cnonce'))).size).to.equal(3);
	});

	it('treats only a 401 carrying a Digest challenge as the end of a login', () => {
		expect(scheme.isExpired(rejected('Digest realm="r", nonce="n"'), request)).to.equal(true);
		expect(scheme.isExpired(rejected(['Basic realm="r"', 'Digest realm="r", nonce="n", stale=true']), request)).to.equal(true);
		expect(scheme.isExpired(rejected('Basic realm="r"'), request)).to.equal(false);
		expect(scheme.isExpired(rejected('Digest realm="r", nonce="n"', 403), request)).to.equal(false);
	});

	it('refuses a challenge it cannot answer with a login error naming what was offered', async () => {
		const failure = await scheme.login(wire, { rejected: rejected('Digest realm="r", nonce="n", algorithm=SHA-1, qop="auth", Digest realm="r", nonce="m", qop="auth-int"') }).then(
			() => undefined,
			(error: BpmFailure) => error.detail,
		);
		expect(failure).to.include({ kind: 'login', status: 401 });
		expect(failure?.message).to.contain('SHA-1 (qop auth)').and.to.contain('MD5 (qop auth-int)').and.to.contain('none is supported');
	});

	it('names the password as its only secret', () => {
		expect(scheme.secrets(undefined)).to.deep.equal([PASSWORD]);
	});

	it('reads the n8n httpDigestAuth fields, the base URL optional', () => {
		expect(digest).to.include({ id: 'digest', displayName: 'Digest Auth', n8nCredential: 'httpDigestAuth', nodeRedConfig: 'bpm-auth' });
		expect(digest.parseConfig({ user: 'u', password: 'p' })).to.deep.equal({ user: 'u', password: 'p', baseUrl: undefined });
		expect(digest.parseConfig({ user: 'u', password: 'p', baseUrl: ' ' }).baseUrl).to.equal(undefined);
		expect(digest.parseConfig({ user: 'u', password: 'p', baseUrl: 'http://h:8080/api/' }).baseUrl).to.equal('http://h:8080/api');
		const fieldOf = (data: Record<string, unknown>) => {
			try {
				digest.parseConfig(data);
			} catch (error) {
				return (error as BpmFailure).detail;
			}
			return undefined;
		};
		expect(fieldOf({ user: '', password: 'p' })).to.include({ kind: 'input', field: 'user' });
		expect(fieldOf({ user: 'u' })).to.include({ kind: 'input', field: 'password' });
		expect(fieldOf({ user: 'u', password: 'p', baseUrl: 'http://h/api?x=1' })).to.include({ kind: 'input', field: 'baseUrl' });
	});
});

/** A session of its own per test, with every exchange recorded on the client side. */
function digestClient(password = PASSWORD, user = USER, baseUrl?: string) {
	const transport = recordingTransport(createTransport());
	const session = new Session(digestScheme({ user, password, baseUrl }), transport);
	const connection = sessionConnection(session);
	const get = (url: string) => executeRequest(connection, { method: 'GET', url });
	const sent = () => transport.exchanges.map((e) => e.request.headers.Authorization);
	return { transport, session, get, sent };
}

type Client = ReturnType<typeof digestClient>;

function track(clients: Client[]) {
	return (...args: Parameters<typeof digestClient>) => {
		const client = digestClient(...args);
		clients.push(client);
		return client;
	};
}

const statuses = (requests: Array<{ status: number }>) => requests.map((r) => r.status);

function bodyText(outcome: Outcome<HttpResponse>): string | undefined {
	return outcome.ok && outcome.value.body.kind === 'text' ? outcome.value.body.value : undefined;
}

describe('Digest scheme against lighttpd', function () {
	this.timeout(60_000);
	let server: Lighttpd;
	const clients: Client[] = [];
	const client = track(clients);

	before(async function () {
		this.timeout(INSTALL_TIMEOUT);
		server = await startLighttpd({ users: { [USER]: PASSWORD } });
	});
	after(async () => server?.close());
	afterEach(() => clients.splice(0).forEach((c) => c.session.close()));

	for (const area of [LIGHTTPD_AREAS.md5, LIGHTTPD_AREAS.sha256, LIGHTTPD_AREAS.sha512_256]) {
		it(`authenticates with ${area.algorithm} after one bare exchange`, async () => {
			const { get, sent } = client();
			const target = `${area.path}file.txt?single`;
			const outcome = await get(`${server.url}${target}`);
			expect(outcome.ok && outcome.attempts, JSON.stringify(outcome)).to.equal(2);
			expect(bodyText(outcome)).to.equal(`ok ${area.path}\n`);
			expect(field(sent()[1]!, 'algorithm')).to.equal(area.algorithm);
			expect(statuses(await server.settledRequests(2, target))).to.deep.equal([401, 200]);
		});
	}

	it('answers the stronger of two challenges sent in two fields', async () => {
		const { get, sent, transport } = client();
		const outcome = await get(`${server.url}${LIGHTTPD_AREAS.sha256OrMd5.path}file.txt`);
		expect(outcome.ok && outcome.value.status).to.equal(200);
		expect(transport.exchanges[0].response.headers['www-authenticate']).to.have.length(2);
		expect(field(sent()[1]!, 'algorithm')).to.equal('SHA-256');
	});

	it('puts the exact request target, query included, in uri (lighttpd refuses a mismatch with 400)', async () => {
		const { get, sent } = client();
		const outcome = await get(`${server.url}${LIGHTTPD_AREAS.md5.path}file.txt?q=a%20b&x=1&empty=`);
		expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		expect(field(sent()[1]!, 'uri')).to.equal(`${LIGHTTPD_AREAS.md5.path}file.txt?q=a%20b&x=1&empty=`);
	});

	it('ends a wrong password as a 401 error after one replay, without looping or showing the password', async () => {
		const { get } = client(WRONG);
		const target = `${LIGHTTPD_AREAS.sha256.path}file.txt?wrong`;
		const first = await get(`${server.url}${target}`);
		expect(first.ok).to.equal(false);
		if (!first.ok) expect(first.error).to.include({ kind: 'http', status: 401, attempts: 2 });
		expect(statuses(await server.settledRequests(2, target))).to.deep.equal([401, 401]);
		const second = await get(`${server.url}${target}`);
		expect(second.ok || second.error.attempts).to.equal(2);
		expect(statuses(await server.settledRequests(4, target))).to.deep.equal([401, 401, 401, 401]);
		expect(JSON.stringify([first, second])).not.to.contain(WRONG);
	});

	it('reuses the nonce: 100 sequential calls cost 101 round trips', async () => {
		const { get, sent, transport } = client();
		const target = `${LIGHTTPD_AREAS.sha512_256.path}file.txt?sequential=`;
		for (let i = 0; i < 100; i++) {
			const outcome = await get(`${server.url}${target}${i}`);
			expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		}
		expect(transport.exchanges).to.have.length(101);
		const logged = await server.settledRequests(101, target);
		expect(logged).to.have.length(101);
		expect(statuses(logged)).to.deep.equal([401, ...new Array(100).fill(200)]);
		expect(new Set(sent().slice(1).map((h) => field(h!, 'nonce'))).size).to.equal(1);
		expect(sent().slice(1).map((h) => parseInt(field(h!, 'nc')!, 16))).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
	});

	it('runs 16 concurrent calls on one challenge: one bare exchange and one replay each, nc never repeated', async () => {
		const { get, sent, transport } = client();
		const target = `${LIGHTTPD_AREAS.md5.path}file.txt?concurrent=`;
		const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => get(`${server.url}${target}${i}`)));
		expect(outcomes.map((o) => o.ok && o.value.status)).to.deep.equal(new Array(16).fill(200));
		expect(transport.exchanges).to.have.length(32);
		const authorized = sent().filter((h): h is string => h !== undefined);
		expect(new Set(authorized.map((h) => field(h, 'nonce'))).size).to.equal(1);
		expect(authorized.map((h) => parseInt(field(h, 'nc')!, 16)).sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 16 }, (_, i) => i + 1));
		const logged = statuses(await server.settledRequests(32, target));
		expect(logged.filter((s) => s === 200)).to.have.length(16);
		const next = await get(`${server.url}${target}next`);
		expect(next.ok && next.attempts).to.equal(1);
	});
});

describe('Digest scheme against lighttpd with a stale nonce', function () {
	this.timeout(60_000);
	let server: Lighttpd;
	const clients: Client[] = [];
	const client = track(clients);

	before(async function () {
		this.timeout(INSTALL_TIMEOUT);
		server = await startLighttpd({ users: { [USER]: PASSWORD }, adjustableClock: true });
	});
	after(async () => server?.close());
	afterEach(() => clients.splice(0).forEach((c) => c.session.close()));

	it('takes the new nonce from a stale=true answer and replays once', async () => {
		const { get, sent, transport } = client();
		const url = `${server.url}${LIGHTTPD_AREAS.sha256.path}file.txt`;
		expect((await get(url)).ok).to.equal(true);
		// lighttpd calls a nonce stale 600 s after issuing it.
		await server.advanceClock(700);
		const replayed = await get(url);
		expect(replayed.ok && replayed.attempts, JSON.stringify(replayed)).to.equal(2);
		const staleAnswer = transport.exchanges[2].response;
		expect(staleAnswer.status).to.equal(401);
		expect(digestChallenges(staleAnswer.headers['www-authenticate'])[0].stale).to.equal(true);
		const [, before, , after] = sent();
		expect(field(after!, 'nonce')).not.to.equal(field(before!, 'nonce'));
		expect(field(after!, 'nc')).to.equal('00000001');
		const next = await get(url);
		expect(next.ok && next.attempts).to.equal(1);
		expect(statuses(await server.settledRequests(5, LIGHTTPD_AREAS.sha256.path))).to.deep.equal([401, 200, 401, 200, 200]);
	});
});

describe('Digest scheme against Apache', function () {
	this.timeout(60_000);
	let server: DigestPeer;
	const clients: Client[] = [];
	const client = track(clients);

	before(async function () {
		this.timeout(INSTALL_TIMEOUT);
		server = await startApache({ users: { [USER]: PASSWORD } });
	});
	after(async () => server?.close());
	afterEach(() => clients.splice(0).forEach((c) => c.session.close()));

	it('interoperates with mod_auth_digest (MD5), reusing its nonce', async () => {
		const { get } = client();
		const outcomes = [];
		const target = `${APACHE_AREAS.md5}file.txt?call=`;
		for (let i = 0; i < 3; i++) outcomes.push(await get(`${server.url}${target}${i}&x=a%2Fb`));
		expect(outcomes.map((o) => o.ok && o.attempts)).to.deep.equal([2, 1, 1]);
		expect(bodyText(outcomes[2])).to.equal(`ok ${APACHE_AREAS.md5}\n`);
		expect(statuses(await server.settledRequests(4, target))).to.deep.equal([401, 200, 200, 200]);
	});

	it('replays once when Apache calls the nonce stale', async () => {
		const { get, transport } = client();
		const url = `${server.url}${APACHE_AREAS.stale}file.txt`;
		expect((await get(url)).ok).to.equal(true);
		// AuthDigestNonceLifetime 1
		await new Promise((resolve) => setTimeout(resolve, 2100));
		const replayed = await get(url);
		expect(replayed.ok && replayed.attempts, JSON.stringify(replayed)).to.equal(2);
		expect(digestChallenges(transport.exchanges[2].response.headers['www-authenticate'])[0].stale).to.equal(true);
	});

	it('ends a wrong password as a 401 error after one replay', async () => {
		const { get } = client(WRONG);
		const outcome = await get(`${server.url}${APACHE_AREAS.md5}file.txt?wrong`);
		expect(outcome.ok || outcome.error).to.include({ kind: 'http', status: 401, attempts: 2 });
	});
});

describe('Digest scheme against challenges only a Node server sends', function () {
	this.timeout(30_000);
	let server: NodeDigestServer | undefined;
	const clients: Client[] = [];
	const client = track(clients);
	const start = async (options: Omit<NodeDigestOptions, 'users'>, users: Record<string, string> = { [USER]: PASSWORD }) =>
		(server = await startNodeDigestServer({ users, ...options }));
	afterEach(async () => {
		clients.splice(0).forEach((c) => c.session.close());
		await server?.close();
		server = undefined;
	});

	it('splits several challenges from one field and answers the best it supports', async () => {
		const node = await start({ oneField: true, offers: [{ algorithm: 'MD5', qop: 'auth' }, { algorithm: 'SHA-256', qop: 'auth' }, { algorithm: 'SHA-512-256', qop: 'auth-int' }] });
		const { get, sent, transport } = client();
		const outcome = await get(`${node.url}/one-field?x=1`);
		expect(outcome.ok && outcome.attempts, JSON.stringify(outcome)).to.equal(2);
		expect(transport.exchanges[0].response.headers['www-authenticate']).to.be.a('string').and.to.contain('Digest realm');
		expect(field(sent()[1]!, 'algorithm')).to.equal('SHA-256');
		expect(field(sent()[1]!, 'realm')).to.equal(NODE_REALM.replace(/"/g, '\\"'));
		expect(field(sent()[1]!, 'opaque')).to.equal('opaque/0+1=');
	});

	it('sends the hashed user name when the challenge says userhash=true', async () => {
		const node = await start({ offers: [{ algorithm: 'SHA-256', qop: 'auth', userhash: true }] });
		const { get, sent } = client();
		const outcome = await get(`${node.url}/userhash`);
		expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		expect(field(sent()[1]!, 'username')).to.equal(hex('sha256', `${USER}:${NODE_REALM}`));
		expect(node.authorizations()[1]).not.to.contain(`"${USER}"`);
	});

	it('answers a legacy challenge without qop or algorithm', async () => {
		const node = await start({ offers: [{}] });
		const { get, sent } = client();
		const outcome = await get(`${node.url}/legacy?a=b`);
		expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		for (const name of ['nc', 'cnonce', 'qop', 'algorithm']) expect(field(sent()[1]!, name), name).to.equal(undefined);
	});

	it('logs in a non-ASCII user name through username*', async () => {
		const node = await start({ offers: [{ algorithm: 'SHA-512-256', qop: 'auth' }] }, { 'Jäsøn Doe': PASSWORD });
		const { get, sent } = client(PASSWORD, 'Jäsøn Doe');
		const outcome = await get(`${node.url}/utf8`);
		expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		expect(field(sent()[1]!, 'username*')).to.equal("UTF-8''J%C3%A4s%C3%B8n%20Doe");
	});

	it('logs in again once when the server has forgotten its nonce', async () => {
		const node = await start({ offers: [{ algorithm: 'MD5', qop: 'auth' }] });
		const { get } = client();
		expect((await get(`${node.url}/forget`)).ok).to.equal(true);
		node.forgetNonces();
		const outcome = await get(`${node.url}/forget`);
		expect(outcome.ok && outcome.attempts, JSON.stringify(outcome)).to.equal(2);
		expect(statuses(node.requests('/forget'))).to.deep.equal([401, 200, 401, 200]);
	});

	it('reports challenges it cannot answer as a login error after the single bare exchange', async () => {
		const node = await start({ offers: [{ algorithm: 'SHA-1', qop: 'auth' }, { algorithm: 'SHA-256', qop: 'auth-int' }] });
		const { get } = client();
		const outcome = await get(`${node.url}/unsupported`);
		expect(outcome.ok).to.equal(false);
		if (outcome.ok) return;
		expect(outcome.error).to.include({ kind: 'login', status: 401, attempts: 1 });
		expect(outcome.error.message).to.contain('SHA-1 (qop auth)').and.to.contain('SHA-256 (qop auth-int)');
		expect(node.requests('/unsupported')).to.have.length(1);
	});

	it('signs each same-origin redirect hop for its own request target', async () => {
		const node = await start({ offers: [{ algorithm: 'SHA-256', qop: 'auth' }] });
		const { get } = client();
		const outcome = await get(`${node.url}/moved?from=1`);
		expect(outcome.ok && outcome.value.status, JSON.stringify(outcome)).to.equal(200);
		expect(outcome.ok && outcome.value.url).to.equal(`${node.url}/arrived?after=moved`);
		expect(statuses(node.requests('/moved'))).to.deep.equal([401, 302]);
		expect(statuses(node.requests('/arrived'))).to.deep.equal([200]);
		const hop = node.authorizations().at(-1)!;
		expect(hop).to.contain('uri="/arrived?after=moved"').and.to.contain('nc=00000002');
	});

	it('sends no Authorization to an origin outside its base URL', async () => {
		const node = await start({ offers: [{ algorithm: 'MD5', qop: 'auth' }] });
		const { get, sent } = client(PASSWORD, USER, 'http://127.0.0.1:1');
		const outcome = await get(`${node.url}/elsewhere`);
		expect(outcome.ok || outcome.error).to.include({ kind: 'http', status: 401, attempts: 1 });
		expect(sent()).to.deep.equal([undefined]);
	});
});
