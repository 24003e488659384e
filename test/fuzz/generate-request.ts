import type { MemberModel, OperationModel, ServiceModel } from '../../src/protocol/model-types.js';
import type { Random } from './random.js';

/** One generated request, with what it was generated from (to report and replay failures). */
export interface FuzzCase {
  service: string;
  operation: string;
  /** how the request was broken, e.g. `truncated`, `deep-array` */
  mutation: string;
  method: string;
  /** raw request target: percent-encoded path and query, sent verbatim */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** the request names a model of the test catalog, so backend errors (424, 503, ...) may come back */
  realModel: boolean;
}

/** JSON text spliced into a generated value as is (huge numbers, deep nesting, `NaN`). */
class RawJson {
  constructor(readonly text: string) {}
}

/** An object serialized with the same key more than once. */
class DuplicateKeys {
  constructor(readonly entries: [string, unknown][]) {}
}

export const deepNesting = 10_000;

const runtimeModelOperations = new Set(['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream', 'CountTokens']);
const unicodePieces = ['é', '日本語', '🪨', '\u200b', '\u202e', 'ﷺ', '\uffff', '\u0000', 'Ω', 'e\u0301', '\ufeff', '𝕏', 'ß', '\u2028'];
const specialStrings = [
  '../../etc/passwd',
  "' OR 1=1 --",
  '$' + '{jndi:ldap://x}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'arn:aws:bedrock:us-east-1::foundation-model/no.such-model',
  'arn:aws:bedrock:us-east-1:000000000000:agent/ABCDEFGHIJ',
  'arn:aws:bedrock:us-east-1:000000000000:session/x',
  'null',
  'undefined',
  'NaN',
  '%s%s%n',
  ' ',
];
/** Path segments that are not valid percent-encoding, or are special to path normalization. */
const junkSegments = ['%zz', '%', '%2', '%e2%82', '%ED%A0%80', '%00', '..', '.', '%2F', '%2e%2e', '%C0%AF', '%FF', ';', '@', ':', '%25', '+', '%20', '~', '!$&\'()*,='];
const nanText = [
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  'null',
  'true',
  '"a string"',
  '[]',
  '0',
  '-',
  '{',
  '}',
  '{"a":NaN}',
  "{'a':1}",
  '{a:1}',
  '\ufeff{}',
  '{}garbage',
  '{"a":1,}',
  '/* comment */ {}',
  '0x10',
  '1_000',
  '{"a":01}',
  '{"a":.5}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '"\\u0000"',
  '{"":{}}',
  ' \n\t ',
];
const hugeNumbers = ['1e999', '-1e999', '123456789012345678901234567890', '1e-999', '-0', '9007199254740993', '1.7976931348623157e309', '0.0000000000000000000000001', '-9223372036854775809', '18446744073709551616'];
const contentTypes = ['application/json', 'text/plain', 'application/x-amz-json-1.1', 'application/octet-stream', 'multipart/form-data; boundary=x', 'garbage', 'application/json; charset=latin1', '*/*'];

/** Generates malformed requests for every operation of the given services, from their Smithy models. */
export class RequestGenerator {
  private readonly operations: { service: ServiceModel; operation: OperationModel }[] = [];
  private readonly cyclicPaths = new Map<ServiceModel, Map<string, string[] | null>>();

  constructor(services: ServiceModel[]) {
    for (const service of services) for (const operation of service.operations) this.operations.push({ service, operation });
  }

  get operationCount(): number {
    return this.operations.length;
  }

