import { bonita, bonitaCatalogue, type Catalogue } from '../../core';
import { editorCatalogue } from './editor-catalogue';
import { operationNodeProperties } from './operation-node-properties';

/** The vendor operation nodes: their type, catalogue and config node type. */
export const OPERATION_NODES: Record<string, { catalogue: Catalogue; configType: string }> = {
	'bpm-bonita-operation': { catalogue: bonitaCatalogue, configType: bonita.nodeRedConfig },
};

export function operationNodePropertiesOf(type: string) {
	const node = OPERATION_NODES[type];
	return operationNodeProperties(node.catalogue, node.configType);
}

/** What the build writes into an operation node's editor HTML besides its defaults: the form script and the catalogue. */
export function operationEditorPlaceholders(type: string, formScript: string): Record<string, string> {
	const node = OPERATION_NODES[type];
	return node ? { EDITOR_OPERATION_FORM: formScript.trim(), EDITOR_CATALOGUE: JSON.stringify(editorCatalogue(node.catalogue)) } : {};
}

/** The help's list of operations, from the catalogue: each resource, its operations and what they do. */
export function operationsHelp(type: string): string | undefined {
	const node = OPERATION_NODES[type];
	if (!node) return undefined;
	const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const resources = node.catalogue.resources.map((resource) => {
		const operations = node.catalogue.operations.filter((operation) => operation.resource === resource.value);
		const items = operations.map((operation) => `            <dt>${escape(operation.name)}</dt><dd>${escape(operation.description)}</dd>`);
		return `    <h4>${escape(resource.name)}</h4>\n    <dl>\n${items.join('\n')}\n    </dl>`;
	});
	return resources.join('\n');
}
