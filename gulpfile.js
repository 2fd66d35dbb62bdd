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

/** A template of node-red/editor/, and a file written into dist/node-red/. */
const readTemplate = (name) => fs.readFileSync(path.join('node-red/editor', name), 'utf8');
const writeBuilt = (name, text) => {
	fs.mkdirSync(path.dirname(path.join('dist/node-red', name)), { recursive: true });
	fs.writeFileSync(path.join('dist/node-red', name), text);
};

/**
 * The operation nodes' set (bpm-operations): its editor HTML, help and messages rendered for each vendor from one
 * template each (node-red/editor/) and the vendor's catalogue.
 */
const operationNodes = async () => {
	const { operationEditorsHtml, operationHelpHtml, operationMessages } = require('./dist/node-red/operations/operation-nodes');
	writeBuilt('bpm-operations.html', operationEditorsHtml(readTemplate('operation-node.html'), readTemplate('operation-form.js')));
	writeBuilt('locales/en-US/bpm-operations.html', operationHelpHtml(readTemplate('operation-node-help.html')));
	writeBuilt('locales/en-US/bpm-operations.json', `${JSON.stringify(operationMessages(JSON.parse(readTemplate('operation-node.json'))), null, 4)}\n`);
};

/** The watch nodes' set (bpm-triggers): the same, from its templates and each catalogue's events. */
const watchNodes = async () => {
	const { watchEditorsHtml, watchHelpHtml, watchMessages } = require('./dist/node-red/triggers/watch-nodes');
	writeBuilt('bpm-triggers.html', watchEditorsHtml(readTemplate('watch-node.html'), readTemplate('operation-form.js')));
	writeBuilt('locales/en-US/bpm-triggers.html', watchHelpHtml(readTemplate('watch-node-help.html')));
	writeBuilt('locales/en-US/bpm-triggers.json', `${JSON.stringify(watchMessages(JSON.parse(readTemplate('watch-node.json')), JSON.parse(readTemplate('operation-node.json'))), null, 4)}\n`);
};

exports.build = parallel(icons, codex, locales, editor, operationNodes, watchNodes);
