/**
 * Every resource provider of the emulator is laid out alike (README "Development"): `index.ts`
 * registers its routes, `api.ts` holds the api-versions it serves, `errors.ts` every error it answers
 * (pointing at its evidence in BEHAVIOR.md), `model.ts` (where it has one) what it keeps and how it is
 * found — under that one name, no `*-model.ts`/`*-store.ts`/`*-lookup.ts` beside it — and no other module
 * of the provider defines an api-version list or constructs an ArmError. The rule is checked on the real tree and, so that it
 * is seen to fail, on a wrong one made for the test.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDERS = fileURLToPath(new URL('../../packages/arm-emulator/src/providers', import.meta.url));
const REQUIRED = ['index.ts', 'api.ts', 'errors.ts'];
const CONSTRUCTS_ERROR = /new ArmError\s*\(|extends ArmError\b/;
const OTHER_MODEL_NAME = /^[^/]+\/[^/]+-(model|store|lookup)\.ts$/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return f.endsWith('.ts') ? [p] : [];
  });
}

/** What is wrong with a providers tree, one line per problem (empty when it is laid out as the README says). */
function layoutProblems(root: string): string[] {
  const problems: string[] = [];
  const folders = readdirSync(root).filter((f) => statSync(join(root, f)).isDirectory());
  for (const folder of folders) {
    const dir = join(root, folder);
    for (const file of REQUIRED) if (!existsSync(join(dir, file))) problems.push(`${folder}: no ${file}`);
    if (existsSync(join(dir, 'api.ts')) && !/ApiVersionPolicy/.test(readFileSync(join(dir, 'api.ts'), 'utf8'))) problems.push(`${folder}: api.ts has no ApiVersionPolicy`);
    if (existsSync(join(dir, 'errors.ts')) && !/BEHAVIOR\.md/.test(readFileSync(join(dir, 'errors.ts'), 'utf8'))) problems.push(`${folder}: errors.ts names no evidence in BEHAVIOR.md`);
  }
  for (const file of tsFiles(root)) {
    const rel = relative(root, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const isErrors = /^[^/]+\/errors\.ts$/.test(rel);
    if (!isErrors && CONSTRUCTS_ERROR.test(text)) problems.push(`${rel}: constructs an ArmError outside its provider's errors.ts`);
    if (!/^[^/]+\/api\.ts$/.test(rel) && /versions:\s*\[/.test(text)) problems.push(`${rel}: defines api-versions outside api.ts`);
    if (OTHER_MODEL_NAME.test(rel)) problems.push(`${rel}: a model under another name than model.ts`);
  }
  return problems;
}

describe('the emulator providers', () => {
  it('are the ones the emulator registers', () => {
    const index = readFileSync(join(PROVIDERS, 'index.ts'), 'utf8');
    const folders = readdirSync(PROVIDERS).filter((f) => statSync(join(PROVIDERS, f)).isDirectory());
    expect(folders.length).toBe(8);
    for (const f of folders) expect(index, f).toContain(`from './${f}/index.js'`);
  });

  const problems = layoutProblems(PROVIDERS);
  const folders = readdirSync(PROVIDERS).filter((f) => statSync(join(PROVIDERS, f)).isDirectory());

  it.each(folders)('%s has index.ts, api.ts and errors.ts, api-versions only in api.ts, ArmErrors made only in errors.ts, a model only as model.ts', (folder) => {
    expect(problems.filter((p) => p.startsWith(`${folder}:`) || p.startsWith(`${folder}/`))).toEqual([]);
  });

  it('leaves nothing wrong outside the provider folders (the shared modules make no ArmError)', () => {
    expect(problems.filter((p) => !folders.some((f) => p.startsWith(`${f}:`) || p.startsWith(`${f}/`)))).toEqual([]);
  });
});

describe('the layout rule', () => {
  let root: string;
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'provider-layout-'));
    // laid out as it should be
    write('good/index.ts', "export const provider = {};\n");
    write('good/api.ts', "export const api: ApiVersionPolicy = { versions: ['2024-01-01'] };\n");
    write('good/errors.ts', "/** Evidence: BEHAVIOR.md \"Good\". */\nexport const notFound = () => new ArmError(404, 'NotFound', 'gone');\n");
    // an error made in a handler, api-versions beside it, no errors.ts
    write('bad/index.ts', "export const provider = {};\n");
    write('bad/api.ts', "export const api: ApiVersionPolicy = {};\n");
    write('bad/things.ts', "const api = { versions: ['2024-01-01'] };\nthrow new ArmError(400, 'Bad', 'no');\n");
    // a subclass outside errors.ts, an errors.ts without evidence, and an error in a shared module
    write('worse/index.ts', "export const provider = {};\n");
    write('worse/api.ts', "export const api: ApiVersionPolicy = {};\n");
    write('worse/errors.ts', "export const e = () => new ArmError(400, 'X', 'y');\n");
    write('worse/enforcement.ts', 'export class Refused extends ArmError {}\n');
    write('worse/account-store.ts', 'export const accounts = [];\n');
    write('private-link.ts', "throw new ArmError(400, 'Shared', 'no');\n");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names every way a tree can be wrong, and nothing in a right one', () => {
    expect(layoutProblems(root).sort()).toEqual(
      [
        'bad: no errors.ts',
        "bad/things.ts: constructs an ArmError outside its provider's errors.ts",
        'bad/things.ts: defines api-versions outside api.ts',
        'worse: errors.ts names no evidence in BEHAVIOR.md',
        "worse/enforcement.ts: constructs an ArmError outside its provider's errors.ts",
        'worse/account-store.ts: a model under another name than model.ts',
        "private-link.ts: constructs an ArmError outside its provider's errors.ts",
      ].sort(),
    );
  });
});
