/**
 * Every resource provider of the emulator is laid out alike (README "Development"): `index.ts`
 * registers its routes, `api.ts` holds the api-versions it serves, and no other module of the
 * provider defines an api-version list.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDERS = fileURLToPath(new URL('../../packages/arm-emulator/src/providers', import.meta.url));
const folders = readdirSync(PROVIDERS).filter((f) => statSync(join(PROVIDERS, f)).isDirectory());

describe('the emulator providers', () => {
  it('are the ones the emulator registers', () => {
    const index = readFileSync(join(PROVIDERS, 'index.ts'), 'utf8');
    expect(folders.length).toBe(8);
    for (const f of folders) expect(index, f).toContain(`from './${f}/index.js'`);
  });

  it.each(folders)('%s has index.ts and api.ts, and defines api-versions only in api.ts', (folder) => {
    const dir = join(PROVIDERS, folder);
    expect(existsSync(join(dir, 'index.ts'))).toBe(true);
    expect(existsSync(join(dir, 'api.ts'))).toBe(true);
    expect(readFileSync(join(dir, 'api.ts'), 'utf8')).toMatch(/ApiVersionPolicy/);
    const elsewhere = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'api.ts' && /versions:\s*\[/.test(readFileSync(join(dir, f), 'utf8')));
    expect(elsewhere).toEqual([]);
  });
});
