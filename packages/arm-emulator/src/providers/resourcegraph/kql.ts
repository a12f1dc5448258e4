/**
 * The subset of the Kusto query language Resource Graph's emulator evaluates: exactly what the product
 * sends (BEHAVIOR.md lists it). A table (`resources`, `authorizationresources`), then any number of
 * `| where <path> =~|==|!=|!~ '<string>'` or `<path> in~|in ('<string>', …)` joined by `and`,
 * `| project <column>[, …]` (a column may be `name = <path>`) and `| order by <path> [asc|desc][, …]`.
 * Anything else is a parse failure, reported as Resource Graph reports one.
 */
export type Row = Record<string, unknown>;

export interface Condition {
  path: string[];
  op: '=~' | '==' | '!=' | '!~' | 'in~' | 'in';
  values: string[];
}

export type Stage =
  | { kind: 'where'; all: Condition[] }
  | { kind: 'project'; columns: { name: string; path: string[] }[] }
  | { kind: 'order'; keys: { path: string[]; desc: boolean }[] };

export interface Query {
  table: string;
  stages: Stage[];
}

export class KqlParseError extends Error {
  constructor(readonly token: string, readonly line: number, readonly column: number, reason: string) {
    super(reason);
  }
}

interface Token {
  kind: 'ident' | 'string' | 'punct';
  text: string;
  value: string;
  line: number;
  column: number;
}

const PUNCT = ['=~', '==', '!=', '!~', '|', '(', ')', ',', '.', '='];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i - lineStart;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new KqlParseError(text.slice(i), line, column, 'unterminated string literal');
      const raw = text.slice(i, end + 1);
      if (raw.includes('\\')) throw new KqlParseError(raw, line, column, 'escape sequences in string literals are not in the subset');
      tokens.push({ kind: 'string', text: raw, value: text.slice(i + 1, end), line, column });
      i = end + 1;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*~?/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], value: ident[0], line, column });
      i += ident[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (!punct) throw new KqlParseError(c, line, column, `unexpected character '${c}'`);
    tokens.push({ kind: 'punct', text: punct, value: punct, line, column });
    i += punct.length;
  }
  return tokens;
}

const TABLES = ['resources', 'authorizationresources'];

