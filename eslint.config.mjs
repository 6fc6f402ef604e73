// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';
import globals from 'globals';

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
  {
    // Deciders and occurrence arithmetic stay pure: no framework, database or Node I/O in them.
    files: ['backend/src/tasks/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
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
        },
      ],
    },
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
