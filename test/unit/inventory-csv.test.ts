/** The inventory's CSV reader: RFC 4180 quoting, line numbers of each record, and what it refuses. */
import { describe, it, expect } from 'vitest';
import { parseCsv } from '../../src/inventory/csv.js';

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks inside quotes, with CRLF or LF', () => {
    const r = parseCsv('id,failed\r\n/a,"x y, z"\r\n"/b","say ""hi"""\n"/c","two\nlines"\n/d,\n');
    expect(r.error).toBeUndefined();
    expect(r.rows.map((x) => x.cells)).toEqual([['id', 'failed'], ['/a', 'x y, z'], ['/b', 'say "hi"'], ['/c', 'two\nlines'], ['/d', '']]);
    expect(r.rows.map((x) => x.line)).toEqual([1, 2, 3, 4, 6]);
  });

  it('takes a byte-order mark and a last line without a line break', () => {
    expect(parseCsv('\uFEFFid\n/a').rows.map((x) => x.cells)).toEqual([['id'], ['/a']]);
  });

  it('refuses a quote closed before the end of its field, and one never closed, naming the line', () => {
    expect(parseCsv('id\n"/a"b\n').error).toEqual({ line: 2, message: "a quoted field must end at a comma or the line's end, found 'b'" });
    expect(parseCsv('id\n/a\n"/b\n').error).toEqual({ line: 3, message: 'a quoted field is not closed' });
  });
});
