// ESLint flat config: the recommended JavaScript and typescript-eslint rules, plus the house
// rules that keep the tree's architecture (docs/STYLE.md). Prettier does the formatting.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'models/', 'native/', 'helm/', 'deploy/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    // A readiness poll swallows the refused connection on purpose.
    rules: {
      'no-empty': ['error', { allowEmptyCatch: true }],
      // A leading underscore marks a value left out on purpose (`const { a: _a, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  { files: ['public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Prettier wraps code at 120 columns; this catches the strings and comments it cannot wrap.
      'max-len': ['error', { code: 120 }],
    },
  },
  {
    // Only the app registers the Fastify plugins; the services they wrap never reach up into them.
    files: ['src/**/*.ts'],
    ignores: ['src/app.ts', 'src/plugins/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/plugins/*'], message: 'src/plugins wraps services; services do not import plugins.' },
          ],
        },
      ],
    },
  },
);
