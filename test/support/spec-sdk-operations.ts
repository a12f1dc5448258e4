/**
 * The ARM operations the installed @azure/arm-* SDK packages send: method, path template and the
 * api-version they default to, read from each package's shipped operation code.
 *
 * Two code shapes exist: autorest "classic" packages declare `xxxOperationSpec = { path, httpMethod,
 * queryParameters: [Parameters.apiVersionN] }`; TypeSpec-generated ones (arm-storage 20) call
 * `expandUrlTemplate("<path>{?api%2Dversion}", { "api%2Dversion": context.apiVersion ?? "<v>" })`
 * and then `context.path(path).<verb>(`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface SdkOperation {
  packageName: string;
  group: string;
  /** SDK operation name, e.g. `create`, `getProperties` */
  name: string;
  method: string;
  template: string;
  apiVersion: string;
}

const require = createRequire(import.meta.url);

function packageRoot(pkg: string): string {
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== pkg) dir = dirname(dir);
  return dir;
}

/** Operations of the named operation groups (file names under the package's operation folder). */
export function sdkOperations(pkg: string, groups: string[]): SdkOperation[] {
  const root = packageRoot(pkg);
  const esm = ['dist/esm', 'dist-esm/src'].map((d) => join(root, d)).find((d) => existsSync(d));
  if (!esm) throw new Error(`${pkg}: no ESM build found`);
  const out: SdkOperation[] = [];
  for (const group of groups) {
    const classic = join(esm, 'operations', `${group}.js`);
    const typespec = join(esm, 'api', group, 'operations.js');
    if (existsSync(classic)) out.push(...classicOperations(pkg, group, readFileSync(classic, 'utf8'), apiVersionDefaults(join(esm, 'models', 'parameters.js'))));
    else if (existsSync(typespec)) out.push(...typespecOperations(pkg, group, readFileSync(typespec, 'utf8')));
    else throw new Error(`${pkg}: no operation group '${group}'`);
  }
  return out;
}

/** `export const apiVersionN = { ... defaultValue: "x" ... serializedName: "api-version" }` → name → x */
function apiVersionDefaults(parametersFile: string): Map<string, string> {
  const text = readFileSync(parametersFile, 'utf8');
  const out = new Map<string, string>();
  const re = /export const (\w+) = \{([\s\S]*?)\n\};/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[2].includes('serializedName: "api-version"')) continue;
    const v = /defaultValue: "([^"]+)"/.exec(m[2]);
    if (v) out.set(m[1], v[1]);
  }
  return out;
}

function classicOperations(packageName: string, group: string, text: string, versions: Map<string, string>): SdkOperation[] {
  const out: SdkOperation[] = [];
  const re = /const (\w+)OperationSpec = \{([\s\S]*?)\n\};/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const path = /path: "([^"]+)"/.exec(m[2])?.[1];
    const method = /httpMethod: "(\w+)"/.exec(m[2])?.[1];
    if (!path || !method || !path.startsWith('/')) continue; // `{nextLink}` pages
    const query = /queryParameters: \[([^\]]*)\]/.exec(m[2])?.[1] ?? '';
    const param = [...query.matchAll(/Parameters\.(\w+)/g)].map((p) => p[1]).find((p) => versions.has(p));
    out.push({ packageName, group, name: m[1], method, template: path, apiVersion: param ? versions.get(param)! : '' });
  }
  return out;
}

function typespecOperations(packageName: string, group: string, text: string): SdkOperation[] {
  const out: SdkOperation[] = [];
  const re = /export function _([\w$]+)Send\([\s\S]*?expandUrlTemplate\("([^"]+)",\s*\{([\s\S]*?)\},[\s\S]*?context\s*\.path\(path\)\s*\.(\w+)\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const version = /"api%2Dversion": context\.apiVersion \?\? "([^"]+)"/.exec(m[3])?.[1] ?? '';
    out.push({ packageName, group, name: m[1].replace(/^\$/, ''), method: m[4].toUpperCase(), template: m[2].replace(/\{\?[^}]*\}$/, ''), apiVersion: version });
  }
  return out;
}