export function parseQuery(text: string): Query {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (reason: string): never => {
    const t = tokens[pos] ?? tokens[tokens.length - 1];
    throw new KqlParseError(t?.text ?? '<end of query>', t?.line ?? 1, t?.column ?? 0, reason);
  };
  const next = () => tokens[pos++] ?? fail('the query ends too early');
  const punct = (p: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.value !== p) {
      pos--;
      fail(`expected '${p}'`);
    }
  };
  const keyword = (k: string) => {
    const t = next();
    if (t.kind !== 'ident' || t.value.toLowerCase() !== k) {
      pos--;
      fail(`expected '${k}'`);
    }
  };
  const isPunct = (p: string) => peek()?.kind === 'punct' && peek()!.value === p;
  const isKeyword = (k: string) => peek()?.kind === 'ident' && peek()!.value.toLowerCase() === k;
  const name = () => {
    const t = next();
    if (t.kind !== 'ident' || t.value.endsWith('~')) {
      pos--;
      fail('expected a column name');
    }
    return t.value;
  };
  const path = () => {
    const parts = [name()];
    while (isPunct('.')) {
      pos++;
      parts.push(name());
    }
    return parts;
  };
  const string = () => {
    const t = next();
    if (t.kind !== 'string') {
      pos--;
      fail('expected a string literal');
    }
    return t.value;
  };

  const first = next();
  if (first.kind !== 'ident' || !TABLES.includes(first.value.toLowerCase())) {
    pos--;
    fail(`the emulator queries only the tables ${TABLES.join(', ')}`);
  }
  const stages: Stage[] = [];
  while (pos < tokens.length) {
    punct('|');
    const op = next();
    const verb = op.kind === 'ident' ? op.value.toLowerCase() : '';
    if (verb === 'where') {
      const all: Condition[] = [];
      do {
        if (all.length) pos++;
        const p = path();
        const o = next();
        const opText = o.value.toLowerCase();
        if (o.kind === 'punct' && ['=~', '==', '!=', '!~'].includes(opText)) all.push({ path: p, op: opText as Condition['op'], values: [string()] });
        else if (o.kind === 'ident' && (opText === 'in~' || opText === 'in')) {
          punct('(');
          const values = [string()];
          while (isPunct(',')) {
            pos++;
            values.push(string());
          }
          punct(')');
          all.push({ path: p, op: opText as Condition['op'], values });
        } else {
          pos--;
          fail('expected one of =~ == != !~ in~ in');
        }
      } while (isKeyword('and'));
      stages.push({ kind: 'where', all });
    } else if (verb === 'project') {
      const columns: { name: string; path: string[] }[] = [];
      do {
        if (columns.length) pos++;
        const first = path();
        if (first.length === 1 && isPunct('=')) {
          pos++;
          columns.push({ name: first[0], path: path() });
        } else if (first.length === 1) columns.push({ name: first[0], path: first });
        else fail('a projected property path needs a column name (name = a.b)');
      } while (isPunct(','));
      stages.push({ kind: 'project', columns });
    } else if (verb === 'order') {
      keyword('by');
      const keys: { path: string[]; desc: boolean }[] = [];
      do {
        if (keys.length) pos++;
        const p = path();
        // Kusto sorts descending unless told otherwise.
        let desc = true;
        if (isKeyword('asc')) { pos++; desc = false; } else if (isKeyword('desc')) pos++;
        keys.push({ path: p, desc });
      } while (isPunct(','));
      stages.push({ kind: 'order', keys });
    } else {
      pos--;
      fail(`the emulator evaluates only the operators where, project and order by`);
    }
  }
  return { table: first.value.toLowerCase(), stages };
}

export function valueAt(row: Row, path: string[]): unknown {
  let v: unknown = row;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    // Kusto matches dynamic property names exactly; column names are matched as written too.
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * The conditions on `type` in the query's first stage, as a test of a resource's type: the table need
 * not build the rows that stage drops (an estate's tables are mostly other types).
 */
export function typeTest(query: Query): (type: string) => boolean {
  const first = query.stages[0];
  const onType = first?.kind === 'where' ? first.all.filter((c) => c.path.length === 1 && c.path[0] === 'type') : [];
  return (type) => onType.every((c) => matches({ type }, c));
}

function matches(row: Row, c: Condition): boolean {
  const v = valueAt(row, c.path);
  if (typeof v !== 'string') return c.op === '!=' || c.op === '!~';
  const insensitive = c.op === '=~' || c.op === '!~' || c.op === 'in~';
  const equal = c.values.some((x) => (insensitive ? x.toLowerCase() === v.toLowerCase() : x === v));
  return c.op === '!=' || c.op === '!~' ? !equal : equal;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Evaluates the stages over the table's rows; returns the rows and their columns. */
export function evaluate(query: Query, rows: Row[]): { rows: Row[]; columns: string[] | undefined } {
  let out = rows;
  let columns: string[] | undefined;
  for (const s of query.stages) {
    if (s.kind === 'where') out = out.filter((r) => s.all.every((c) => matches(r, c)));
    else if (s.kind === 'project') {
      out = out.map((r) => Object.fromEntries(s.columns.map((c) => [c.name, valueAt(r, c.path) ?? null])));
      columns = s.columns.map((c) => c.name);
    } else {
      out = [...out].sort((x, y) => {
        for (const k of s.keys) {
          const d = compare(valueAt(x, k.path), valueAt(y, k.path));
          if (d) return k.desc ? -d : d;
        }
        return 0;
      });
    }
  }
  return { rows: out, columns };
}
