const fs = require('node:fs');
const path = require('node:path');
const { Transform } = require('node:stream');
const { src, dest, parallel } = require('gulp');

/** tsc compiles the code; these are the files that ship beside it. */
const icons = () => src('icons/*.svg').pipe(dest('dist/icons'));
/** n8n's codex beside each node (categories, search aliases, documentation links): n8n reads `<Node>.node.json` next to the `.node.js`. */
const codex = () => src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
const locales = () => src('node-red/locales/**/*', { base: 'node-red' }).pipe(dest('dist/node-red'));

/** Each editor HTML gets its defaults and credentials from the table its runtime reads (node-red/properties/). */
const editor = () => {
	const { NODE_PROPERTIES } = require('./dist/node-red/properties');
	const { renderEditorHtml } = require('./dist/node-red/render-editor-properties');
	const render = new Transform({
		objectMode: true,
		transform(file, _encoding, callback) {
			const type = path.basename(file.path, '.html');
			const properties = NODE_PROPERTIES[type];
			if (!properties) return callback(new Error(`node-red/${type}.html: no properties for ${type} in node-red/properties/index.ts`));
			try {
				file.contents = Buffer.from(renderEditorHtml(type, file.contents.toString('utf8'), properties));
			} catch (error) {
				return callback(new Error(`node-red/${type}.html: ${error.message}`));
			}
			callback(null, file);
		},
	});
	return src('node-red/*.html', { base: 'node-red' }).pipe(render).pipe(dest('dist/node-red'));
};

/**
 * The operation nodes' set (bpm-operations): its editor HTML, help and messages rendered for each vendor from one
 * template each (node-red/editor/) and the vendor's catalogue.
 */
const operationNodes = async () => {
	const { operationEditorsHtml, operationHelpHtml, operationMessages } = require('./dist/node-red/operations/operation-nodes');
	const read = (name) => fs.readFileSync(path.join('node-red/editor', name), 'utf8');
	const write = (name, text) => {
		fs.mkdirSync(path.dirname(path.join('dist/node-red', name)), { recursive: true });
		fs.writeFileSync(path.join('dist/node-red', name), text);
	};
	write('bpm-operations.html', operationEditorsHtml(read('operation-node.html'), read('operation-form.js')));
	write('locales/en-US/bpm-operations.html', operationHelpHtml(read('operation-node-help.html')));
	write('locales/en-US/bpm-operations.json', `${JSON.stringify(operationMessages(JSON.parse(read('operation-node.json'))), null, 4)}\n`);
};

exports.build = parallel(icons, codex, locales, editor, operationNodes);
