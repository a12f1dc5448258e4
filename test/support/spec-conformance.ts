/**
 * Live spec validation of the ARM exchanges a test file makes against the emulator.
 *
 * SPEC_VALIDATION=strict (the default) fails the test file when a response (or an accepted
 * request) breaks the spec; `report` only prints; `off` skips validation. Every run appends one
 * JSON line per emulator to `<tmpdir>/secure-docintel-spec-validation/run-<vitest pid>.jsonl`;
 * `npx tsx test/support/spec-summary.ts` totals the latest run.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ArmExchange } from '../../packages/arm-emulator/src/index.js';
import { specCatalog } from './spec-validator.js';

export type SpecValidationMode = 'strict' | 'report' | 'off';

export const SPEC_VALIDATION_DIR = join(tmpdir(), 'secure-docintel-spec-validation');

export function specValidationMode(): SpecValidationMode {
  const v = (process.env.SPEC_VALIDATION ?? 'strict').toLowerCase();
  return v === 'report' || v === 'off' ? v : 'strict';
}

export interface ConformanceSummary {
  testFile: string;
  exchanges: number;
  validated: number;
  /** "METHOD template" → count, for polls and operations the vendored specs do not describe */
  unvalidated: Record<string, number>;
  errors: string[];
}

export class ExchangeConformance {
  private exchanges = 0;
  private validated = 0;
  private unvalidated: Record<string, number> = {};
  private errors: string[] = [];

  constructor(private readonly testFile: string) {}

  record(x: ArmExchange): void {
    this.exchanges++;
    if (x.kind === 'poll') return this.skip('poll (operation status)');
    // The deployments spec (Microsoft.Resources 2021-04-01, 230 KB) is not vendored; the generic resource
    // operations of resources.json would match these paths and misjudge them.
    if (/\/providers\/Microsoft\.Resources\/deployments(\/|$)/i.test(x.path)) return this.skip(`${x.method} Microsoft.Resources/deployments (spec not vendored)`);
    const verdict = specCatalog().validate(x);
    if (!verdict.operation) return this.skip(`${x.method} ${shapeOf(x.path)}`);
    this.validated++;
    // A request the spec calls invalid is only the emulator's fault when it accepted it.
    const relevant = verdict.errors.filter((e) => x.status < 400 || !e.includes(': request '));
    for (const e of relevant) this.errors.push(`${x.method} ${x.path} → ${x.status}: ${e}`);
  }

  summary(): ConformanceSummary {
    return { testFile: this.testFile, exchanges: this.exchanges, validated: this.validated, unvalidated: this.unvalidated, errors: [...this.errors] };
  }

  /** Writes the run record and, in strict mode, throws when any exchange broke the spec. */
  finish(mode: SpecValidationMode): void {
    const s = this.summary();
    mkdirSync(SPEC_VALIDATION_DIR, { recursive: true });
    appendFileSync(join(SPEC_VALIDATION_DIR, `run-${process.ppid}.jsonl`), JSON.stringify({ at: new Date().toISOString(), pid: process.pid, ...s }) + '\n');
    if (!s.errors.length) return;
    const text = `${s.errors.length} ARM exchange(s) in ${s.testFile} break the Azure REST specs:\n  ${[...new Set(s.errors)].join('\n  ')}`;
    if (mode === 'strict') throw new Error(text);
    process.stderr.write(`[spec-validation] ${text}\n`);
  }

  private skip(what: string): void {
    this.unvalidated[what] = (this.unvalidated[what] ?? 0) + 1;
  }
}

/** The path with GUIDs generalised, for grouping. */
function shapeOf(path: string): string {
  return path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{guid}');
}
