/**
 * The ARM template expression language: a string value starting with `[` and ending with `]` is an
 * expression (`[[` escapes a literal `[`); inside, function calls, single-quoted strings ('' escapes a
 * quote), integers, `true`/`false`/`null` through functions, and `.property` / `[index]` accessors.
 * Evidence: learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions.
 */

export type Expr =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Expr[]; at: number }
  | { kind: 'property'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr };

export class ExpressionSyntaxError extends Error {}

/** True when a JSON string is an expression (not an escaped literal `[[...]`). */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

/** A literal string value: `[[x]` stands for `[x]`. */
export function literalValue(s: string): string {
  return s.startsWith('[[') ? s.slice(1) : s;
}

export function parseExpression(source: string): Expr {
  const text = source.slice(1, -1);
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new ExpressionSyntaxError(`The language expression '${text}' is not valid: ${what} at position '${i}'.`);
  };
  const primary = (): Expr => {
    ws();
    const c = text[i];
    if (c === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('the string literal is not terminated');
        if (text[i] === "'") {
          if (text[i + 1] === "'") { out += "'"; i += 2; continue; }
          i++;
          break;
        }
        out += text[i++];
      }
      return { kind: 'string', value: out };
    }
    if (c !== undefined && /[-\d]/.test(c)) {
      const m = /^-?\d+/.exec(text.slice(i));
      if (!m) fail('a number was expected');
      i += m![0].length;
      return { kind: 'number', value: Number(m![0]) };
    }
    const m = /^[A-Za-z_][\w.]*/.exec(text.slice(i));
    if (!m) fail(c === undefined ? 'the expression ended unexpectedly' : `the character '${c}' was not expected`);
    const at = i;
    i += m![0].length;
    ws();
    if (text[i] !== '(') fail(`'(' was expected after '${m![0]}'`);
    i++;
    const args: Expr[] = [];
    ws();
    if (text[i] === ')') i++;
    else {
      for (;;) {
        args.push(accessors(primary()));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ')') { i++; break; }
        fail("',' or ')' was expected");
      }
    }
    return { kind: 'call', name: m![0], args, at };
  };
  const accessors = (e: Expr): Expr => {
    for (;;) {
      ws();
      if (text[i] === '.') {
        i++;
        const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
        if (!m) fail('a property name was expected');
        i += m![0].length;
        e = { kind: 'property', target: e, name: m![0] };
      } else if (text[i] === '[') {
        i++;
        const index = accessors(primary());
        ws();
        if (text[i] !== ']') fail("']' was expected");
        i++;
        e = { kind: 'index', target: e, index };
      } else return e;
    }
  };
  const root = accessors(primary());
  ws();
  if (i !== text.length) fail('the expression has extra characters');
  if (root.kind !== 'call' && root.kind !== 'property' && root.kind !== 'index') fail('a function call was expected');
  return root;
}

/** Every function an expression calls (for "not valid here" checks before evaluation). */
export function functionsCalled(e: Expr, out: string[] = []): string[] {
  if (e.kind === 'call') {
    out.push(e.name);
    e.args.forEach((a) => functionsCalled(a, out));
  } else if (e.kind === 'property') functionsCalled(e.target, out);
  else if (e.kind === 'index') {
    functionsCalled(e.target, out);
    functionsCalled(e.index, out);
  }
  return out;
}
