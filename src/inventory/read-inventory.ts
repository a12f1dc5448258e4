/**
 * `setup --inventory FILE`: the accounts to set up, from the JSON or CSV that `audit` writes
 * (the format both agree on: JSON `{ accounts: [...] }` or a bare array; CSV with a header naming at
 * least `id` and `storage`, any order, extra columns ignored). Every problem is bad input naming
 * the file, line and column, found before anything is read from Azure.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { NAME_RULES, looksLikeId, parseTypedId, sameId } from '../core/resource-id.js';
import { parseCsv } from './csv.js';

export interface InventoryAccount {
  /** the account's resource id */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** the storage account's resource id, or a name looked up in the account's subscription */
  storage: string;
  /** where the endpoints go: the row's subnet, else --vnet/--subnet */
  vnet: string;
  subnet: string;
  /** where the row is, for messages: `FILE:LINE` */
  where: string;
}

export interface NetworkFlags {
  vnet?: string;
  subnet?: string;
}

interface Row {
  line: number;
  get(field: string): unknown;
  /** how a field is named in messages: the CSV column (with its number) or the JSON field */
  column(field: string): string;
}

const FIX = 'Fix the inventory (the JSON or CSV `secure-docintel audit` writes) and run again; nothing was written.';

export function readInventory(file: string, network: NetworkFlags): InventoryAccount[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the inventory '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, 'Pass --inventory the path of a readable JSON or CSV file (`secure-docintel audit -o json > inventory.json`).');
  }
  if (!text.replace(/^\uFEFF/, '').trim()) throw new UsageError(`The inventory '${file}' is empty: it lists no account.`, FIX);
  const rows = /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? jsonRows(file, text) : csvRows(file, text);
  if (!rows.length) throw new UsageError(`The inventory '${file}' lists no account.`, FIX);
  const problems: string[] = [];
  const accounts: InventoryAccount[] = [];
  for (const row of rows) {
    const before = problems.length;
    const account = accountOf(file, row, network, problems);
    if (!account || problems.length > before) continue;
    const twin = accounts.find((a) => sameId(a.id, account.id));
    if (twin) problems.push(`${file}:${row.line}: ${row.column('id')}: account ${account.id} is listed twice (also at ${twin.where}).`);
    else accounts.push(account);
  }
  if (problems.length) throw new UsageError(problems.slice(0, 20).join('\n') + (problems.length > 20 ? `\n… and ${problems.length - 20} more` : ''), FIX);
  return accounts;
}

function accountOf(file: string, row: Row, network: NetworkFlags, problems: string[]): InventoryAccount | undefined {
  const at = (field: string) => `${file}:${row.line}: ${row.column(field)}`;
  const text = (field: string): string | undefined => {
    const v = row.get(field);
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') {
      problems.push(`${at(field)}: expected a string, found ${JSON.stringify(v)}.`);
      return undefined;
    }
    return v.trim();
  };
  const id = text('id');
  const ref = id ? parseTypedId(id, 'Microsoft.CognitiveServices/accounts') : undefined;
  if (!id) problems.push(`${at('id')}: missing (the account's resource id).`);
  else if (!ref) problems.push(`${at('id')}: '${id}' is not a Microsoft.CognitiveServices/accounts resource id.`);
  const storage = text('storage');
  if (!storage) problems.push(`${at('storage')}: missing: setup needs the account's training storage (audit leaves it empty when it found none linked; fill in the storage account's resource id).`);
  else if (looksLikeId(storage) ? !parseTypedId(storage, 'Microsoft.Storage/storageAccounts') : !NAME_RULES.storage.re.test(storage)) {
    problems.push(`${at('storage')}: '${storage}' is neither a Microsoft.Storage/storageAccounts resource id nor a storage account name.`);
  }
  const subnetId = text('subnet');
  let vnet = network.vnet;
  let subnet = network.subnet;
  if (subnetId) {
    const m = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+)\/subnets\/([^/]+)$/i.exec(subnetId);
    if (!m) problems.push(`${at('subnet')}: '${subnetId}' is not a subnet resource id (…/virtualNetworks/<vnet>/subnets/<subnet>).`);
    else [vnet, subnet] = [m[1], m[2]];
  } else if (!vnet || !subnet) {
    problems.push(`${at('subnet')}: empty, and no --vnet and --subnet to fall back on: name the subnet for the private endpoints in the row or pass --vnet and --subnet.`);
  }
  if (!ref || !storage || !vnet || !subnet) return undefined;
  return { id: id!, subscriptionId: ref.subscriptionId, resourceGroup: ref.resourceGroup, name: ref.name, storage, vnet, subnet, where: `${file}:${row.line}` };
}

function jsonRows(file: string, text: string): Row[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = Number(/position (\d+)/.exec(message)?.[1]);
    const where = Number.isFinite(pos) ? lineAndColumn(text, pos) : undefined;
    throw new UsageError(`${file}${where ? `:${where.line}:${where.column}` : ''}: not valid JSON (${message}).`, FIX);
  }
  const list = Array.isArray(doc) ? doc : (doc as { accounts?: unknown })?.accounts;
  if (!Array.isArray(list)) throw new UsageError(`${file}:1: the JSON has no "accounts" array (expected the document \`audit -o json\` prints, or an array of its accounts).`, FIX);
  // Each account's line: where its "id" value (or, without one, its object) appears in the text.
  let from = 0;
  return list.map((item, i) => {
    const id = (item as { id?: unknown })?.id;
    const found = typeof id === 'string' ? text.indexOf(JSON.stringify(id), from) : -1;
    if (found >= 0) from = found + 1;
    const line = found >= 0 ? lineAndColumn(text, found).line : 1;
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    return {
      line,
      get: (field: string) => (isObject ? (item as Record<string, unknown>)[field] : undefined),
      column: (field: string) => `accounts[${i}].${field}`,
    };
  });
}

function csvRows(file: string, text: string): Row[] {
  const records = parseCsv(text);
  if (records.error) throw new UsageError(`${file}:${records.error.line}: ${records.error.message}.`, FIX);
  const [header, ...data] = records.rows;
  const names = header?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const missing = ['id', 'storage'].filter((c) => !names.includes(c));
  if (!header || missing.length) {
    throw new UsageError(
      `${file}:1: ${names.length > 1 ? `the CSV header has no ${missing.map((m) => `'${m}'`).join(' or ')} column` : 'neither JSON nor a CSV with a header line'} (expected the header \`audit -o csv\` prints: id,name,subscriptionId,resourceGroup,kind,location,storage,subnet,ok,failed).`,
      FIX,
    );
  }
  return data
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => ({
      line: r.line,
      get: (field: string) => {
        const i = names.indexOf(field.toLowerCase());
        return i < 0 ? undefined : r.cells[i];
      },
      column: (field: string) => {
        const i = names.indexOf(field.toLowerCase());
        return i < 0 ? `column '${field}'` : `column ${i + 1} '${field}'`;
      },
    }));
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}
