import type { NodeProperties } from '../node-properties';
import { bpmAuthProperties } from './bpm-auth';
import { bpmOAuth2TokenProperties } from './bpm-oauth2-token';
import { bpmRequestProperties } from './bpm-request';
import { OPERATION_NODES, operationNodePropertiesOf } from '../operations/operation-nodes';
import { WATCH_NODES, watchNodePropertiesOf } from '../triggers/watch-nodes';
import { bpmBawProperties, bpmBonitaProperties, bpmFunnelbackProperties, bpmSimpliciteProperties } from './vendor-servers';

/** Every node type's properties, by type: the build renders each into the editor HTML of the same name. */
export const NODE_PROPERTIES: Record<string, NodeProperties> = {
	'bpm-bonita': bpmBonitaProperties,
	'bpm-baw': bpmBawProperties,
	'bpm-simplicite': bpmSimpliciteProperties,
	'bpm-funnelback': bpmFunnelbackProperties,
	'bpm-auth': bpmAuthProperties,
	'bpm-oauth2-token': bpmOAuth2TokenProperties,
	'bpm-request': bpmRequestProperties,
	...Object.fromEntries(Object.keys(OPERATION_NODES).map((type) => [type, operationNodePropertiesOf(type)])),
	...Object.fromEntries(Object.keys(WATCH_NODES).map((type) => [type, watchNodePropertiesOf(type)])),
};
