import { expect } from 'chai';
import { funnelback, type BpmFailure, type Connection } from '../../core';
import type { NodeRedApi } from '../../node-red/node-red-api';
import { editorConnection } from '../../node-red/operations/editor-connection';

/**
 * The rule behind every operation node's dropdowns, for a config node whose secrets are not a password: Funnelback's
 * application token. A saved secret (`__PWRD__` in the dialog) goes to the saved URL only; a typed one anywhere.
 */
describe('Editor dropdowns: which connection a dialog may use (Funnelback, password or application token)', () => {
	const SAVED_URL = 'https://search.example.com';
	const deployedConnection = { memo: undefined } as unknown as Connection;
	const RED = {
		nodes: {
			getNode: (id: string) => (id === 'fb' ? { connection: deployedConnection, fields: { url: SAVED_URL, authMode: 'applicationToken', collections: 'client~sp-docs', applicationToken: 'saved-t0ken' } } : null),
			getCredentials: (id: string) => (id === 'fb' ? { applicationToken: 'saved-t0ken' } : undefined),
		},
	} as unknown as NodeRedApi;
	const SECRETS = ['password', 'applicationToken'];
	const refusal = (run: () => unknown) => {
		try {
			run();
		} catch (error) {
			return (error as BpmFailure).detail;
		}
		throw new Error('expected a refusal');
	};

	it('uses the deployed session when the dialog holds what is deployed, the saved token included', () => {
		const unsaved = { url: SAVED_URL, authMode: 'applicationToken', collections: 'client~sp-docs', username: '', password: '__PWRD__', applicationToken: '__PWRD__' };
		expect(editorConnection(RED, funnelback, 'fb', unsaved, SECRETS)).to.equal(deployedConnection);
	});

	it('refuses to send the saved token to another URL, naming the token; a token typed again goes anywhere', () => {
		const elsewhere = { url: 'https://attacker.example', authMode: 'applicationToken', collections: '', username: '', password: '__PWRD__', applicationToken: '__PWRD__' };
		const detail = refusal(() => editorConnection(RED, funnelback, 'fb', elsewhere, SECRETS));
		expect(detail).to.include({ field: 'applicationToken' });
		expect(detail.message).to.contain('only sent to the saved URL').and.not.contain('saved-t0ken');
		const typed = editorConnection(RED, funnelback, 'fb', { ...elsewhere, applicationToken: 'typed-t0ken' }, SECRETS);
		expect(typed).not.to.equal(deployedConnection);
		expect(typed.secrets()).to.include('typed-t0ken').and.not.include('saved-t0ken');
	});

	it('without a deployed configuration, asks for the secret the settings need', () => {
		const fresh = { url: SAVED_URL, authMode: 'login', collections: '', username: 'admin', password: '__PWRD__', applicationToken: '__PWRD__' };
		expect(refusal(() => editorConnection(RED, funnelback, 'new-node', fresh, SECRETS))).to.include({ field: 'password' });
		expect(editorConnection(RED, funnelback, 'new-node', { ...fresh, password: 'typed-pw' }, SECRETS).secrets()).to.include('typed-pw');
	});

	it('uses the saved token with the saved URL when other settings changed, through a session of its own', () => {
		const changed = { url: SAVED_URL, authMode: 'applicationToken', collections: 'client~sp-docs\nclient~ds-push', username: '', password: '__PWRD__', applicationToken: '__PWRD__' };
		const connection = editorConnection(RED, funnelback, 'fb', changed, SECRETS);
		expect(connection).not.to.equal(deployedConnection);
		expect(connection.secrets()).to.include('saved-t0ken');
		expect(connection.configuredLists?.collections).to.deep.equal(['client~sp-docs', 'client~ds-push']);
	});
});
