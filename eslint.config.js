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

/**
 * `boundary/layers`, the product's layers top-down (README "Development"): a module imports only from
 * its own layer or the ones below it, statically, dynamically or in a re-export (type-only too).
 * A layer is a list of folders or files under src/; a file belongs to the layer of its most specific
 * entry (a file named in a lower layer is in that one, not its folder's).
 */
const LAYERS = [
  ['cli/main.ts'],
  ['commands/index.ts'], // the command table: loads audit and setup --inventory lazily
  ['inventory'], // setup --inventory runs each account's setup through commands/
  ['commands', 'cli/report-error.ts'], // the error document each command (and each inventory row) reports
  ['audit', 'export', 'undo'],
  ['validate'],
  ['journal'],
  ['steps', 'wizard', 'undo/send-recorded.ts'], // a recorded body sent back: undo's restores and the writes steps send
  ['posture/read.ts', 'posture/read-role-definition.ts'], // the one posture reader: the only part of posture/ that reads Azure
  ['plan', 'azure', 'io', 'journal/redact.ts'], // what a journal never keeps: pure, used by whatever sends or shows a recorded body
  ['posture'], // the model and the pure functions over it
  ['core'],
];
/** Known upward imports, each with the reason it stays (from → to, paths under src/). */
const LAYER_EXCEPTIONS = [
  // orUndefined/arm explain a failed read; the explanation table loads only when a call fails
  ['posture/not-found.ts', 'azure/remedies.ts'],
];
const SRC = resolve(root, 'src');

function layerOf(file) {
  const rel = relative(SRC, file).split('\\').join('/');
  if (rel.startsWith('..')) return undefined;
  let best;
  LAYERS.forEach((layer, index) => {
    for (const entry of layer) if ((rel === entry || rel.startsWith(`${entry}/`)) && (!best || entry.length > best.entry.length)) best = { index, entry };
  });
  return best && { index: best.index, rel };
}

const layerBoundary = {
  meta: {
    type: 'problem',
    messages: {
      upward: "'{{source}}' imports upward: src/{{to}} is in a layer above src/{{from}}; a module imports only its own layer and the ones below (eslint.config.js LAYERS, README \"Development\").",
    },
    schema: [],
  },
  create(context) {
    const file = resolve(context.filename);
    const from = layerOf(file);
    const check = (node) => {
      const source = node?.value;
      if (!from || typeof source !== 'string' || !source.startsWith('.')) return;
      const to = layerOf(resolve(dirname(file), source.replace(/\.js$/, '.ts')));
      if (!to || to.index >= from.index) return;
      if (LAYER_EXCEPTIONS.some(([f, t]) => f === from.rel && t === to.rel)) return;
      context.report({ node, messageId: 'upward', data: { source, from: from.rel, to: to.rel } });
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
    plugins: { boundary: { rules: { emulator: emulatorBoundary, layers: layerBoundary } } },
    rules: { 'boundary/emulator': 'error', 'boundary/layers': 'error' },
  },
  {
    files: ['bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
