/**
 * Validates ARM HTTP exchanges against the swagger 2.0 specs vendored under test/azure-specs.
 *
 * Swagger/autorest rules applied (the same leniency Azure's own model validator, oav, shows):
 * - `readOnly` properties are expected in responses and ignored in requests (ARM drops them);
 * - `x-ms-enum` with `modelAsString: true` is an extensible enum: any string is accepted;
 *   fixed enums are compared case-insensitively (RPs parse them so, and oav only warns with
 *   ENUM_CASE_MISMATCH: storage really answers `permissions: "FULL"` where the spec says `Full`);
 * - null is accepted where `x-nullable: true`, and for non-required properties unless `x-nullable: false`;
 * - formats: `uuid`, `date-time` (any ISO 8601 form Azure emits) and `int32` are checked, others are not;
 * - `allOf` is flattened, so undeclared properties in a response are reported; request bodies may
 *   carry properties the spec does not know (the SDK may be newer or older than the spec);
 * - a definition with a `discriminator` stays open (its variants are not in the operations used here);
 * - a `$ref` into a file that is not vendored is unconstrained;
 * - undeclared response properties that Azure is known to return are tolerated when the spec's own
 *   examples show them, or when listed in RETURNED_BUT_UNDECLARED with the evidence.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction, type ErrorObject } from 'ajv';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;

export const SPECS_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../azure-specs/specification');

type Json = any;
type Mode = 'request' | 'response';

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  /** body parameters: the schema location */
  schema?: SchemaAt;
  multiSegment?: boolean;
}

interface SchemaAt {
  file: string;
  node: Json;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  /** path template as written in the spec (without an x-ms-paths `?` suffix) */
  template: string;
  /** spec file, relative to test/azure-specs/specification */
  specFile: string;
  apiVersion: string;
  parameters: SpecParameter[];
  responses: Record<string, { schema?: SchemaAt; headers?: Record<string, unknown> }>;
  longRunning: boolean;
  /** example title → absolute path of the example file the spec names (it may not be vendored) */
  examples: Record<string, string>;
  pattern: RegExp;
  literalSegments: number;
}

export interface Exchange {
  method: string;
  path: string;
  query?: Record<string, string> | URLSearchParams;
  requestBody?: unknown;
  status: number;
  responseHeaders?: Record<string, string | string[] | number | undefined>;
  responseBody?: unknown;
}

/** An example file under some examples/ folder, with the operation it belongs to. */
export interface SpecExample {
  /** absolute path */
  file: string;
  /** relative to test/azure-specs/specification */
  name: string;
  operation?: SpecOperation;
  body: { parameters: Record<string, any>; responses: Record<string, { body?: any; headers?: Record<string, string> }>; title?: string; operationId?: string };
}

export interface ExchangeVerdict {
  operation?: SpecOperation;
  errors: string[];
}

