/**
 * The Node-RED Flow Library's parse of a node's editor HTML, reproduced from its two copies (node-red/flow-library
 * lib/modules.js and node-red/node-red-dev-cli src/libs/checknodes.js, `getNodeDefinitions`): acorn reads each
 * `<script type="text/javascript">` block and finds `*.registerType('<type>', {…})` calls. The library keeps only
 * what it can read: a node whose HTML throws vanishes from its listing, its N01/N02 checks and its palette preview,
 * and a non-literal property is dropped with an error code nobody sees. Here every such case is a problem, named.
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

/** What the library records of one node type. */
export interface NodeDefinition {
	type: string;
	category?: unknown;
	color?: unknown;
	icon?: unknown;
	inputs?: unknown;
	outputs?: unknown;
	/** Property names of the inline `defaults` object. */
	defaults?: string[];
	/** Property names of the inline `credentials` object. */
	credentials?: string[];
}

export interface HtmlParse {
	definitions: NodeDefinition[];
	/** Empty when the library reads every node of the file completely. */
	problems: string[];
}

/** checknodes.js's pattern: a block without an explicit type="text/javascript" is not read by it. */
const SCRIPT_BLOCK = /<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi;
/** Kept only when written as a literal (else `<name>-not-inline`). */
const LITERAL_PROPERTIES = ['category', 'color', 'icon', 'inputs', 'outputs'] as const;
/** Kept only when written as an object literal (else `<name>-not-inline`). */
const INLINE_OBJECT_PROPERTIES = ['defaults', 'credentials'] as const;
const READ_PROPERTIES: readonly string[] = [...LITERAL_PROPERTIES, ...INLINE_OBJECT_PROPERTIES];
/** Without a category N02 cannot tell a config node; without defaults the library lists no properties. */
const REQUIRED_PROPERTIES = ['category', 'defaults'] as const;
/** A flow node's palette look and ports in the library's preview (config nodes, core's too, have none). */
const REQUIRED_FLOW_NODE_PROPERTIES = ['color', 'icon', 'inputs', 'outputs'] as const;

type ObjectMember = acorn.ObjectExpression['properties'][number];

/** A plain-name key, the only kind the library reads as written (it reads `member.key.name`). */
function keyName(member: ObjectMember): string | undefined {
	return member.type === 'Property' && !member.computed && member.key.type === 'Identifier' ? member.key.name : undefined;
}

/** A quoted key, which the library ignores (its `key.name` is undefined). */
function quotedName(member: ObjectMember): string | undefined {
	return member.type === 'Property' && member.key.type === 'Literal' && typeof member.key.value === 'string' ? member.key.value : undefined;
}

/** Problems of an inline `defaults`/`credentials` object's entries: the library keys them by `key.name`. */
function entryNames(type: string, name: string, object: acorn.ObjectExpression, source: string, problems: string[]): string[] {
	const names: string[] = [];
	for (const member of object.properties) {
		const key = keyName(member);
		if (key !== undefined) names.push(key);
		else if (member.type === 'SpreadElement') problems.push(`${type}: ${name} has a spread (${source.slice(member.start, member.end)}): the library's parser throws on it and drops the whole file`);
		else problems.push(`${type}: ${name} has a key that is not a plain name (${source.slice(member.start, member.end).split('\n')[0]}): the library records it as "undefined"`);
	}
	return names;
}

function readDefinition(call: acorn.CallExpression, source: string, problems: string[]): NodeDefinition | undefined {
	const [typeArgument, definitionArgument] = call.arguments;
	const where = source.slice(call.start, Math.min(call.end, call.start + 60)).split('\n')[0];
	if (typeArgument?.type !== 'Literal' || typeof typeArgument.value !== 'string') {
		problems.push(`${where}…: the node type is not a string literal (non-literal): the library does not list this node`);
		return undefined;
	}
	const type = typeArgument.value;
	if (definitionArgument?.type !== 'ObjectExpression') {
		problems.push(`${type}: the definition is not an object literal (non-objectexpression): the library does not list this node`);
		return undefined;
	}
	const definition: NodeDefinition = { type };
	for (const member of definitionArgument.properties) {
		if (member.type === 'SpreadElement') {
			problems.push(`${type}: the definition has a spread (${source.slice(member.start, member.end)}): the library's parser throws on it and drops the whole file`);
			continue;
		}
		const name = keyName(member);
		const quoted = quotedName(member);
		if (name === undefined) {
			if (quoted !== undefined && READ_PROPERTIES.includes(quoted)) problems.push(`${type}: "${quoted}" is a quoted key: the library reads only plain names and ignores it`);
			continue;
		}
		if ((LITERAL_PROPERTIES as readonly string[]).includes(name)) {
			if (member.value.type === 'Literal') definition[name as (typeof LITERAL_PROPERTIES)[number]] = member.value.value;
			else problems.push(`${type}: ${name} is not a literal (${name}-not-inline): the library drops it`);
		} else if ((INLINE_OBJECT_PROPERTIES as readonly string[]).includes(name)) {
			if (member.value.type === 'ObjectExpression') definition[name as (typeof INLINE_OBJECT_PROPERTIES)[number]] = entryNames(type, name, member.value, source, problems);
			else problems.push(`${type}: ${name} is not an object literal (${name}-not-inline): the library drops it`);
		}
	}
	const required = definition.category === 'config' ? REQUIRED_PROPERTIES : [...REQUIRED_PROPERTIES, ...REQUIRED_FLOW_NODE_PROPERTIES];
	for (const name of required) if (definition[name] === undefined) problems.push(`${type}: has no ${name} the library can read`);
	return definition;
}

export function parseNodeHtml(html: string): HtmlParse {
	const blocks = [...html.matchAll(SCRIPT_BLOCK)].map((match) => match[1]);
	if (blocks.length === 0) return { definitions: [], problems: ['no <script type="text/javascript"> block: the library reads no other kind (No <script> sections found)'] };
	const definitions: NodeDefinition[] = [];
	const problems: string[] = [];
	for (const block of blocks) {
		let program: acorn.Program;
		try {
			program = acorn.parse(block, { ecmaVersion: 'latest' });
		} catch (error) {
			problems.push(`a script block is not JavaScript acorn can parse (${(error as Error).message}): the library drops the whole file`);
			continue;
		}
		walk.simple(program, {
			CallExpression(call) {
				const callee = call.callee;
				if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'registerType') return;
				const definition = readDefinition(call, block, problems);
				if (definition) definitions.push(definition);
			},
		});
	}
	if (definitions.length === 0 && problems.length === 0) problems.push('no registerType call in any script block (No type definitions found)');
	return { definitions, problems };
}
