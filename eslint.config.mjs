import tseslint from 'typescript-eslint';
import { configs as n8nCommunity } from '@n8n/eslint-plugin-community-nodes';

const n8nRules = n8nCommunity.recommendedWithoutN8nCloudSupport;

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', '.runtimes/**', '.tmp/**', 'gulpfile.js'] },
	...tseslint.configs.recommended,
	{
		files: ['credentials/**/*.ts', 'nodes/**/*.ts'],
		...n8nRules,
		rules: {
			...n8nRules.rules,
			// The nodes share one engine (node:http, tough-cookie, form-data, oauth4webapi) with the Node-RED side: a
			// deliberate choice that keeps this an unverified community package; see README "n8n's scanner and lint".
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// Tests read JSON that real runtimes print (n8n run data, Node-RED replies): typing it fully buys nothing.
		files: ['test/**/*.ts'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},
	{
		rules: {
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
		},
	},
);