/** `${specFile}|${json path with * for indexes, no /value/*}|${property}` → why it is tolerated. */
const RETURNED_BUT_UNDECLARED: Record<string, string> = Object.fromEntries(
  ['createdOn', 'updatedOn', 'createdBy', 'updatedBy'].map((p) => [
    `authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/authorization-RoleDefinitionsCalls.json|/properties|${p}`,
    'ARM returns audit fields on role definitions (`az role definition list` prints them); the 2022-04-01 spec omits them',
  ]),
);

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'];
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}([Tt ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?([Zz]|[+-]\\d{2}:?\\d{2})?$';

export class SpecCatalog {
  readonly operations: SpecOperation[] = [];
  private docs = new Map<string, Json | null>();
  private ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false, logger: false });
  private schemaIds = new Map<string, string>();
  private validators = new Map<string, ValidateFunction>();
  private inlineKeys = new WeakMap<object, string>();
  /** `METHOD path` → the operation find() matched */
  private found = new Map<string, SpecOperation | undefined>();

  private exampleList?: SpecExample[];
  private evidenced?: Set<string>;

  constructor(readonly root = SPECS_ROOT) {
    for (const file of jsonFiles(root).filter((f) => !f.includes('/examples/'))) this.index(file);
  }

  /**
   * Every vendored example, matched to its operation by its `operationId` or by the file name the
   * operation's `x-ms-examples` names (examples copied from an older version's folder match by name
   * within the same service).
   */
  examples(): SpecExample[] {
    this.exampleList ??= jsonFiles(this.root).filter((f) => f.includes('/examples/')).map((file) => {
      const body = JSON.parse(readFileSync(file, 'utf8'));
      const name = relative(this.root, file);
      const service = name.split('/')[0];
      const base = file.split('/').pop()!;
      const sameService = this.operations.filter((o) => o.specFile.split('/')[0] === service);
      const operation = (body.operationId && sameService.find((o) => o.operationId === body.operationId))
        ?? sameService.find((o) => Object.values(o.examples).some((e) => e.split('/').pop() === base));
      return { file, name, operation, body };
    });
    return this.exampleList;
  }

  /** The spec operation for a request, matched case-insensitively by path template, whatever the api-version. */
  find(method: string, path: string): SpecOperation | undefined {
    const m = method.toUpperCase();
    const p = path.split('?')[0].replace(/\/+$/, '') || '/';
    // A test file sends the same few paths again and again: each is matched against every template once.
    const key = `${m} ${p}`;
    if (this.found.has(key)) return this.found.get(key);
    let best: SpecOperation | undefined;
    for (const op of this.operations) {
      if (op.method !== m || !op.pattern.test(p)) continue;
      if (!best || op.literalSegments > best.literalSegments) best = op;
    }
    if (this.found.size >= 10_000) this.found.clear();
    this.found.set(key, best);
    return best;
  }

  validate(x: Exchange): ExchangeVerdict {
    const op = this.find(x.method, x.path);
    if (!op) return { errors: [] };
    const errors: string[] = [];
    const where = `${op.operationId} (${op.specFile})`;
    const query = x.query instanceof URLSearchParams ? Object.fromEntries(x.query) : (x.query ?? {});
    for (const p of op.parameters) {
      if (p.in === 'query' && p.required && query[p.name] === undefined) errors.push(`${where}: request lacks required query parameter '${p.name}'`);
      if (p.in === 'body') {
        if (x.requestBody === undefined) {
          if (p.required) errors.push(`${where}: request lacks the required body '${p.name}'`);
        } else if (p.schema) {
          errors.push(...this.check(p.schema, 'request', x.requestBody).map((e) => `${where}: request body${e}`));
        }
      }
    }
    const declared = op.responses[String(x.status)];
    if (!declared && x.status >= 400) {
      errors.push(...this.checkError(op, x.responseBody).map((e) => `${where}: error response ${x.status} body${e}`));
      return { operation: op, errors };
    }
    if (!declared) {
      errors.push(`${where}: status ${x.status} is not declared (declared: ${Object.keys(op.responses).join(', ')})`);
      return { operation: op, errors };
    }
    if (declared.schema) {
      if (x.responseBody === undefined) {
        if (x.status !== 202) errors.push(`${where}: response ${x.status} has no body but the spec declares one`);
      } else {
        const found = this.check(declared.schema, 'response', x.responseBody).filter((e) => !this.evidencedByExamples(op, e));
        errors.push(...found.map((e) => `${where}: response ${x.status} body${e}`));
      }
    }
    if (x.status === 202 && op.longRunning) {
      const h = lowerKeys(x.responseHeaders ?? {});
      if (!h.location && !h['azure-asyncoperation']) errors.push(`${where}: 202 without a Location or Azure-AsyncOperation header`);
    }
    return { operation: op, errors };
  }

  /**
   * An error body is right when it matches the operation's `default` schema or ARM's error contract
   * `{ error: { code, message, target?, details?, additionalInfo? } }`. Several specs describe the
   * envelope wrongly (Network's `Error` omits the `error` wrapper, Subscriptions' `CloudError` wraps
   * `ErrorResponse` twice) and the SDKs accept both forms; an operation without `default` declares
   * no error shape at all, so only the contract applies.
   */
  private checkError(op: SpecOperation, body: unknown): string[] {
    const contract = this.armErrorContract(body);
    if (!contract.length) return [];
    const schema = op.responses.default?.schema;
    if (schema && body !== undefined && !this.check(schema, 'response', body).length) return [];
    return contract;
  }

  private armErrorContract(body: unknown): string[] {
    let v = this.validators.get('arm-error');
    if (!v) {
      const detail = { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, target: { type: ['string', 'null'] }, details: { type: 'array', items: { $ref: '#/definitions/detail' } }, additionalInfo: { type: 'array' } } };
      v = this.ajv.compile({ type: 'object', required: ['error'], additionalProperties: false, properties: { error: { $ref: '#/definitions/detail' } }, definitions: { detail } });
      this.validators.set('arm-error', v);
    }
    return v(body) ? [] : describeErrors(v.errors ?? []);
  }

  /** Errors of a value against a schema: ' <json path>: <message>' each. */
  check(schema: SchemaAt, mode: Mode, value: unknown): string[] {
    const id = this.schemaId(schema.file, schema.node, mode);
    let v = this.validators.get(id);
    if (!v) {
      v = this.ajv.getSchema(id) as ValidateFunction;
      this.validators.set(id, v);
    }
    return v(value) ? [] : describeErrors(v.errors ?? []);
  }

  /**
   * An undeclared response property that the spec's own examples show Azure returning
   * (e.g. storage's `geoPriorityReplicationStatus`) is not held against the emulator.
   */
  private evidencedByExamples(op: SpecOperation, error: string): boolean {
    if (!this.evidenced) {
      this.evidenced = new Set();
      for (const ex of this.examples()) {
        if (!ex.operation) continue;
        for (const [status, r] of Object.entries(ex.body.responses ?? {})) {
          const schema = ex.operation.responses[status]?.schema;
          if (!schema || r.body === undefined) continue;
          for (const e of this.check(schema, 'response', r.body)) {
            const key = undeclaredKey(ex.operation, e);
            if (key) this.evidenced.add(key);
          }
        }
      }
    }
    const key = undeclaredKey(op, error);
    return key !== undefined && (this.evidenced.has(key) || key in RETURNED_BUT_UNDECLARED);
  }

  /** The schema of a spec node resolved through its `$ref`s (undefined when the target is not vendored). */
  deref(at: SchemaAt): SchemaAt | undefined {
    let cur: SchemaAt | undefined = at;
    for (let i = 0; cur && cur.node?.$ref && i < 20; i++) cur = this.resolveRef(cur.file, cur.node.$ref);
    return cur;
  }

  /** The flattened properties (allOf merged) of an object schema. */
  properties(at: SchemaAt): Record<string, SchemaAt> {
    const s = this.deref(at);
    if (!s) return {};
    const out: Record<string, SchemaAt> = {};
    for (const member of s.node.allOf ?? []) Object.assign(out, this.properties({ file: s.file, node: member }));
    for (const [k, v] of Object.entries(s.node.properties ?? {})) out[k] = { file: s.file, node: v };
    return out;
  }

  /** The item schema of an array schema, or the value schema of a dictionary. */
  element(at: SchemaAt): SchemaAt | undefined {
    const s = this.deref(at);
    if (!s) return undefined;
    if (s.node.items) return { file: s.file, node: s.node.items };
    if (s.node.additionalProperties && typeof s.node.additionalProperties === 'object') return { file: s.file, node: s.node.additionalProperties };
    return undefined;
  }

  isReadOnly(at: SchemaAt): boolean {
    if (at.node?.readOnly) return true;
    const s = this.deref(at);
    return Boolean(s?.node?.readOnly);
  }

  // ---- loading and indexing ----

  private doc(file: string): Json | null {
    if (!this.docs.has(file)) this.docs.set(file, existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
    return this.docs.get(file)!;
  }

  private resolveRef(fromFile: string, ref: string): SchemaAt | undefined {
    const [filePart, pointer = ''] = ref.split('#');
    const file = filePart ? resolve(dirname(fromFile), filePart) : fromFile;
    const doc = this.doc(file);
    if (!doc) return undefined;
    let node = doc;
    for (const raw of pointer.split('/').filter(Boolean)) {
      node = node?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) return undefined;
    }
    return { file, node };
  }

  private index(file: string): void {
    const doc = this.doc(file);
    if (!doc?.swagger) return;
    const specFile = relative(this.root, file);
    const apiVersion = String(doc.info?.version ?? '');
    for (const [rawTemplate, item] of Object.entries<Json>({ ...(doc.paths ?? {}), ...(doc['x-ms-paths'] ?? {}) })) {
      const template = rawTemplate.split('?')[0];
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!op) continue;
        const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
          .map((p: Json) => this.parameter(file, p))
          .filter((p): p is SpecParameter => Boolean(p));
        const { pattern, literalSegments } = compileTemplate(template, parameters);
        if (literalSegments === 0) continue; // e.g. GET /{roleAssignmentId}: only reachable by id, never by our routes
        const responses: SpecOperation['responses'] = {};
        for (const [status, r] of Object.entries<Json>(op.responses ?? {})) {
          const resp = r.$ref ? this.resolveRef(file, r.$ref)?.node : r;
          responses[status] = { schema: resp?.schema ? { file, node: resp.schema } : undefined, headers: resp?.headers };
        }
        const examples: Record<string, string> = {};
        for (const [title, e] of Object.entries<Json>(op['x-ms-examples'] ?? {})) examples[title] = resolve(dirname(file), e.$ref);
        this.operations.push({
          operationId: op.operationId,
          method: method.toUpperCase(),
          template,
          specFile,
          apiVersion,
          parameters,
          responses,
          longRunning: Boolean(op['x-ms-long-running-operation']),
          examples,
          pattern,
          literalSegments,
        });
      }
    }
  }

  private parameter(file: string, p: Json): SpecParameter | undefined {
    const at = p.$ref ? this.resolveRef(file, p.$ref) : { file, node: p };
    if (!at) return undefined;
    const n = at.node;
    return {
      name: n.name,
      in: n.in,
      required: n.required,
      schema: n.in === 'body' && n.schema ? { file: at.file, node: n.schema } : undefined,
      multiSegment: n.in === 'path' && Boolean(n['x-ms-skip-url-encoding']) && !/name$/i.test(n.name),
    };
  }

  // ---- swagger → JSON Schema ----

  /** Registers (once per mode) the converted schema of a spec node and returns its ajv id. */
  private schemaId(file: string, node: Json, mode: Mode): string {
    if (node?.$ref) {
      const target = this.resolveRef(file, node.$ref);
      if (!target) return this.register(`missing:${node.$ref}`, mode, () => ({}));
      const key = `${relative(this.root, target.file)}#${node.$ref.split('#')[1] ?? ''}`;
      return this.register(key, mode, () => this.convert(target.file, target.node, mode));
    }
    const known = this.inlineKeys.get(node);
    const key = known ?? `inline:${this.inlineKeys.set(node, `inline:${this.schemaIds.size}`).get(node)}`;
    return this.register(key, mode, () => this.convert(file, node, mode));
  }

  private register(key: string, mode: Mode, build: () => Json): string {
    const k = `${mode}:${key}`;
    let id = this.schemaIds.get(k);
    if (id) return id;
    id = `urn:spec:${this.schemaIds.size}`;
    this.schemaIds.set(k, id);
    this.ajv.addSchema({ $id: id, ...build() });
    return id;
  }

  private ref(file: string, node: Json, mode: Mode): Json {
    if (node?.$ref) return { $ref: this.schemaId(file, node, mode) };
    return this.convert(file, node, mode);
  }

  private convert(file: string, node: Json, mode: Mode): Json {
    if (!node || typeof node !== 'object') return {};
    if (node.$ref) return this.ref(file, node, mode);
    if (node.type === 'file') return {};
    const out: Json = {};
    if (node.type) out.type = node.type;
    // A bare `type: object` is AutoRest's free-form value (any JSON): Resource Graph's `data` is one, an
    // array in objectArray format (the spec's own examples, e.g. ResourcesFirstPageQuery.json).
    if (node.type === 'object' && !node.properties && !node.allOf && node.additionalProperties === undefined) delete out.type;
    for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf']) {
      if (node[k] !== undefined) out[k] = node[k];
    }
    if (node.exclusiveMinimum === true && node.minimum !== undefined) { out.exclusiveMinimum = node.minimum; delete out.minimum; }
    if (node.exclusiveMaximum === true && node.maximum !== undefined) { out.exclusiveMaximum = node.maximum; delete out.maximum; }
    if (node.pattern && isJsRegExp(node.pattern)) out.pattern = node.pattern;
    if (node.format === 'uuid' && !out.pattern) out.pattern = UUID;
    if (node.format === 'date-time' && !out.pattern) out.pattern = DATE_TIME;
    if (node.format === 'int32') { out.minimum ??= -2147483648; out.maximum ??= 2147483647; }
    if (Array.isArray(node.enum) && node['x-ms-enum']?.modelAsString !== true) {
      if (node.enum.every((e: unknown) => typeof e === 'string')) {
        out.pattern = `^(?:${node.enum.map(caseInsensitive).join('|')})$`;
      } else {
        out.enum = node.enum;
      }
    }
    if (node.items) out.items = this.nullable(file, node.items, mode, node.items['x-nullable'] === true);

    const objectLike = node.properties || node.allOf || node.type === 'object';
    if (objectLike) {
      const { properties, required, open } = this.flatten(file, node);
      if (Object.keys(properties).length || node.allOf) {
        out.properties = {};
        const requiredOut: string[] = [];
        for (const [name, at] of Object.entries(properties)) {
          const readOnly = this.isReadOnly(at);
          if (mode === 'request' && readOnly) {
            out.properties[name] = {};
            continue;
          }
          const isRequired = required.has(name);
          if (isRequired) requiredOut.push(name);
          const xNullable = at.node['x-nullable'] ?? this.deref(at)?.node?.['x-nullable'];
          out.properties[name] = this.nullable(at.file, at.node, mode, xNullable === true || (!isRequired && xNullable !== false));
        }
        if (requiredOut.length) out.required = requiredOut;
      }
      if (node.additionalProperties !== undefined && node.additionalProperties !== false) {
        out.additionalProperties = node.additionalProperties === true ? true : this.nullable(file, node.additionalProperties, mode, node.additionalProperties['x-nullable'] === true);
      } else if (node.additionalProperties === false || (mode === 'response' && !open && out.properties)) {
        out.additionalProperties = false;
      }
      if (!out.type && out.properties) out.type = 'object';
    }
    return out;
  }

  private nullable(file: string, node: Json, mode: Mode, allowNull: boolean): Json {
    const s = this.ref(file, node, mode);
    return allowNull ? { anyOf: [{ type: 'null' }, s] } : s;
  }

  /** allOf members merged into one property set; `open` when a member is polymorphic or free-form. */
  private flatten(file: string, node: Json, depth = 0): { properties: Record<string, SchemaAt>; required: Set<string>; open: boolean } {
    const properties: Record<string, SchemaAt> = {};
    const required = new Set<string>();
    let open = Boolean(node.discriminator) || depth > 10;
    for (const member of node.allOf ?? []) {
      const m = member.$ref ? this.resolveRef(file, member.$ref) : { file, node: member };
      if (!m) { open = true; continue; }
      const f = this.flatten(m.file, m.node, depth + 1);
      Object.assign(properties, f.properties);
      f.required.forEach((r) => required.add(r));
      open ||= f.open;
      if (m.node.additionalProperties) open = true;
    }
    for (const [k, v] of Object.entries(node.properties ?? {})) properties[k] = { file, node: v };
    for (const r of node.required ?? []) required.add(r);
    return { properties, required, open };
  }
}

