/**
 * The body `az deployment group create` sends is JSONC, not JSON: the CLI splices the template file's
 * text in as `, template:{...}` with an unquoted key (azure-cli 2.45
 * `command_modules/resource/custom.py`, `JsonCTemplatePolicy`), and the file may carry comments.
 * ARM deserialises it; so does this: comments and trailing commas dropped, bare keys quoted.
 */
export function parseJsonc(raw: string): unknown {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && raw[i + 1] === '/') {
      while (i < raw.length && raw[i] !== '\n') i++;
    } else if (c === '/' && raw[i + 1] === '*') {
      const end = raw.indexOf('*/', i + 2);
      i = end < 0 ? raw.length : end + 2;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(raw.slice(i))![0];
      const rest = raw.slice(i + m.length);
      out += /^\s*:/.test(rest) ? JSON.stringify(m) : m;
      i += m.length;
    } else if (c === ',' && /^\s*[}\]]/.test(raw.slice(i + 1))) {
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out);
}
