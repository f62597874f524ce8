// ESLint for the whole repository (`npm run lint`, run first by `npm test`).
// Type-aware rules come from typescript-eslint; import-x checks cycles and the layer boundaries below;
// eslint-config-prettier comes last so no rule fights the formatter (`npm run format:check`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { readdirSync } from 'node:fs';

// The Lambda function directories: code that only its own bundle (and the local gateway) runs.
// Every other directory of lambdas/ is one function's own code, so a new function is covered without editing this.
const SHARED_LAYERS = ['core', 'gateway', 'runtime', 'store'];
const FUNCTION_DIRS = readdirSync(new URL('./lambdas/', import.meta.url), { withFileTypes: true })
  .filter((e) => e.isDirectory() && !SHARED_LAYERS.includes(e.name))
  .map((e) => e.name);

// npm packages lambdas/core may import: none of them brings AWS types, so core stays testable and
// reusable without an AWS account (node: built-ins are allowed too). Anything else is refused.
const CORE_PACKAGES = ['jose', 'graphql', 'graphql-query-complexity', 'canonicalize', 'zod', 'valibot'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Matches every import source that is none of: a relative path, a node: built-in, an allowed package.
const CORE_IMPORT_REFUSED = `^(?!\\.{1,2}/|node:|(?:${CORE_PACKAGES.map(escape).join('|')})(?:/|$))`;

export default tseslint.config(
  {
    ignores: ['node_modules/', 'cdk.out/', 'coverage/', '.data/', '.test-output/', 'cdk-outputs/', '**/*.generated.ts', 'docs/'],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // One TypeScript program per tsconfig (the root one, and portal/tsconfig.json for the browser code).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      // How import-x reads the files it follows (no-cycle parses every module on a path).
      'import-x/extensions': ['.ts', '.js', '.cjs', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'portal/tsconfig.json'],
          alwaysTryTypes: true,
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // Handlers and the test fakes implement Promise-returning interfaces; an async function without an await
      // is deliberate there (a throw becomes a rejection, as callers expect), so this rule is only noise.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a deliberately unused binding (an omitted key in a rest destructure, a
      // parameter an interface imposes); tsc's noUnusedLocals already catches the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // No import cycles: a cycle makes module initialisation order matter and blurs which layer owns a rule.
      // It skips `import type`; test/architecture/import-cycles.test.ts refuses type-only cycles too.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './lambdas/core',
              from: './lambdas',
              except: ['./core'],
              message: 'lambdas/core holds the pure rules: it imports only lambdas/core.',
            },
            {
              target: './lambdas',
              from: ['./lib', './local', './cli', './bench', './scripts', './bin', './test', './portal', './examples'],
              message: 'Lambda code is bundled alone: it may not import the stack, the local gateway, the CLI or tooling.',
            },
            {
              target: './lambdas/gateway',
              from: './lambdas',
              except: ['./gateway', './core'],
              message: 'lambdas/gateway (route table, settings, OpenAPI) is read by the stack: it imports only gateway and core.',
            },
            {
              target: './lambdas/store',
              from: './lambdas',
              except: ['./store', './core'],
              message: 'lambdas/store is the data layer: it imports only store and core (runtime wires it to the handlers).',
            },
            {
              target: './lambdas/runtime',
              from: FUNCTION_DIRS.map((d) => `./lambdas/${d}`),
              message: 'lambdas/runtime is shared by every function: it imports no function’s own code.',
            },
            ...FUNCTION_DIRS.map((d) => ({
              target: `./lambdas/${d}`,
              from: FUNCTION_DIRS.filter((other) => other !== d).map((other) => `./lambdas/${other}`),
              message: 'A function’s own code is its bundle’s alone: what two functions share lives in core, store or runtime.',
            })),
            {
              target: './lib',
              from: FUNCTION_DIRS.map((d) => `./lambdas/${d}`),
              message: 'The stack reads the route table and shared settings, never a function’s handler code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lambdas/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: CORE_IMPORT_REFUSED,
              message: `lambdas/core imports only lambdas/core, node: built-ins and ${CORE_PACKAGES.join(', ')} (no AWS types).`,
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read answers as parsed JSON (`any`) and pin them with expect(); typing every fixture would add casts,
    // not safety. Production code keeps the no-unsafe-* rules.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (CLI shim, build scripts, the bundle runner): not in a tsconfig, so no type-aware rules.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs', 'cli/bin.js', 'babel.config.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['portal/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  prettier,
);