  /** Case `index` covers operation `index % operationCount`, so every route gets its share. */
  generate(index: number, random: Random): FuzzCase {
    const { service, operation } = this.operations[index % this.operations.length] as { service: ServiceModel; operation: OperationModel };
    const realModel = service.name === 'bedrock-runtime' && runtimeModelOperations.has(operation.name) && random.chance(0.25);
    const mutation = random.weighted<string>([
      [10, 'valid-looking'],
      [18, 'member-mutated'],
      [12, 'wrong-type'],
      [8, 'truncated'],
      [6, 'huge-number'],
      [4, 'deep-array'],
      [3, 'deep-object'],
      [4, 'deep-recursive'],
      [5, 'random-bytes'],
      [6, 'duplicate-keys'],
      [6, 'nan-ish'],
      [5, 'proto-keys'],
      [3, 'proto-key-only'],
      [3, 'invalid-utf8'],
      [4, 'empty'],
      [1, 'huge-string'],
      [0.3, 'oversized'],
    ]);
    const method = random.chance(0.06) ? random.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) : operation.method;
    const headers: Record<string, string> = {};
    const path = this.path(operation, random, realModel) + this.query(service, operation, random);
    this.headers(service, operation, random, headers);
    const body = this.body(service, operation, mutation, random);
    if (body !== undefined && random.chance(0.15)) headers['content-type'] = random.pick(contentTypes);
    return { service: service.name, operation: operation.name, mutation, method, path, headers, body, realModel };
  }

  private path(operation: OperationModel, random: Random, realModel: boolean): string {
    const [template = '/'] = operation.uri.split('?', 1);
    let path = template.replace(/\{([^}+]+)(\+)?\}/g, (_, name: string, greedy: string | undefined) => {
      if (realModel && name === 'modelId') return random.chance(0.8) ? 'outcrop.text' : encodeURIComponent('arn:aws:bedrock:us-east-1::foundation-model/outcrop.text');
      if (greedy) return Array.from({ length: random.int(1, 4) }, () => label(random)).join('/');
      return label(random);
    });
    if (random.chance(0.03)) path += '/';
    if (random.chance(0.02)) path = path.replace('/', '//');
    if (random.chance(0.02)) path += `/${label(random)}`;
    return path;
  }

  private query(service: ServiceModel, operation: OperationModel, random: Random): string {
    const pairs: string[] = [];
    const literal = operation.uri.split('?', 2)[1];
    if (literal && random.chance(0.9)) pairs.push(literal);
    const input = operation.input ? service.shapes[operation.input] : undefined;
    if (input?.t === 'structure') {
      for (const member of Object.values(input.m)) {
        if (member.q === undefined || !random.chance(0.5)) continue;
        const target = service.shapes[member.s];
        const elementShape = target?.t === 'list' ? target.m : member.s;
        const count = target?.t === 'list' || random.chance(0.05) ? random.int(1, 3) : 1;
        for (let index = 0; index < count; index++) pairs.push(`${encodeURIComponent(member.q)}=${queryValue(service, elementShape, random)}`);
      }
    }
    if (random.chance(0.15)) {
      pairs.push(
        random.pick([
          'a=%zz',
          '&&&',
          '=',
          'a',
          'a=b=c',
          '%',
          '+=+',
          'X-Amz-Signature=00',
          `${encodeURIComponent(randomText(random, 12))}=${encodeURIComponent(randomText(random, 12))}`,
          `long=${'q'.repeat(random.int(100, 3000))}`,
        ]),
      );
    }
    return pairs.length ? `?${pairs.join('&')}` : random.chance(0.02) ? '?' : '';
  }

  private headers(service: ServiceModel, operation: OperationModel, random: Random, headers: Record<string, string>): void {
    const input = operation.input ? service.shapes[operation.input] : undefined;
    if (input?.t !== 'structure') return;
    for (const member of Object.values(input.m)) {
      if (member.h === undefined || !random.chance(0.5)) continue;
      const target = service.shapes[member.s];
      headers[member.h.toLowerCase()] =
        target?.t === 'string' && target.enum && random.chance(0.5)
          ? random.pick(target.enum)
          : random.pick(['', 'x', '1', '-1', 'true', '{"a":1}', 'e30=', '%zz', 'a'.repeat(random.int(100, 4000)), 'ENABLED', 'application/json', '*/*', 'a, b, c']);
    }
  }

  private body(service: ServiceModel, operation: OperationModel, mutation: string, random: Random): Buffer | undefined {
    if (mutation === 'empty') return undefined;
    if (mutation === 'random-bytes') return random.bytes(random.int(1, 2000));
    if (mutation === 'nan-ish') return Buffer.from(random.pick(nanText));
    if (mutation === 'oversized') return Buffer.alloc(1024 * 1024 + random.int(1, 65536), 0x61);
    const input = operation.input ? service.shapes[operation.input] : undefined;
    const payload = input?.t === 'structure' ? Object.values(input.m).find((member) => member.p) : undefined;
    const sampler = new Sampler(service, random);
    let value: unknown;
    let forced: string[] | null = null;
    if (mutation === 'deep-recursive') forced = this.pathToCycle(service, payload ? payload.s : operation.input);
    const leaf = () => (forced ? new RawJson(this.deepCycle(service, sampler, forced)) : null);
    if (payload) {
      const target = service.shapes[payload.s];
      if (target?.t === 'blob' || target?.t === 'string') {
        if (mutation === 'valid-looking') return Buffer.from(JSON.stringify({ prompt: randomText(random, 40), max_tokens: random.int(-5, 50) }));
        if (mutation === 'huge-string') return Buffer.alloc(random.int(300_000, 900_000), 0x62);
      }
      value = sampler.sample(payload.s, 1, forced, leaf);
    } else if (operation.input) {
      value = sampler.sample(operation.input, 0, forced, leaf);
    } else {
      value = {};
    }
    switch (mutation) {
      case 'member-mutated':
        value = replaceNode(value, random, (original) => mutateMember(original, random));
        break;
      case 'wrong-type':
        value = replaceNode(value, random, (original) => wrongType(original, random));
        break;
      case 'huge-number':
        value = replaceNode(value, random, () => new RawJson(random.pick(hugeNumbers)));
        break;
      case 'deep-array':
        value = replaceNode(value, random, () => new RawJson(`${'['.repeat(deepNesting)}${']'.repeat(deepNesting)}`));
        break;
      case 'deep-object':
        value = replaceNode(value, random, () => new RawJson(`${'{"a":'.repeat(deepNesting)}1${'}'.repeat(deepNesting)}`));
        break;
      case 'deep-recursive':
        if (!forced) value = replaceNode(value, random, () => new RawJson(`${'[{"a":'.repeat(deepNesting / 2)}1${'}]'.repeat(deepNesting / 2)}`));
        break;
      case 'duplicate-keys':
        value = replaceNode(value, random, (original) => duplicateKeys(original, random), true);
        break;
      case 'proto-keys':
        value = replaceNode(
          value,
          random,
          (original) =>
            new DuplicateKeys([
              [random.pick(['__proto__', 'constructor', 'toString', 'prototype', 'hasOwnProperty', 'valueOf']), random.pick([{ polluted: true }, 'x', 1, [], null])],
              ...(isObject(original) ? Object.entries(original) : []),
            ]),
          true,
        );
        break;
      case 'proto-key-only':
        // An object whose only key is inherited from Object.prototype: a union must not take it for a member.
        value = replaceNode(
          value,
          random,
          () => new DuplicateKeys([[random.pick(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty']), random.pick([{ text: 'x' }, 'x', 1, []])]]),
          true,
        );
        break;
      case 'huge-string':
        value = replaceNode(value, random, () => 'h'.repeat(random.int(300_000, 900_000)));
        break;
    }
    let text = serialize(value);
    if (mutation === 'truncated') text = text.slice(0, random.int(0, Math.max(0, text.length - 1)));
    if (mutation === 'invalid-utf8') {
      const at = text.lastIndexOf('"');
      const bytes = random.pick([[0xc3, 0x28], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]);
      return at > 0 ? Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]) : Buffer.concat([Buffer.from(bytes), Buffer.from(text)]);
    }
    return Buffer.from(text);
  }

  /** Member steps from `ref` to the first shape that contains itself, or null when there is none. */
  private pathToCycle(service: ServiceModel, ref: string | null): string[] | null {
    if (!ref) return null;
    let byRoot = this.cyclicPaths.get(service);
    if (!byRoot) {
      byRoot = new Map();
      this.cyclicPaths.set(service, byRoot);
    }
    if (byRoot.has(ref)) return byRoot.get(ref) ?? null;
    const seen = new Set<string>([ref]);
    const queue: [string, string[]][] = [[ref, []]];
    let found: string[] | null = null;
    while (queue.length && !found) {
      const [current, steps] = queue.shift() as [string, string[]];
      if (steps.length && cycleFrom(service, current)) {
        found = steps;
        break;
      }
      for (const [step, child] of children(service, current, steps.length === 0)) {
        if (seen.has(child)) continue;
        seen.add(child);
        queue.push([child, [...steps, `${step}>${child}`]]);
      }
    }
    byRoot.set(ref, found);
    return found;
  }

  /** JSON nesting the cyclic shape at the end of `steps` into itself `deepNesting` times. */
  private deepCycle(service: ServiceModel, sampler: Sampler, steps: string[]): string {
    const ref = (steps[steps.length - 1] as string).split('>')[1] as string;
    const cycle = cycleFrom(service, ref) as string[];
    let open = '';
    let close = '';
    let current = ref;
    for (const step of cycle) {
      const [name = '', child = ''] = step.split('>');
      const shape = service.shapes[current];
      if (shape?.t === 'list') {
        open += '[';
        close = `]${close}`;
      } else {
        open += `{${JSON.stringify(shape?.t === 'map' ? 'key' : name)}:`;
        close = `}${close}`;
      }
      current = child;
    }
    const repeat = Math.max(1, Math.floor(deepNesting / Math.max(1, cycle.length)));
    return `${open.repeat(repeat)}${serialize(sampler.sample(ref, 8, null, () => null))}${close.repeat(repeat)}`;
  }
}

/** Member steps (`name>Target`) that lead from `ref` back to itself, or null. */
function cycleFrom(service: ServiceModel, ref: string): string[] | null {
  const seen = new Set<string>();
  const queue: [string, string[]][] = [[ref, []]];
  while (queue.length) {
    const [current, steps] = queue.shift() as [string, string[]];
    for (const [step, child] of children(service, current, false)) {
      if (child === ref) return [...steps, `${step}>${child}`];
      if (seen.has(child)) continue;
      seen.add(child);
      queue.push([child, [...steps, `${step}>${child}`]]);
    }
  }
  return null;
}

function children(service: ServiceModel, ref: string, topLevel: boolean): [string, string][] {
  const shape = service.shapes[ref];
  if (!shape) return [];
  if (shape.t === 'structure' || shape.t === 'union') {
    return Object.entries(shape.m)
      .filter(([, member]) => !(topLevel && isBound(member)))
      .map(([name, member]) => [name, member.s]);
  }
  if (shape.t === 'list') return [['[]', shape.m]];
  if (shape.t === 'map') return [['{}', shape.v]];
  return [];
}

function isBound(member: MemberModel): boolean {
  return Boolean(member.l || member.q !== undefined || member.h !== undefined || member.p);
}

/** Produces plausible values of a shape: required members, some optional ones, values within constraints. */
class Sampler {
  constructor(
    private readonly service: ServiceModel,
    private readonly random: Random,
  ) {}

  /** `forced` names the member steps to follow (`name>Target`); `leaf` gives the value at their end. */
  sample(ref: string, depth: number, forced: string[] | null, leaf: () => unknown): unknown {
    if (forced && forced.length === 0) return leaf();
    const random = this.random;
    const shape = this.service.shapes[ref];
    const [next, rest] = forced ? [(forced[0] as string).split('>')[0], forced.slice(1)] : [undefined, null];
    if (!shape || depth > 14) return null;
    switch (shape.t) {
      case 'structure': {
        const out: Record<string, unknown> = {};
        for (const [name, member] of Object.entries(shape.m)) {
          if (depth === 0 && isBound(member)) continue;
          if (name === next) out[name] = this.sample(member.s, depth + 1, rest, leaf);
          else if (member.r || (depth < 6 && random.chance(0.3))) out[name] = this.sample(member.s, depth + 1, null, leaf);
        }
        return out;
      }
      case 'union': {
        const name = next ?? random.pick(Object.keys(shape.m));
        return { [name]: this.sample((shape.m[name] as MemberModel).s, depth + 1, next ? rest : null, leaf) };
      }
      case 'list': {
        const count = next ? 1 : depth > 6 ? 0 : random.int(shape.len?.[0] ?? 0, Math.min(3, shape.len?.[1] ?? 3));
        return Array.from({ length: count }, (_, index) => this.sample(shape.m, depth + 1, index === 0 ? rest : null, leaf));
      }
      case 'map': {
        const out: Record<string, unknown> = {};
        const count = next ? 1 : depth > 6 ? 0 : random.int(0, 2);
        for (let index = 0; index < count; index++) out[index === 0 && next ? 'key' : randomText(random, 8) || 'k'] = this.sample(shape.v, depth + 1, index === 0 ? rest : null, leaf);
        return out;
      }
      case 'string': {
        if (shape.enum) return random.pick(shape.enum);
        // Lengths within the shape's bounds, capped at 40: long strings are a mutation of their own.
        const min = Math.min(shape.len?.[0] ?? 1, 40);
        const max = Math.max(min, Math.min(shape.len?.[1] ?? 40, 40));
        return randomText(random, random.int(min, max));
      }
      case 'blob':
        return random.bytes(random.int(1, 24)).toString('base64');
      case 'boolean':
        return random.chance(0.5);
      case 'timestamp':
        return random.chance(0.5) ? random.int(0, 2_000_000_000) : new Date(random.int(0, 2_000_000_000) * 1000).toISOString();
      case 'document':
        return random.pick([{ a: 1 }, [1, 'two', null], 'text', 42, true, { nested: { list: [{}] } }]);
      default: {
        const [min, max] = shape.range ?? [null, null];
        const low = min ?? 0;
        const high = max ?? low + 100;
        const integral = shape.t !== 'float' && shape.t !== 'double';
        return integral ? random.int(Math.ceil(low), Math.floor(Math.min(high, low + 1000))) : low + random.next() * (high - low);
      }
    }
  }
}

/** Replaces one node of a JSON tree (the root or a member, element or entry at any depth). */
function replaceNode(root: unknown, random: Random, replace: (original: unknown) => unknown, objectsOnly = false): unknown {
  const nodes: [Record<string, unknown> | unknown[] | null, string | number][] = [[null, 0]];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (!objectsOnly || isObject(item)) nodes.push([value, index]);
        visit(item);
      });
    } else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (!objectsOnly || isObject(item)) nodes.push([value, key]);
        visit(item);
      }
    }
  };
  visit(root);
  const [parent, key] = random.pick(nodes);
  if (parent === null) return replace(root);
  (parent as Record<string | number, unknown>)[key] = replace((parent as Record<string | number, unknown>)[key]);
  return root;
}

