import { readdirSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { expect } from 'chai';
import { withDefaults, type NodeProperties } from '../../node-red/node-properties';
import type { NodeDef } from '../../node-red/node-red-api';
import { NODE_PROPERTIES } from '../../node-red/properties';
import { OPERATION_NODES } from '../../node-red/operations/operation-nodes';
import { WATCH_NODES } from '../../node-red/triggers/watch-nodes';
import { renderEditorHtml } from '../../node-red/render-editor-properties';

const TEMPLATE = `<script type="text/javascript">
    RED.nodes.registerType('bpm-x', {
        category: 'config',
        defaults: EDITOR_DEFAULTS,
        credentials: EDITOR_CREDENTIALS,
        label: function () { return 'x'; }
    });
</script>`;

const PROPERTIES: NodeProperties = {
	defaults: {
		name: { value: '' },
		codes: { value: '429', validate: /^[\s,;]*(\d{3}[\s,;]*)*$/ },
		attempts: { value: 1, validate: 'number' },
		lifetime: { value: 7200, validate: { integerFrom: 1, to: 7200, blankAllowed: true } },
		server: { value: '', type: 'bpm-bonita', required: false },
		quoted: { value: "it's", required: true },
		enabled: { value: true },
	},
	credentials: { username: { type: 'text', required: true }, password: { type: 'password' } },
};

/** Runs the rendered editor script against a stand-in RED and returns what it registered and its nodes:add hook. */
function register(html: string) {
	const registered: Array<{ type: string; definition: Record<string, any> }> = [];
	const hooks: Array<(node: Record<string, unknown>) => void> = [];
	const RED = {
		nodes: { registerType: (type: string, definition: Record<string, any>) => registered.push({ type, definition }) },
		events: { on: (_event: string, hook: (node: Record<string, unknown>) => void) => hooks.push(hook) },
		validators: { number: () => (v: unknown) => !Number.isNaN(Number(v)), regex: (re: RegExp) => (v: unknown) => re.test(String(v)) },
	};
	for (const [, script] of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) vm.runInNewContext(script, { RED });
	return { registered, hooks };
}

describe('Node-RED node properties: one table for the editor and the runtime', () => {
	it('renders the defaults and credentials as inline literals the editor registers', () => {
		const { registered } = register(renderEditorHtml('bpm-x', TEMPLATE, PROPERTIES));
		expect(registered).to.have.length(1);
		const { defaults, credentials } = registered[0].definition;
		expect(Object.keys(defaults)).to.deep.equal(Object.keys(PROPERTIES.defaults));
		for (const [name, property] of Object.entries(PROPERTIES.defaults)) expect(defaults[name].value, name).to.equal(property.value);
		expect(defaults.server).to.include({ type: 'bpm-bonita', required: false });
		expect(credentials).to.deep.equal(PROPERTIES.credentials);
	});

	it('renders each validation rule as the editor check it stands for', () => {
		const { defaults } = register(renderEditorHtml('bpm-x', TEMPLATE, PROPERTIES)).registered[0].definition;
		expect(defaults.codes.validate('404, 409')).to.equal(true);
		expect(defaults.codes.validate('429, soon')).to.equal(false);
		expect(defaults.attempts.validate('3')).to.equal(true);
		expect(defaults.attempts.validate('three')).to.equal(false);
		expect([7200, '1', ''].map((v) => defaults.lifetime.validate(v))).to.deep.equal([true, true, true]);
		expect([7201, 0, '1.5', 'x'].map((v) => defaults.lifetime.validate(v))).to.deep.equal([false, false, false, false]);
	});

	it('gives a node of its own type that enters the editor without a property that property\'s default, and leaves set ones and other types alone', () => {
		const { registered, hooks } = register(renderEditorHtml('bpm-x', TEMPLATE, PROPERTIES));
		const definition = registered[0].definition;
		const partial: Record<string, unknown> = { type: 'bpm-x', _def: definition, enabled: false, codes: '' };
		const other: Record<string, unknown> = { type: 'inject', _def: definition };
		for (const hook of hooks) [partial, other].forEach(hook);
		expect(partial).to.include({ name: '', codes: '', attempts: 1, lifetime: 7200, server: '', quoted: "it's", enabled: false });
		expect(other).to.deep.equal({ type: 'inject', _def: definition });
	});

	it('fails the build when a template lacks a placeholder its table needs, or names one twice', () => {
		expect(() => renderEditorHtml('bpm-x', TEMPLATE.replace('EDITOR_DEFAULTS', '{}'), PROPERTIES)).to.throw('EDITOR_DEFAULTS once, not 0 times');
		expect(() => renderEditorHtml('bpm-x', `${TEMPLATE}EDITOR_CREDENTIALS`, PROPERTIES)).to.throw('EDITOR_CREDENTIALS once, not 2 times');
		expect(() => renderEditorHtml('bpm-x', TEMPLATE, { defaults: PROPERTIES.defaults })).to.throw('EDITOR_CREDENTIALS has no table');
	});

	it('fills what a flow leaves out at runtime, and keeps what it says (false and empty included)', () => {
		const config: NodeDef = { id: 'n1', type: 'bpm-x', enabled: false, codes: '' };
		expect(withDefaults(PROPERTIES, config)).to.deep.equal({ id: 'n1', type: 'bpm-x', name: '', codes: '', attempts: 1, lifetime: 7200, server: '', quoted: "it's", enabled: false });
	});

	it('has a table for every editor HTML, and one for each operation and watch node (each set\'s editor is one template)', () => {
		const editors = readdirSync(path.resolve(__dirname, '..', '..', 'node-red')).filter((file) => file.endsWith('.html')).map((file) => file.replace(/\.html$/, ''));
		expect(Object.keys(NODE_PROPERTIES)).to.have.members([...editors, ...Object.keys(OPERATION_NODES), ...Object.keys(WATCH_NODES)]);
	});
});
