const { src, dest, parallel } = require('gulp');

/** tsc compiles the code; these are the files that ship beside it. */
const icons = () => src('icons/*.svg').pipe(dest('dist/icons'));
const editor = () => src(['node-red/*.html', 'node-red/locales/**/*'], { base: 'node-red' }).pipe(dest('dist/node-red'));

exports.build = parallel(icons, editor);