function mutateMember(original: unknown, random: Random): unknown {
  if (typeof original === 'number') return random.pick([0, -1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, 0.5, -0.000001, 2 ** 31 - 1]);
  if (typeof original === 'string') {
    return random.pick([
      '',
      ' ',
      'x'.repeat(random.int(300, 70_000)),
      `NOT_AN_ENUM_${randomText(random, 5)}`,
      unicodeText(random, 30),
      '\ud800',
      '\udfff\ud800',
      '2024-13-45T99:99:99Z',
      '!!!not base64!!!',
      ...specialStrings,
    ]);
  }
  if (typeof original === 'boolean') return random.pick(['true', 0, 1, null]);
  if (Array.isArray(original)) return random.pick([[], Array.from({ length: random.int(100, 1200) }, () => original[0] ?? 'x'), [null], [[]], [original]]);
  if (isObject(original)) {
    const copy: Record<string, unknown> = { ...original };
    const keys = Object.keys(copy);
    const action = random.int(0, 3);
    if (action === 0 && keys.length) delete copy[random.pick(keys)];
    else if (action === 1) copy[`unknownMember${random.int(0, 99)}`] = random.pick([1, 'x', {}, []]);
    else if (action === 2) copy[random.pick(['text', 'image', 'toolUse', 'document', 'andAll', 'equals', 'key', 'value'])] = { x: 1 };
    else return {};
    return copy;
  }
  return random.pick([0, 'x', {}, [], true]);
}