function compileTemplate(template: string, params: SpecParameter[]): { pattern: RegExp; literalSegments: number } {
  let literalSegments = 0;
  const parts = template.split('/').filter(Boolean).map((seg) => {
    const m = /^\{(.+)\}$/.exec(seg);
    if (!m) {
      literalSegments++;
      return '/' + seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    // A multi-segment path parameter (e.g. parentResourcePath) may also be empty: SDKs document "" for a top-level resource.
    return params.find((p) => p.name === m[1] && p.in === 'path')?.multiSegment ? '(?:/.+)?' : '/[^/]+';
  });
  return { pattern: new RegExp(`^${parts.join('') || '/'}$`, 'i'), literalSegments };
}

function caseInsensitive(s: string): string {
  return [...s].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))).join('');
}

function isJsRegExp(p: string): boolean {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}

function undeclaredKey(op: SpecOperation, error: string): string | undefined {
  const m = /^ (\S+): must NOT have additional properties '([^']+)'$/.exec(error);
  if (!m) return undefined;
  const path = m[1].replace(/\/value\/\d+/, '').replace(/\/\d+(?=\/|$)/g, '/*');
  return `${op.specFile}|${path}|${m[2]}`;
}

function lowerKeys(h: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function describeErrors(errors: ErrorObject[]): string[] {
  // anyOf wrappers for nullability repeat the inner error; keep the most specific ones.
  const useful = errors.filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of useful.length ? useful : errors) {
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'`
      : e.keyword === 'enum' ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}` : '';
    const line = ` ${e.instancePath || '/'}: ${e.message}${extra}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

function jsonFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.name.endsWith('.json')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

let shared: SpecCatalog | undefined;
/** One catalog per process: loading and compiling the specs is the expensive part. */
export function specCatalog(): SpecCatalog {
  shared ??= new SpecCatalog();
  return shared;
}
