const fs = require('node:fs');
const path = require('node:path');
const { Transform } = require('node:stream');
const { src, dest, parallel } = require('gulp');

/** tsc compiles the code; these are the files that ship beside it. */
const icons = () => src('icons/*.svg').pipe(dest('dist/icons'));
/** n8n's codex beside each node (categories, search aliases, documentation links): n8n reads `<Node>.node.json` next to the `.node.js`. */
const codex = () => src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
/** An operation node's help lists its operations from the catalogue (OPERATIONS_HELP). */
const locales = () => {
	const { operationsHelp } = require('./dist/node-red/operations/operation-nodes');
	const render = new Transform({
		objectMode: true,
		transform(file, _encoding, callback) {
			const help = file.path.endsWith('.html') ? operationsHelp(path.basename(file.path, '.html')) : undefined;
			if (help !== undefined) file.contents = Buffer.from(file.contents.toString('utf8').replace('OPERATIONS_HELP', help));
			callback(null, file);
		},
	});
	return src('node-red/locales/**/*', { base: 'node-red' }).pipe(render).pipe(dest('dist/node-red'));
};

/** Each editor HTML gets its defaults and credentials from the table its runtime reads (node-red/properties/). */
const editor = () => {
	const { NODE_PROPERTIES } = require('./dist/node-red/properties');
	const { renderEditorHtml } = require('./dist/node-red/render-editor-properties');
	const { operationEditorPlaceholders } = require('./dist/node-red/operations/operation-nodes');
	const operationForm = fs.readFileSync('node-red/editor/operation-form.js', 'utf8');
	const render = new Transform({
		objectMode: true,
		transform(file, _encoding, callback) {
			const type = path.basename(file.path, '.html');
			const properties = NODE_PROPERTIES[type];
			if (!properties) return callback(new Error(`node-red/${type}.html: no properties for ${type} in node-red/properties/index.ts`));
			try {
				file.contents = Buffer.from(renderEditorHtml(type, file.contents.toString('utf8'), properties, operationEditorPlaceholders(type, operationForm)));
			} catch (error) {
				return callback(new Error(`node-red/${type}.html: ${error.message}`));
			}
			callback(null, file);
		},
	});
	return src('node-red/*.html', { base: 'node-red' }).pipe(render).pipe(dest('dist/node-red'));
};

exports.build = parallel(icons, codex, locales, editor);
