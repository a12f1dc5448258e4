/** audit's three outputs: the JSON document and the CSV of the inventory contract, and a text table. */
import type { Check } from '../validate/types.js';
import { RAW, paint, type TextStyle } from '../io/terminal.js';

export interface AuditedAccount {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  kind: string;
  location: string;
  storage: string | null;
  subnet: string | null;
  ok: boolean;
  checks: Check[];
}

export interface AuditDocument {
  ok: boolean;
  accounts: AuditedAccount[];
  summary: { accounts: number; failed: number; subscriptions: number };
  armRequests: { reads: number; writes: number };
}

export const CSV_COLUMNS = ['id', 'name', 'subscriptionId', 'resourceGroup', 'kind', 'location', 'storage', 'subnet', 'ok', 'failed'] as const;

export function failedIds(a: AuditedAccount): string[] {
  return a.checks.filter((c) => c.status === 'fail').map((c) => c.id);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled; records end in CRLF. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function renderCsv(doc: AuditDocument): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of doc.accounts) {
    const values = [a.id, a.name, a.subscriptionId, a.resourceGroup, a.kind, a.location, a.storage ?? '', a.subnet ?? '', String(a.ok), failedIds(a).join(' ')];
    lines.push(values.map(field).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function renderText(doc: AuditDocument, style: TextStyle = RAW): string {
  const head = ['account', 'resource group', 'kind', 'failed checks'];
  const rows = doc.accounts.map((a) => [a.name, a.resourceGroup, a.kind, failedIds(a).join(', ') || '—']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]) : c)).join('  ');
  const out = [`    ${line(head)}`];
  doc.accounts.forEach((a, i) => out.push(`  ${a.ok ? paint('✓', 'ok', style) : paint('✗', 'fail', style)} ${line(rows[i])}`));
  const { accounts, failed, subscriptions } = doc.summary;
  out.push('');
  out.push(
    failed
      ? `${failed} of ${accounts} account(s) in ${subscriptions} subscription(s) fail the guide's checks: \`secure-docintel audit -o json\` gives each check's message and fix; \`-o csv\` is an inventory for \`setup --inventory\`.`
      : `All ${accounts} account(s) in ${subscriptions} subscription(s) pass.`,
  );
  return out.join('\n');
}
