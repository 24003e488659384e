import { OutcropError } from '../core/errors.js';
import type { MemberModel, ServiceModel, ShapeModel } from './model-types.js';

/**
 * Reads a JSON value against a Smithy shape: checks types, converts timestamps and blobs, and collects
 * constraint violations (required, length, range, pattern, enum) in AWS's message format:
 * `1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null`.
 */
export class ShapeReader {
  private readonly violations: string[] = [];
  private static readonly patterns = new Map<string, RegExp | null>();

  constructor(private readonly service: ServiceModel) {}

  /** Reads a structure's body members (those without HTTP bindings). */
  readStructure(ref: string, value: unknown, path: string, skipBound: boolean): Record<string, unknown> {
    const shape = this.shape(ref);
    if (shape.t !== 'structure') throw new Error(`${ref} is not a structure`);
    if (value === undefined || value === null) value = {};
    if (!isPlainObject(value)) this.typeError(path || 'body', 'an object', value);
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const name in shape.m) {
      const member = shape.m[name] as MemberModel;
      if (skipBound && (member.l || member.q !== undefined || member.h !== undefined || member.p)) continue;
      const child = input[name];
      const childPath = path ? `${path}.${name}` : name;
      if (child === undefined || child === null) {
        if (member.r) this.violation(childPath, null, 'Member must not be null');
        continue;
      }
      out[name] = this.read(member.s, child, childPath, member);
    }
    return out;
  }

  /** Records an absent required member (one bound to a label, query parameter or header). */
  missing(path: string): void {
    this.violation(path, null, 'Member must not be null');
  }

  /** Throws the collected violations as one ValidationException. */
  finish(): void {
    if (this.violations.length === 0) return;
    const count = this.violations.length;
    throw new OutcropError(
      'ValidationException',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.violations.join('; ')}`,
    );
  }

  read(ref: string, value: unknown, path: string, member?: MemberModel): unknown {
    const shape = this.shape(ref);
    switch (shape.t) {
      case 'structure': {
        const result = this.readStructure(ref, value, path, false);
        return result;
      }
      case 'union': {
        if (!isPlainObject(value)) this.typeError(path, 'an object', value);
        const entries = Object.entries(value as Record<string, unknown>).filter(([key, v]) => v !== null && v !== undefined && key !== '__type');
        // Own members only: `toString` or `__proto__` must not pass for a member through the prototype.
        const known = entries.filter(([key]) => Object.hasOwn(shape.m, key));
        if (known.length !== 1 || entries.length !== 1) {
          if (entries.length === 1 && known.length === 0) {
            this.violation(path, null, `Member must be one of [${Object.keys(shape.m).join(', ')}], found unknown member '${entries[0]?.[0]}'`);
          } else {
            this.violation(path, null, 'Union must have exactly one member set');
          }
          return undefined;
        }
        const [key, child] = known[0] as [string, unknown];
        const memberModel = shape.m[key] as MemberModel;
        return { [key]: this.read(memberModel.s, child, `${path}.${key}`, memberModel) };
      }
      case 'list': {
        if (!Array.isArray(value)) this.typeError(path, 'a list', value);
        const list = value as unknown[];
        this.checkLength(path, list, list.length, shape.len ?? member?.len);
        const out = new Array(list.length);
        for (let index = 0; index < list.length; index++) {
          const item = list[index];
          const itemPath = `${path}.${index + 1}.member`;
          if (item === null || item === undefined) {
            this.violation(itemPath, null, 'Member must not be null');
            continue;
          }
          out[index] = this.read(shape.m, item, itemPath);
        }
        return out;
      }
      case 'map': {
        if (!isPlainObject(value)) this.typeError(path, 'a map', value);
        const map = value as Record<string, unknown>;
        const keys = Object.keys(map);
        this.checkLength(path, map, keys.length, shape.len ?? member?.len);
        const out: Record<string, unknown> = {};
        for (const key of keys) {
          this.read(shape.k, key, `${path}.key`);
          const item = map[key];
          if (item === null || item === undefined) continue;
          const read = this.read(shape.v, item, `${path}.${key}`);
          // A plain assignment to `__proto__` would replace the prototype and drop the entry.
          if (key === '__proto__') Object.defineProperty(out, key, { value: read, enumerable: true, writable: true, configurable: true });
          else out[key] = read;
        }
        return out;
      }
      case 'string': {
        if (typeof value !== 'string') this.typeError(path, 'a string', value);
        const text = value as string;
        const length = shape.len ?? member?.len;
        const lengthOk = this.checkLength(path, text, stringLength(text, length), length);
        if (shape.enum && !shape.enum.includes(text)) {
          this.violation(path, text, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
        }
        const pattern = shape.pat ?? member?.pat;
        if (pattern && lengthOk && !this.testPattern(pattern, text)) {
          this.violation(path, text, `Member must satisfy regular expression pattern: ${pattern}`);
        }
        return text;
      }
      case 'blob': {
        if (typeof value !== 'string' || !base64Pattern.test(value)) this.typeError(path, 'a base64-encoded string', value);
        const bytes = Buffer.from(value as string, 'base64');
        this.checkLength(path, '<blob>', bytes.length, shape.len ?? member?.len);
        return bytes;
      }
      case 'boolean':
        if (typeof value !== 'boolean') this.typeError(path, 'a boolean', value);
        return value;
      case 'timestamp': {
        if (typeof value === 'number' && Number.isFinite(value)) return new Date(value * 1000);
        if (typeof value === 'string') {
          const date = new Date(value);
          if (!Number.isNaN(date.getTime())) return date;
        }
        return this.typeError(path, 'a timestamp', value);
      }
      case 'document':
        return value;
      default: {
        if (typeof value !== 'number' || !Number.isFinite(value)) this.typeError(path, 'a number', value);
        const number = value as number;
        if ((shape.t === 'integer' || shape.t === 'long' || shape.t === 'short' || shape.t === 'byte') && !Number.isInteger(number)) {
          this.typeError(path, 'an integer', value);
        }
        const limit = integerLimits[shape.t];
        if (limit !== undefined && (number < -limit - 1 || number > limit)) this.typeError(path, `a ${shape.t} from ${-limit - 1} to ${limit}`, value);
        const range = shape.range ?? member?.range;
        if (range) {
          const [min, max] = range;
          if (min !== null && number < min) this.violation(path, number, `Member must have value greater than or equal to ${min}`);
          else if (max !== null && number > max) this.violation(path, number, `Member must have value less than or equal to ${max}`);
        }
        return number;
      }
    }
  }

  /** Converts a string from a label, query or header into the member's type. */
  readText(member: MemberModel, text: string, path: string): unknown {
    const shape = this.shape(member.s);
    switch (shape.t) {
      case 'integer':
      case 'long':
      case 'short':
      case 'byte':
      case 'float':
      case 'double': {
        const number = Number(text);
        if (text.trim() === '' || !Number.isFinite(number)) this.typeError(path, 'a number', text);
        return this.read(member.s, number, path, member);
      }
      case 'boolean':
        if (text !== 'true' && text !== 'false') this.typeError(path, 'a boolean', text);
        return text === 'true';
      case 'timestamp': {
        const date = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
        if (Number.isNaN(date.getTime())) this.typeError(path, 'a timestamp', text);
        return date;
      }
      case 'blob':
        return Buffer.from(text, 'base64');
      default:
        return this.read(member.s, text, path, member);
    }
  }

  shape(ref: string): ShapeModel {
    const shape = this.service.shapes[ref];
    if (!shape) throw new Error(`unknown shape ${ref}`);
    return shape;
  }

  private checkLength(path: string, value: unknown, length: number, bounds: [number | null, number | null] | undefined): boolean {
    if (!bounds) return true;
    const [min, max] = bounds;
    if (min !== null && length < min) {
      this.violation(path, value, `Member must have length greater than or equal to ${min}`);
      return false;
    }
    if (max !== null && length > max) {
      this.violation(path, value, `Member must have length less than or equal to ${max}`);
      return false;
    }
    return true;
  }

  private testPattern(pattern: string, text: string): boolean {
    let regex = ShapeReader.patterns.get(pattern);
    if (regex === undefined) {
      regex = compilePattern(pattern);
      ShapeReader.patterns.set(pattern, regex);
    }
    return regex === null || regex.test(text);
  }

  private violation(path: string, value: unknown, constraint: string): void {
    if (this.violations.length >= 10) return;
    this.violations.push(`Value ${describe(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  private typeError(path: string, expected: string, value: unknown): never {
    throw new OutcropError(
      'ValidationException',
      `1 validation error detected: Value ${describe(value)} at '${path}' failed to satisfy constraint: Member must be ${expected}`,
    );
  }
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const integerLimits: Record<string, number> = { byte: 127, short: 32767, integer: 2147483647, long: Number.MAX_SAFE_INTEGER };

function compilePattern(pattern: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch {
      // try the next flavour
    }
  }
  return null;
}

function stringLength(text: string, bounds: [number | null, number | null] | undefined): number {
  if (!bounds) return text.length;
  // Smithy counts Unicode scalar values; surrogate pairs count once.
  let length = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) length--;
  }
  return length;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `'${value}'`;
  if (Array.isArray(value)) return 'of type list';
  return 'of type object';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
