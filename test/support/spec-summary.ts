/**
 * Totals of live spec validation over one `vitest run`: `npx tsx test/support/spec-summary.ts [run-file]`
 * (default: the newest run file). Prints exchanges, validated, unvalidated and every distinct error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SPEC_VALIDATION_DIR, type ConformanceSummary } from './spec-conformance.js';

const file = process.argv[2] ?? newestRunFile();
const records = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as ConformanceSummary);
const unvalidated = new Map<string, number>();
const errors = new Map<string, Set<string>>();
let exchanges = 0;
let validated = 0;
for (const r of records) {
  exchanges += r.exchanges;
  validated += r.validated;
  for (const [k, n] of Object.entries(r.unvalidated)) unvalidated.set(k, (unvalidated.get(k) ?? 0) + n);
  for (const e of r.errors) {
    const key = e.replace(/^\S+ \S+ → \d+: /, '').replace(/\/\d+(?=[/:])/g, '/*');
    if (!errors.has(key)) errors.set(key, new Set());
    errors.get(key)!.add(r.testFile);
  }
}
console.log(`run file: ${file}`);
console.log(`emulators: ${records.length}, ARM exchanges: ${exchanges}, validated against the specs: ${validated}, unvalidated: ${exchanges - validated}`);
for (const [k, n] of [...unvalidated].sort((a, b) => b[1] - a[1])) console.log(`  unvalidated ${n}× ${k}`);
console.log(`distinct spec violations: ${errors.size}`);
for (const [e, files] of errors) console.log(`  ${e}\n    in ${[...files].map((f) => f.replace(/^.*\/test\//, 'test/')).join(', ')}`);

function newestRunFile(): string {
  const files = readdirSync(SPEC_VALIDATION_DIR).filter((f) => f.endsWith('.jsonl')).map((f) => join(SPEC_VALIDATION_DIR, f));
  if (!files.length) throw new Error(`no run files in ${SPEC_VALIDATION_DIR}: run the tests first`);
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}
