/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF. */

export interface CsvRecord {
  /** the line the record starts on (1-based) */
  line: number;
  cells: string[];
}

export function parseCsv(text: string): { rows: CsvRecord[]; error?: { line: number; message: string } } {
  const rows: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const endRecord = () => {
    cells.push(cell);
    rows.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        if (i + 1 < text.length && !',\r\n'.includes(text[i + 1])) return { rows, error: { line, message: `a quoted field must end at a comma or the line's end, found '${text[i + 1]}'` } };
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') continue;
    else if (ch === '\n') {
      endRecord();
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) return { rows, error: { line: start, message: 'a quoted field is not closed' } };
  if (cell !== '' || cells.length) endRecord();
  return { rows };
}
