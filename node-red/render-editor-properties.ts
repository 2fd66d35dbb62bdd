import type { NodeProperties, PropertyDefault, Validation } from './node-properties';

/**
 * Renders a node's properties into its editor HTML at build time (gulpfile.js): the template names the places
 * with EDITOR_DEFAULTS and EDITOR_CREDENTIALS, and the result holds the inline object literals that Node-RED
 * and the Flow Library's parser read. A template without a placeholder its table needs fails the build.
 */
export function renderEditorHtml(type: string, template: string, properties: NodeProperties, placeholders: Record<string, string> = {}): string {
	let html = fill(fill(template, 'EDITOR_DEFAULTS', literal(properties.defaults, renderDefault)), 'EDITOR_CREDENTIALS', properties.credentials && literal(properties.credentials, (c) => plain(c)));
	for (const [placeholder, value] of Object.entries(placeholders)) html = fill(html, placeholder, value);
	return `${html.trimEnd()}\n\n${fillMissingProperties(type)}`;
}

function fill(template: string, placeholder: string, value: string | undefined): string {
	const count = template.split(placeholder).length - 1;
	if (value === undefined) {
		if (count) throw new Error(`${placeholder} has no table to render`);
		return template;
	}
	if (count !== 1) throw new Error(`the template must name ${placeholder} once, not ${count} times`);
	return template.replace(placeholder, value);
}

const INDENT = '            ';

function literal<T>(entries: Record<string, T>, render: (entry: T) => string): string {
	const lines = Object.entries(entries).map(([name, entry]) => `${INDENT}${key(name)}: ${render(entry)}`);
	return `{\n${lines.join(',\n')}\n${INDENT.slice(4)}}`;
}

function renderDefault({ validate, ...rest }: PropertyDefault): string {
	const fields = plain(rest).slice(2, -2);
	return validate === undefined ? `{ ${fields} }` : `{ ${fields}, validate: ${validation(validate)} }`;
}

function plain(entry: object): string {
	return `{ ${Object.entries(entry).map(([name, value]) => `${key(name)}: ${js(value)}`).join(', ')} }`;
}

function validation(rule: Validation): string {
	if (rule === 'number') return 'RED.validators.number()';
	if (rule instanceof RegExp) return `RED.validators.regex(${rule.toString()})`;
	const blank = rule.blankAllowed ? "text === '' || " : '';
	return `function (v) { var text = String(v === undefined || v === null ? '' : v).trim(); return ${blank}(/^\\d+$/.test(text) && Number(text) >= ${rule.integerFrom} && Number(text) <= ${rule.to}); }`;
}

/**
 * Node-RED shows a property a flow leaves out (an import, an older version, a hand-written example) as blank or
 * unchecked, and saves what it shows. Giving such a node its defaults when it enters the editor makes the dialog
 * show what the runtime does (node-properties.ts fills the same values), so opening it and pressing Done changes
 * nothing.
 */
function fillMissingProperties(type: string): string {
	return `<script type="text/javascript">
    RED.events.on('nodes:add', function (node) {
        if (node.type !== ${js(type)}) {
            return;
        }
        var defaults = node._def.defaults;
        for (var name in defaults) {
            if (node[name] === undefined && defaults[name].value !== undefined) {
                node[name] = JSON.parse(JSON.stringify(defaults[name].value));
            }
        }
    });
</script>
`;
}

function key(name: string): string {
	return /^[A-Za-z_$][\w$]*$/.test(name) ? name : js(name);
}

function js(value: unknown): string {
	return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}
