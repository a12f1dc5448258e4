/** The small PDF shipped in the package's assets/ for the Read probe ("Invoice 1001 Total 42.00"). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_TEXT = 'Invoice 1001';

/** Walks up from this module (src/validate/probe or dist/) to the package root that holds assets/. */
export function sampleDocumentBase64(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'assets', 'sample-read.pdf');
    if (existsSync(file)) return readFileSync(file).toString('base64');
    dir = dirname(dir);
  }
  throw new Error('assets/sample-read.pdf is missing from the secure-docintel package; reinstall it.');
}
