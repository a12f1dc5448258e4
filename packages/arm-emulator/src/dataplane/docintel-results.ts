/** Analyze operations of the Document Intelligence data plane, kept in the emulator's hidden state. */
import type { EmulatorContext } from '../context.js';
import { keyOf } from '../arm/ids.js';

export interface AnalyzeOperation {
  accountId: string;
  modelId: string;
  createdAt: number;
  analyzeResult?: Record<string, unknown>;
  error?: Record<string, unknown>;
}

function store(ctx: EmulatorContext): Record<string, AnalyzeOperation> {
  const extras = ctx.state.extras as { documentIntelligenceResults?: Record<string, AnalyzeOperation> };
  extras.documentIntelligenceResults ??= {};
  return extras.documentIntelligenceResults;
}

export function recordOperation(ctx: EmulatorContext, op: Omit<AnalyzeOperation, 'createdAt'>): string {
  const id = ctx.newGuid();
  store(ctx)[id] = { ...op, accountId: keyOf(op.accountId), createdAt: ctx.now() };
  return id;
}

export function findOperation(ctx: EmulatorContext, accountId: string, resultId: string): AnalyzeOperation | undefined {
  const op = store(ctx)[resultId.toLowerCase()] ?? store(ctx)[resultId];
  return op && op.accountId === keyOf(accountId) ? op : undefined;
}

/** The body of GET analyzeResults/{id}: `running` until the emulator's LRO delay has passed. */
export function operationBody(ctx: EmulatorContext, op: AnalyzeOperation): Record<string, unknown> {
  const created = new Date(op.createdAt).toISOString().replace(/\.\d+Z$/, 'Z');
  const done = ctx.now() >= op.createdAt + ctx.options.lroDelayMs;
  if (!done) return { status: 'running', createdDateTime: created, lastUpdatedDateTime: created };
  const updated = new Date(op.createdAt + ctx.options.lroDelayMs).toISOString().replace(/\.\d+Z$/, 'Z');
  if (op.error) return { status: 'failed', createdDateTime: created, lastUpdatedDateTime: updated, error: op.error };
  return { status: 'succeeded', createdDateTime: created, lastUpdatedDateTime: updated, analyzeResult: op.analyzeResult };
}
