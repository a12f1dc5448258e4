/**
 * The emulator's `prebuilt-read`: the text a PDF draws with `(...) Tj` and `[...] TJ`, one line each,
 * laid out as Document Intelligence reports it (content, pages with words and lines, paragraphs).
 */

export class UnsupportedContent extends Error {}

function unescapePdfString(s: string): string {
  return s.replace(/\\([nrtbf()\\]|\d{1,3})/g, (_, c: string) => {
    const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
    return map[c] ?? String.fromCharCode(parseInt(c, 8));
  });
}

function textLines(pdf: string): string[] {
  const lines: string[] = [];
  const re = /\((?:\\.|[^\\)])*\)\s*Tj|\[((?:\((?:\\.|[^\\)])*\)|[^\]])*)\]\s*TJ/g;
  for (const m of pdf.matchAll(re)) {
    const strings = [...m[0].matchAll(/\(((?:\\.|[^\\)])*)\)/g)].map((s) => unescapePdfString(s[1]));
    const line = strings.join('').trim();
    if (line) lines.push(line);
  }
  return lines;
}

function pageSizeInches(pdf: string): { width: number; height: number } {
  const m = /\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf);
  if (!m) return { width: 8.5, height: 11 };
  return { width: (Number(m[3]) - Number(m[1])) / 72, height: (Number(m[4]) - Number(m[2])) / 72 };
}

const round = (n: number) => Math.round(n * 10000) / 10000;

export function readDocument(bytes: Buffer, apiVersion: string, modelId: string): Record<string, unknown> {
  const pdf = bytes.toString('latin1');
  if (!pdf.startsWith('%PDF-')) throw new UnsupportedContent('The file format is unsupported or corrupted. Refer to documentation for the list of supported formats.');
  const lines = textLines(pdf);
  const { width, height } = pageSizeInches(pdf);
  const content = lines.join('\n');
  const words: Record<string, unknown>[] = [];
  const pageLines: Record<string, unknown>[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    const top = 1 + i * 0.3;
    const box = (x0: number, x1: number) => [x0, top, x1, top, x1, top + 0.25, x0, top + 0.25].map(round);
    let wordOffset = offset;
    let x = 1;
    for (const w of line.split(' ')) {
      if (w) {
        const x1 = x + w.length * 0.12;
        words.push({ content: w, polygon: box(x, x1), confidence: 0.995, span: { offset: wordOffset, length: w.length } });
        x = x1 + 0.06;
      }
      wordOffset += w.length + 1;
    }
    pageLines.push({ content: line, polygon: box(1, x), spans: [{ offset, length: line.length }] });
    offset += line.length + 1;
  });
  return {
    apiVersion,
    modelId,
    stringIndexType: 'textElements',
    content,
    pages: [{ pageNumber: 1, angle: 0, width: round(width), height: round(height), unit: 'inch', words, lines: pageLines, spans: [{ offset: 0, length: content.length }] }],
    paragraphs: content ? [{ spans: [{ offset: 0, length: content.length }], boundingRegions: [{ pageNumber: 1, polygon: [1, 1, round(width - 1), 1, round(width - 1), 2, 1, 2] }], content }] : [],
    styles: [],
    contentFormat: 'text',
  };
}
