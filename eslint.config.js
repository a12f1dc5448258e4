import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const root = dirname(fileURLToPath(import.meta.url));
const EMULATOR = resolve(root, 'packages/arm-emulator');
const PACKAGE = '@secure-docintel/arm-emulator';
/** What product code may import of the emulator package: its public face. */
const EMULATOR_PUBLIC = [PACKAGE, `${PACKAGE}/protocol`];

const inside = (dir, file) => !relative(dir, file).startsWith('..');

/**
 * `boundary/emulator`, the line between the two packages of this repository, statically,
 * dynamically or in a re-export:
 * - product code (src/**) imports nothing of the emulator but `@secure-docintel/arm-emulator` and
 *   `@secure-docintel/arm-emulator/protocol` (no deep package path, no relative path into packages/);
 * - the emulator (packages/arm-emulator/**) imports nothing outside its own package.
 */
const emulatorBoundary = {
  meta: {
    type: 'problem',
    messages: {
      internal: "'{{source}}' is inside the emulator: product code may import only '@secure-docintel/arm-emulator' and '@secure-docintel/arm-emulator/protocol' (add what the product needs to its protocol.ts).",
      outside: "'{{source}}' is outside the emulator package: packages/arm-emulator imports nothing of the product (the product may know the emulator, never the reverse).",
    },
    schema: [],
  },
  create(context) {
    const file = resolve(context.filename);
    const inEmulator = inside(EMULATOR, file);
    const check = (node) => {
      const source = node?.value;
      if (typeof source !== 'string') return;
      if (inEmulator) {
        const escapes = source.startsWith('.') && !inside(EMULATOR, resolve(dirname(file), source));
        if (escapes || source === 'secure-docintel' || source.startsWith('secure-docintel/')) context.report({ node, messageId: 'outside', data: { source } });
        return;
      }
      const deep = source.startsWith(`${PACKAGE}/`) && !EMULATOR_PUBLIC.includes(source);
      const relativeInto = source.startsWith('.') && inside(EMULATOR, resolve(dirname(file), source));
      if (deep || relativeInto) context.report({ node, messageId: 'internal', data: { source } });
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
  { ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'test/azure-specs/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['src/**/*.ts', 'packages/arm-emulator/src/**/*.ts'],
    plugins: { boundary: { rules: { emulator: emulatorBoundary } } },
    rules: { 'boundary/emulator': 'error' },
  },
  {
    files: ['bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
