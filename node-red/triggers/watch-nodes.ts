import { baw, bawCatalogue, bonita, bonitaCatalogue, simplicite, simpliciteCatalogue, type Catalogue } from '../../core';
import { renderEditorHtml } from '../render-editor-properties';
import { editorCatalogue } from '../operations/editor-catalogue';
import { watchNodeProperties } from './watch-node-properties';

export interface WatchNode {
	catalogue: Catalogue;
	configType: string;
	paletteLabel: string;
	icon: string;
}

/** The vendor watch nodes, one node set (bpm-triggers): each the events of a catalogue, on the same runtime, dialog and help. */
export const WATCH_NODES: Record<string, WatchNode> = {
	'bpm-bonita-watch': { catalogue: bonitaCatalogue, configType: bonita.nodeRedConfig, paletteLabel: 'bonita watch', icon: 'font-awesome/fa-bell' },
	'bpm-baw-watch': { catalogue: bawCatalogue, configType: baw.nodeRedConfig, paletteLabel: 'ibm baw watch', icon: 'font-awesome/fa-bell' },
	'bpm-simplicite-watch': { catalogue: simpliciteCatalogue, configType: simplicite.nodeRedConfig, paletteLabel: 'simplicite watch', icon: 'font-awesome/fa-bell' },
};

export function watchNodePropertiesOf(type: string) {
	const node = WATCH_NODES[type];
	return watchNodeProperties(node.catalogue, node.configType);
}

/** The catalogue as the operation form draws it: the resources that have events, each event an entry of its resource. */
export function eventsCatalogue(catalogue: Catalogue): Catalogue {
	const events = catalogue.triggers ?? [];
	return { ...catalogue, resources: catalogue.resources.filter((resource) => events.some((event) => event.list.resource === resource.value)), operations: events.map((event) => event.list) };
}

/** The node set's editor HTML: the operation form's script once (it draws the filters), then each watch node. */
export function watchEditorsHtml(template: string, formScript: string): string {
	const nodes = Object.entries(WATCH_NODES).map(([type, node]) => {
		const claims = (node.catalogue.triggers ?? []).filter((event) => event.claim).map((event) => event.list.operation);
		return renderEditorHtml(type, fillNames(template, type, node), watchNodePropertiesOf(type), { EDITOR_CATALOGUE: JSON.stringify(editorCatalogue(eventsCatalogue(node.catalogue))), CLAIM_EVENTS: JSON.stringify(claims) });
	});
	return [`<script type="text/javascript">\n${formScript.trim()}\n</script>`, ...nodes].join('\n\n');
}

/** Each watch node's help: its events, from the catalogue. */
export function watchHelpHtml(template: string): string {
	return Object.entries(WATCH_NODES)
		.map(([type, node]) => {
			const events = node.catalogue.triggers ?? [];
			const items = events.map((event) => `        <dt>${escape(event.list.name)}${event.claim ? ' (claim mode)' : ''}</dt><dd>${escape(event.list.description)}</dd>`);
			return fillNames(template, type, node).replace('EVENTS_HELP', `    <dl>\n${items.join('\n')}\n    </dl>`);
		})
		.join('\n');
}

/** The node set's messages: its own, the operation form's (the watch dialog draws its filters with it), and each node's status texts. */
export function watchMessages(shared: Record<string, unknown>, operationForm: Record<string, unknown>): Record<string, unknown> {
	return { ...operationForm, ...shared, ...Object.fromEntries(Object.keys(WATCH_NODES).map((type) => [type, { status: { 'config-error': 'config error' } }])) };
}

function fillNames(template: string, type: string, node: WatchNode): string {
	return template.replaceAll('WATCH_TYPE', type).replaceAll('PALETTE_LABEL', node.paletteLabel).replaceAll('NODE_ICON', node.icon).replaceAll('VENDOR_NAME', node.catalogue.displayName);
}

function escape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
