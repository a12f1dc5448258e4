/**
 * The line between the two packages is enforced by ESLint (eslint.config.js, rule `boundary/emulator`):
 * product code imports only `@secure-docintel/arm-emulator` and its `/protocol`, and the emulator
 * package imports nothing of the product. Lints snippets as if they were files of the repository.
 */
import { describe, it, expect } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const eslint = new ESLint({ cwd: fileURLToPath(new URL('../..', import.meta.url)) });

async function boundaryErrors(filePath: string, code: string, rule = 'boundary/emulator'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}
const layerErrors = (filePath: string, code: string) => boundaryErrors(filePath, code, 'boundary/layers');

describe('the emulator boundary', () => {
  it('product code may import the emulator package and its protocol module', async () => {
    const code = [
      "import { startEmulator } from '@secure-docintel/arm-emulator';",
      "import { CLIENT_IP_HEADER } from '@secure-docintel/arm-emulator/protocol';",
      "export const x = [startEmulator, CLIENT_IP_HEADER, await import('@secure-docintel/arm-emulator')];",
    ].join('\n');
    expect(await boundaryErrors('src/commands/fixture.ts', code)).toEqual([]);
    expect(await boundaryErrors('src/validate/probe/fixture.ts', code)).toEqual([]);
  });

  it('fails on any other emulator module: a deep package path or a relative path, static, dynamic or re-exported', async () => {
    const errors = await boundaryErrors(
      'src/validate/probe/fixture.ts',
      [
        "import { UNREACHABLE_HEADER } from '@secure-docintel/arm-emulator/src/dataplane/resolve.js';",
        "export { startEmulator } from '../../../packages/arm-emulator/src/server.js';",
        "export * from '@secure-docintel/arm-emulator/dist/index.js';",
        "export const load = () => import('../../../packages/arm-emulator/src/state.js');",
        'export const h = UNREACHABLE_HEADER;',
      ].join('\n'),
    );
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(/'@secure-docintel\/arm-emulator\/src\/dataplane\/resolve\.js' is inside the emulator: product code may import only '@secure-docintel\/arm-emulator' and '@secure-docintel\/arm-emulator\/protocol'/);
  });

  it('the emulator imports nothing of the product', async () => {
    const errors = await boundaryErrors(
      'packages/arm-emulator/src/dataplane/fixture.ts',
      ["import { UsageError } from '../../../../src/core/errors.js';", "export const load = () => import('secure-docintel');", 'export const e = UsageError;'].join('\n'),
    );
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/outside the emulator package/);
  });

  it('the emulator itself and the tests may import emulator internals', async () => {
    expect(await boundaryErrors('packages/arm-emulator/src/dataplane/fixture.ts', "export { settle } from '../arm/lro.js';")).toEqual([]);
    expect(await boundaryErrors('test/emulator/fixture.test.ts', "export { settle } from '../../packages/arm-emulator/src/arm/lro.js';")).toEqual([]);
  });
});

describe('the layers (rule `boundary/layers`)', () => {
  it('validate, export and audit take the posture from src/posture, its model and its one reader', async () => {
    const code = [
      "import { readPosture } from '../posture/read.js';",
      "import type { Posture } from '../posture/model.js';",
      "import { arm } from '../steps/context.js';",
      'export const x: [typeof readPosture, Posture?, typeof arm] = [readPosture, undefined, arm];',
    ].join('\n');
    for (const folder of ['validate', 'export', 'audit']) expect(await layerErrors(`src/${folder}/fixture.ts`, code)).toEqual([]);
  });

  it('validate imports no command, statically, dynamically or in a re-export', async () => {
    const errors = await layerErrors(
      'src/validate/fixture.ts',
      ["import { stepContext } from '../commands/bootstrap.js';", "export { preflight } from '../commands/preflight.js';", "export const load = () => [stepContext, import('../cli/main.js')];"].join('\n'),
    );
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/'\.\.\/commands\/bootstrap\.js' imports upward: src\/commands\/bootstrap\.ts is in a layer above src\/validate\/fixture\.ts/);
  });

  it('the posture model and its pure functions import neither the reader, the ARM session nor the steps', async () => {
    const errors = await layerErrors(
      'src/posture/fixture.ts',
      ["import { readPosture } from './read.js';", "import type { ArmSession } from '../azure/session.js';", "import type { Targets } from '../steps/targets.js';", 'export type X = [typeof readPosture, ArmSession, Targets];'].join('\n'),
    );
    expect(errors.map((e) => e.split(' ')[0])).toEqual(["'./read.js'", "'../azure/session.js'", "'../steps/targets.js'"]);
  });

  it('the posture reader may use the ARM session but not the steps; nothing under it imports validate', async () => {
    expect(await layerErrors('src/posture/read.ts', "import type { ArmSession } from '../azure/session.js';\nexport type S = ArmSession;")).toEqual([]);
    expect(await layerErrors('src/posture/read.ts', "import type { StepContext } from '../steps/context.js';\nexport type S = StepContext;")).toHaveLength(1);
    expect(await layerErrors('src/steps/fixture.ts', "export { checkAll } from '../validate/checks/index.js';")).toHaveLength(1);
    expect(await layerErrors('src/core/fixture.ts', "export { ENV } from './settings.js';")).toEqual([]);
  });

  it('a file named in a lower layer is in that layer, not its folder\'s: the steps may send a recorded body, not take undo\'s plan', async () => {
    expect(await layerErrors('src/steps/fixture.ts', "export { putRecorded } from '../undo/send-recorded.js';")).toEqual([]);
    expect(await layerErrors('src/steps/fixture.ts', "export { planUndo } from '../undo/plan.js';")).toHaveLength(1);
    expect(await layerErrors('src/azure/fixture.ts', "export { redact } from '../journal/redact.js';")).toEqual([]);
    expect(await layerErrors('src/azure/fixture.ts', "export { openJournal } from '../journal/run-journal.js';")).toHaveLength(1);
  });
});