function wrongType(original: unknown, random: Random): unknown {
  const choices: unknown[] = [123, -1, 1.5, 'str', '', true, false, null, [], {}, [1, 'a', null], { x: 1 }];
  const kind = (value: unknown) => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
  const other = choices.filter((choice) => kind(choice) !== kind(original));
  return random.pick(other);
}

function duplicateKeys(original: unknown, random: Random): unknown {
  if (!isObject(original)) return original;
  const entries = Object.entries(original);
  if (!entries.length) return new DuplicateKeys([['a', 1], ['a', 'two']]);
  const [key, value] = random.pick(entries);
  const decoy = wrongType(value, random);
  return new DuplicateKeys(random.chance(0.5) ? [[key, decoy], ...entries] : [...entries, [key, decoy]]);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson) && !(value instanceof DuplicateKeys);
}

/** JSON text of a generated value; `RawJson` is spliced in, `DuplicateKeys` keeps its repeats. */
export function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof DuplicateKeys) return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function randomText(random: Random, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
  let out = '';
  for (let index = 0; index < length; index++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

function unicodeText(random: Random, pieces: number): string {
  let out = '';
  for (let index = 0; index < pieces; index++) out += random.pick(unicodePieces);
  return out;
}

/** A path label: plain, unicode, overlong, empty-ish, or not valid percent-encoding. */
function label(random: Random): string {
  return random.weighted<() => string>([
    [4, () => encodeURIComponent(randomText(random, random.int(1, 20)))],
    [3, () => encodeURIComponent(unicodeText(random, random.int(1, 8)))],
    [2, () => 'x'.repeat(random.int(256, 3000))],
    [3, () => random.pick(junkSegments)],
    [2, () => `${encodeURIComponent(randomText(random, 4))}${random.pick(junkSegments)}`],
    [1, () => ''],
    [2, () => encodeURIComponent(random.pick(specialStrings))],
  ])();
}

function queryValue(service: ServiceModel, ref: string, random: Random): string {
  const shape = service.shapes[ref];
  if (random.chance(0.2)) return random.pick(['', '%zz', '%', encodeURIComponent(unicodeText(random, 5)), 'x'.repeat(random.int(100, 2000))]);
  switch (shape?.t) {
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
    case 'float':
    case 'double':
      return random.pick(['abc', '-1', '0', '1e999', 'NaN', '1.5', '99999999999999999999', '0x10', '%205', '5%20', '10', '1000', 'Infinity']);
    case 'boolean':
      return random.pick(['true', 'false', 'TRUE', '1', 'yes', '']);
    case 'timestamp':
      return random.pick(['2024-01-01T00:00:00Z', 'yesterday', '1700000000', '-1', '1e20', '2024-02-30', '1700000000.5']);
    case 'string':
      if (shape.enum && random.chance(0.6)) return encodeURIComponent(random.pick(shape.enum));
      return encodeURIComponent(random.chance(0.5) ? randomText(random, random.int(1, 30)) : random.pick(specialStrings));
    default:
      return encodeURIComponent(randomText(random, 8));
  }
}
