import { baw, bawCatalogue, bonita, bonitaCatalogue, funnelback, funnelbackCatalogue, simplicite, simpliciteCatalogue, type Catalogue } from '../../core';
import { renderEditorHtml } from '../render-editor-properties';
import { editorCatalogue } from './editor-catalogue';
import { operationNodeProperties } from './operation-node-properties';

export interface OperationNode {
	catalogue: Catalogue;
	/** The vendor's config node type. */
	configType: string;
	paletteLabel: string;
	icon: string;
	/** The README section the help links to (GitHub's anchor). */
	readmeAnchor: string;
}

/** The vendor operation nodes, one node set (bpm-operations): each a catalogue rendered by the same runtime, dialog and help. */
export const OPERATION_NODES: Record<string, OperationNode> = {
	'bpm-bonita-operation': { catalogue: bonitaCatalogue, configType: bonita.nodeRedConfig, paletteLabel: 'bonita', icon: 'font-awesome/fa-tasks', readmeAnchor: 'bonita-operations' },
	'bpm-baw-operation': { catalogue: bawCatalogue, configType: baw.nodeRedConfig, paletteLabel: 'ibm baw', icon: 'font-awesome/fa-sitemap', readmeAnchor: 'ibm-baw-operations' },
	'bpm-simplicite-operation': { catalogue: simpliciteCatalogue, configType: simplicite.nodeRedConfig, paletteLabel: 'simplicite', icon: 'font-awesome/fa-database', readmeAnchor: 'simplicit%C3%A9-operations' },
	'bpm-funnelback-operation': { catalogue: funnelbackCatalogue, configType: funnelback.nodeRedConfig, paletteLabel: 'funnelback', icon: 'font-awesome/fa-search', readmeAnchor: 'funnelback-operations' },
};

export function operationNodePropertiesOf(type: string) {
	const node = OPERATION_NODES[type];
	return operationNodeProperties(node.catalogue, node.configType);
}

/** The node set's editor HTML: the form script once, then each node's registration and template with its defaults and catalogue. */
export function operationEditorsHtml(template: string, formScript: string): string {
	const nodes = Object.entries(OPERATION_NODES).map(([type, node]) => {
		const named = fillNames(template, type, node);
		return renderEditorHtml(type, named, operationNodePropertiesOf(type), { EDITOR_CATALOGUE: JSON.stringify(editorCatalogue(node.catalogue)) });
	});
	return [`<script type="text/javascript">\n${formScript.trim()}\n</script>`, ...nodes].join('\n\n');
}

/** The node set's help: each node's, from the catalogue (what it does, which writes are never sent twice, its operations). */
export function operationHelpHtml(template: string): string {
	return Object.entries(OPERATION_NODES)
		.map(([type, node]) => {
			const { catalogue } = node;
			const neverReplayed = catalogue.operations.filter((operation) => operation.replay === 'nonIdempotent').map((operation) => operation.action);
			return fillNames(template, type, node)
				.replace('VENDOR_SUMMARY', escape(catalogue.summary))
				.replace('NEVER_REPLAYED', neverReplayedHelp(neverReplayed))
				.replace('VENDOR_NOTES', (catalogue.notes ?? []).map((note) => `    <p>${escape(note)}</p>`).join('\n'))
				.replace('OPERATIONS_HELP', operationsHelp(catalogue));
		})
		.join('\n');
}

/** The node set's messages: the dialog's shared strings, and each node's status texts. */
export function operationMessages(shared: Record<string, unknown>): Record<string, unknown> {
	return { ...shared, ...Object.fromEntries(Object.keys(OPERATION_NODES).map((type) => [type, { status: { 'config-error': 'config error' } }])) };
}

function fillNames(template: string, type: string, node: OperationNode): string {
	return template
		.replaceAll('OPERATION_TYPE', type)
		.replaceAll('PALETTE_LABEL', node.paletteLabel)
		.replaceAll('NODE_ICON', node.icon)
		.replaceAll('VENDOR_NAME', node.catalogue.displayName)
		.replaceAll('VENDOR_ANCHOR', node.readmeAnchor);
}

function operationsHelp(catalogue: Catalogue): string {
	return catalogue.resources
		.map((resource) => {
			const operations = catalogue.operations.filter((operation) => operation.resource === resource.value);
			const items = operations.map((operation) => `            <dt>${escape(operation.name)}</dt><dd>${escape(operation.description)}</dd>`);
			return `    <h4>${escape(resource.name)}</h4>\n    <dl>\n${items.join('\n')}\n    </dl>`;
		})
		.join('\n');
}

/** "Start a case, execute a task and send a message are never sent twice blind: …" */
function neverReplayedHelp(actions: string[]): string {
	if (actions.length === 0) return 'Every write here may be repeated safely.';
	const lowered = actions.map((action, index) => (index === 0 ? action : action.charAt(0).toLowerCase() + action.slice(1)));
	const listed = lowered.length === 1 ? lowered[0] : `${lowered.slice(0, -1).join(', ')} and ${lowered[lowered.length - 1]}`;
	return `${escape(listed)} ${actions.length === 1 ? 'is' : 'are'} never sent twice blind: after a lost answer, an operation that can tell looks its result up (see each one below); the others fail with <code>mayHaveTakenEffect</code> and say how to check.`;
}

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
