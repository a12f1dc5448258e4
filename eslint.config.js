import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const EMULATOR = resolve(root, 'src/emulator');
/** The only emulator modules product code may import (the emulator's public face). */
const EMULATOR_PUBLIC = ['index', 'protocol'].map((m) => resolve(EMULATOR, m));

/**
 * `boundary/emulator`: product code (src/** outside src/emulator/) imports nothing of the emulator but
 * src/emulator/index.ts and src/emulator/protocol.ts — statically, dynamically or in a re-export.
 */
const emulatorBoundary = {
  meta: {
    type: 'problem',
    messages: {
      internal: "'{{source}}' is inside the emulator: product code may import only src/emulator/index.ts and src/emulator/protocol.ts (add what the product needs to protocol.ts).",
    },
    schema: [],
  },
  create(context) {
    const file = resolve(context.filename);
    if (!relative(EMULATOR, file).startsWith('..')) return {};
    const check = (node) => {
      const source = node?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source).replace(/\.(js|ts|mjs)$/, '');
      if (relative(EMULATOR, target).startsWith('..') || EMULATOR_PUBLIC.includes(target)) return;
      context.report({ node, messageId: 'internal', data: { source } });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/azure-specs/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { boundary: { rules: { emulator: emulatorBoundary } } },
    rules: { 'boundary/emulator': 'error' },
  },
  {
    files: ['bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
