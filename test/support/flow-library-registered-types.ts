/**
 * The node types a Node-RED node module registers with the runtime, read by loading the module with a RED that
 * records each `RED.nodes.registerType(type, …)`. A running Node-RED cannot tell them apart: its registry merges
 * them with the types named by the editor HTML's templates. Anything else the module uses while loading gets an
 * inert stand-in, since only the registrations are read.
 */
import { createRequire } from 'node:module';

type NodeModule = (RED: unknown) => unknown;

function inert(): unknown {
	// 'then' stays undefined so that an awaited stand-in is not taken for a promise.
	return new Proxy(function () {}, { get: (_target, key) => (key === 'then' || typeof key === 'symbol' ? undefined : inert()), apply: () => inert() });
}

function withInertRest<T extends object>(known: T): T {
	return new Proxy(known, { get: (target, key) => (key in target ? target[key as keyof T] : key === 'then' || typeof key === 'symbol' ? undefined : inert()) });
}

export async function registeredTypes(jsFile: string): Promise<string[]> {
	const types: string[] = [];
	const RED = withInertRest({ nodes: withInertRest({ registerType: (type: string) => void types.push(type) }) });
	const loaded = createRequire(__filename)(jsFile) as NodeModule | { default: NodeModule };
	// Node-RED awaits a module function that returns a promise.
	await (typeof loaded === 'function' ? loaded : loaded.default)(RED);
	return types;
}
