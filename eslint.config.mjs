// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import globals from 'globals';

const TEST_FILES = ['**/*.spec.ts', '**/*.contract.ts', '**/test/**'];

/** Only the read model's index (backend/src/projections/index.ts), never its insides. */
const READ_MODEL_FACE = {
  regex: '(^|/)projections/',
  message: 'Import the read model from its public face, backend/src/projections (index.ts).',
};

/** The task slices beside the domain (a layer below them may import the domain and the stream fold). */
const taskSlicesBut = (...allowed) =>
  `(^|/)tasks/(?!domain/|task-stream-fold$${allowed.map((a) => `|${a}$`).join('')})`;

const PROJECTIONS = 'Projections depend on the event store and the domain only.';
const WORKERS =
  'Workers use the domain and the one command path (tasks/decide-and-append), not the API slices.';
const EDGE = 'The HTTP edge maps the domain; features import it, not the other way round.';

/** no-restricted-imports with these patterns (strings or groups). */
function restrictImports(...patterns) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: patterns.flatMap((p) => (Array.isArray(p) ? [{ group: p }] : [p])) },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.angular/**', '**/*.js', '**/*.mjs'] },
  {
    // TypeScript everywhere (server, projections, scripts, contracts, GUI). Scoped to .ts so that the
    // type-aware rules never run on Angular templates (*.html, and the inline templates extracted below).
    // The project service takes each file's nearest tsconfig.json; for the GUI that is
    // frontend/tsconfig.json, whose references send app files to tsconfig.app.json and specs to
    // tsconfig.spec.json (vitest globals).
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['frontend/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The GUI: Angular rules, browser globals, and inline templates linted as templates.
    files: ['frontend/**/*.ts'],
    extends: [...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@angular-eslint/component-selector': [
        'error',
        { type: 'element', prefix: 'app', style: 'kebab-case' },
      ],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'app', style: 'camelCase' },
      ],
      // Angular's validators are static functions meant to be passed unbound (Validators.required); a
      // wrapper would break Material's required marker, which looks them up by identity (hasValidator).
      '@typescript-eslint/unbound-method': ['error', { ignoreStatic: true }],
      // HttpClient fails with HttpErrorResponse (Error-shaped, but not an Error subclass); rethrowing it
      // as-is keeps the status and problem+json body for the callers' error handling.
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'package', package: '@angular/common', name: 'HttpErrorResponse' }] },
      ],
      // The GUI reaches the server only over HTTP/WebSocket; the one shared source is the generated
      // contract in contracts/ (the generated api.ts, limits.ts). Nothing from backend/ or projections/.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/backend',
                '**/backend/**',
                '@kairos/backend*',
                '**/projections',
                '**/projections/**',
                '@kairos/projections*',
              ],
              message: 'The GUI must not import server code; use the shared contract in contracts/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['frontend/**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  // The server's boundaries (docs/architecture.md, "Folders"): what each folder may import. Tests and
  // their helpers may reach anywhere. A later block's list replaces an earlier one's for the same file,
  // so each list is whole.
  {
    files: ['backend/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictImports(READ_MODEL_FACE),
  },
  {
    // Deciders and occurrence arithmetic stay pure: no framework, database or Node I/O, nothing of the
    // server outside the domain but the shared contract's plain data.
    files: ['backend/src/tasks/domain/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictImports(
      [
        '@nestjs/*',
        'pg',
        'node:*',
        'fs',
        'net',
        'http',
        'https',
        'crypto',
        '@eventstore/*',
        'redis',
        'ioredis',
      ],
      {
        regex: String.raw`^\.\./(?!\.\./\.\./\.\./contracts/)`,
        message: 'The domain imports only itself and contracts/.',
      },
    ),
  },
  {
    // Calendars' decider and exclusion arithmetic are pure too; they reuse the task domain's zone and
    // cron arithmetic (so a calendar reads a zone and an expression as a task's schedule does).
    files: ['backend/src/calendars/domain/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictImports(
      [
        '@nestjs/*',
        'pg',
        'node:*',
        'fs',
        'net',
        'http',
        'https',
        'crypto',
        '@eventstore/*',
        'redis',
        'ioredis',
      ],
      {
        regex: String.raw`^\.\./(?!\.\./tasks/domain/|\.\./\.\./\.\./contracts/)`,
        message: 'The calendar domain imports only itself, the task domain and contracts/.',
      },
    ),
  },
  {
    // The read model follows the log: it knows events and the domain, never the routes or the workers.
    files: ['backend/src/projections/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictImports(
      {
        group: ['**/api/**', '**/api', '**/task-queries/**', '**/workers/**', '**/live/**'],
        message: PROJECTIONS,
      },
      { regex: taskSlicesBut(), message: PROJECTIONS },
    ),
  },
  {
    // Workers decide through the one command path (tasks/decide-and-append) on the domain, not the API's.
    files: ['backend/src/workers/**/*.ts'],
    ignores: [...TEST_FILES, 'backend/src/workers/list-workers/**'],
    rules: restrictImports(
      READ_MODEL_FACE,
      { group: ['**/task-queries/**', '**/live/**'], message: WORKERS },
      { regex: taskSlicesBut('decide-and-append'), message: WORKERS },
    ),
  },
  {
    // The HTTP edge's shared parts know the domain's errors and rules, no feature.
    files: ['backend/src/api/**/*.ts'],
    ignores: TEST_FILES,
    rules: restrictImports(
      { group: ['**/task-queries/**', '**/workers/**', '**/live/**', '**/projections/**'], message: EDGE },
      { regex: taskSlicesBut(), message: EDGE },
    ),
  },
  {
    // The shared contract is plain data and generated types: it imports nothing.
    files: ['contracts/**/*.ts'],
    rules: restrictImports({ group: ['*', '**'], message: 'contracts/ stands alone.' }),
  },
  {
    files: ['**/*.spec.ts', 'backend/test/**/*.ts', 'backend/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
