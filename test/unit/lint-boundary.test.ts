/**
 * The emulator boundary is enforced by ESLint (eslint.config.js, rule `boundary/emulator`): product
 * code imports only src/emulator/index.ts and src/emulator/protocol.ts. Lints snippets as if they were
 * files of the repository.
 */
import { describe, it, expect } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'boundary/emulator').map((m) => m.message);
}

describe('the emulator boundary', () => {
  it('product code may import the emulator through index.ts and protocol.ts', async () => {
    const code = [
      "import { startEmulator } from '../emulator/index.js';",
      "import { CLIENT_IP_HEADER } from '../../emulator/protocol.js';",
      "export const x = [startEmulator, CLIENT_IP_HEADER, await import('../emulator/index.js')];",
    ].join('\n');
    expect(await boundaryErrors('src/commands/fixture.ts', code.replace('../../emulator', '../emulator'))).toEqual([]);
    expect(await boundaryErrors('src/validate/probe/fixture.ts', code.replace(/'\.\.\/emulator/g, "'../../emulator"))).toEqual([]);
  });

  it('fails on any other emulator module: static, dynamic or re-exported', async () => {
    const errors = await boundaryErrors(
      'src/validate/probe/fixture.ts',
      [
        "import { UNREACHABLE_HEADER } from '../../emulator/dataplane/resolve.js';",
        "export { startEmulator } from '../../emulator/server.js';",
        "export * from '../../emulator/demo.js';",
        "export const load = () => import('../../emulator/state.js');",
        'export const h = UNREACHABLE_HEADER;',
      ].join('\n'),
    );
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/'\.\.\/\.\.\/emulator\/dataplane\/resolve\.js' is inside the emulator: product code may import only src\/emulator\/index\.ts and src\/emulator\/protocol\.ts/);
  });

  it('the emulator itself and the tests may import emulator internals', async () => {
    expect(await boundaryErrors('src/emulator/dataplane/fixture.ts', "export { settle } from '../arm/lro.js';")).toEqual([]);
    expect(await boundaryErrors('test/emulator/fixture.test.ts', "export { settle } from '../../src/emulator/arm/lro.js';")).toEqual([]);
  });
});
