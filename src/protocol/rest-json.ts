import { randomUUID } from 'node:crypto';
import { OutcropError } from '../core/errors.js';
import type { MemberModel, OperationModel, ServiceModel, ShapeModel } from './model-types.js';
import { isPlainObject, ShapeReader } from './shape-reader.js';

export type HeaderSource = Record<string, string | string[] | undefined>;

/** The parts of an HTTP request the restJson1 binding reads. */
export interface WireRequest {
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: HeaderSource;
  body: Buffer;
}

/**
 * Builds an operation's input from a request per the restJson1 bindings of its model: labels, query
 * strings, headers, an `httpPayload` member (raw blob or JSON structure), or the JSON body.
 * Throws `ValidationException` naming the member that fails.
 */
export function readInput(service: ServiceModel, operation: OperationModel, request: WireRequest): Record<string, unknown> {
  if (!operation.input) return {};
  const reader = new ShapeReader(service);
  const shape = reader.shape(operation.input);
  if (shape.t !== 'structure') throw new Error(`input ${operation.input} is not a structure`);
  let payloadMember: [string, MemberModel] | null = null;
  let hasBodyMembers = false;
  for (const name in shape.m) {
    const member = shape.m[name] as MemberModel;
    if (member.p) payloadMember = [name, member];
    else if (!member.l && member.q === undefined && member.h === undefined) hasBodyMembers = true;
  }
  let input: Record<string, unknown>;
  if (payloadMember) {
    input = {};
    const [name, member] = payloadMember;
    const target = reader.shape(member.s);
    if (target.t === 'blob' || (target.t === 'string' && !target.enum)) {
      if (request.body.length > 0) input[name] = target.t === 'blob' ? request.body : request.body.toString('utf8');
    } else if (target.t === 'union' && target.stream) {
      throw new OutcropError('ValidationException', `${operation.name} takes an input event stream, which this endpoint does not accept yet`);
    } else if (request.body.length > 0) {
      input[name] = reader.read(member.s, parseJson(request.body), name, member);
    }
    if (member.r && input[name] === undefined) {
      throw new OutcropError('ValidationException', `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    }
  } else if (hasBodyMembers) {
    const json = request.body.length > 0 ? parseJson(request.body) : {};
    input = reader.readStructure(operation.input, json, '', true);
  } else {
    input = {};
  }
  for (const name in shape.m) {
    const member = shape.m[name] as MemberModel;
    let text: string | undefined;
    if (member.l) {
      text = request.labels[name];
    } else if (member.q !== undefined) {
      const target = reader.shape(member.s);
      if (target.t === 'list') {
        const values = request.query.getAll(member.q);
        if (values.length) input[name] = values.map((value, index) => reader.readText({ s: target.m }, value, `${name}.${index + 1}.member`));
        continue;
      }
      text = request.query.get(member.q) ?? undefined;
    } else if (member.h !== undefined) {
      const raw = request.headers[member.h.toLowerCase()];
      text = Array.isArray(raw) ? raw.join(', ') : raw;
      const target = reader.shape(member.s);
      if (text !== undefined && target.t === 'list') {
        input[name] = text.split(',').map((value) => value.trim());
        continue;
      }
    } else {
      if (member.idem && input[name] === undefined) input[name] = randomUUID();
      continue;
    }
    if (text === undefined) {
      if (member.idem) input[name] = randomUUID();
      continue;
    }
    input[name] = reader.readText(member, text, name);
  }
  // Required members with HTTP bindings are checked here, body members inside readStructure.
  for (const name in shape.m) {
    const member = shape.m[name] as MemberModel;
    if (member.r && !member.p && (member.l || member.q !== undefined || member.h !== undefined) && input[name] === undefined) reader.missing(name);
  }
  reader.finish();
  return input;
}

/**
 * The deepest JSON nesting accepted, as in the JSON parser behind AWS's services (Jackson's default
 * `maxNestingDepth`). Deeper input would overflow the stack of the recursive shape reader, or of
 * `JSON.stringify` when a document member is sent on to a model.
 */
export const maxJsonNesting = 1000;

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OutcropError('ValidationException', `Malformed input request: the body is not valid JSON (${(error as Error).message})`);
  }
  if (text.length > maxJsonNesting && nestsDeeperThan(value, maxJsonNesting)) {
    throw new OutcropError('ValidationException', `Malformed input request: the body nests JSON objects and arrays deeper than ${maxJsonNesting} levels.`);
  }
  return value;
}

/** Whether parsed JSON nests objects and arrays deeper than `limit`; iterative, so any depth is safe to check. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  while (pending.length) {
    const current = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** A serialized non-streaming response. */
export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

const needsReplacer = new WeakMap<ServiceModel, Map<string, boolean>>();

/**
 * Serializes an operation's output: header members to headers, an `httpPayload` blob as the raw body,
 * everything else as JSON (timestamps as epoch seconds or their modeled `@timestampFormat`, blobs as base64).
 * Event-stream outputs are written by the caller; this returns their headers only.
 */
export function writeOutput(service: ServiceModel, operation: OperationModel, output: Record<string, unknown>): WireResponse {
  const headers: Record<string, string> = {};
  if (!operation.output) return { statusCode: operation.code, headers: { 'content-type': 'application/json' }, body: '{}' };
  const shape = service.shapes[operation.output];
  if (shape?.t !== 'structure') throw new Error(`output ${operation.output} is not a structure`);
  let statusCode = operation.code;
  let body: string | Uint8Array | undefined;
  let bodyMembers: Record<string, unknown> | null = null;
  for (const name in shape.m) {
    const member = shape.m[name] as MemberModel;
    const value = output[name];
    if (member.h !== undefined) {
      if (value !== undefined && value !== null) headers[member.h.toLowerCase()] = headerText(value);
    } else if (member.c) {
      if (typeof value === 'number') statusCode = value;
    } else if (member.p) {
      const target = service.shapes[member.s];
      if (target?.t === 'blob' || target?.t === 'string') {
        body = value instanceof Uint8Array ? value : typeof value === 'string' ? value : new Uint8Array();
      } else if (value !== undefined) {
        body = stringify(service, member.s, value);
      }
    } else if (value !== undefined) {
      bodyMembers ??= {};
      bodyMembers[name] = value;
    }
  }
  if (body === undefined) body = stringify(service, operation.output, bodyMembers ?? {});
  headers['content-type'] ??= 'application/json';
  return { statusCode, headers, body };
}

/** JSON for a value of a shape, with restJson1's timestamp (epoch seconds unless modeled otherwise) and blob encodings. */
export function stringify(service: ServiceModel, ref: string, value: unknown): string {
  let cache = needsReplacer.get(service);
  if (!cache) {
    cache = new Map();
    needsReplacer.set(service, cache);
  }
  let needs = cache.get(ref);
  if (needs === undefined) {
    needs = containsSpecial(service.shapes, ref, new Set());
    cache.set(ref, needs);
  }
  if (!needs) return JSON.stringify(value);
  let formatted = formattedTimestamps.get(service)?.get(ref);
  if (formatted === undefined) {
    formatted = containsFormattedTimestamp(service.shapes, ref, new Set());
    let byRef = formattedTimestamps.get(service);
    if (!byRef) formattedTimestamps.set(service, (byRef = new Map()));
    byRef.set(ref, formatted);
  }
  return JSON.stringify(formatted ? formatTimestamps(service.shapes, ref, value, undefined) : value, replacer);
}

const formattedTimestamps = new WeakMap<ServiceModel, Map<string, boolean>>();

/** Whether a shape holds a timestamp with a `@timestampFormat` other than restJson1's default (epoch seconds). */
function containsFormattedTimestamp(shapes: Record<string, ShapeModel>, ref: string, seen: Set<string>): boolean {
  if (seen.has(ref)) return false;
  seen.add(ref);
  const shape = shapes[ref];
  switch (shape?.t) {
    case 'timestamp':
      return isTextFormat(shape.tf);
    case 'structure':
    case 'union':
      return Object.values(shape.m).some(
        (member) => (isTextFormat(member.tf) && shapes[member.s]?.t === 'timestamp') || containsFormattedTimestamp(shapes, member.s, seen),
      );
    case 'list':
      return containsFormattedTimestamp(shapes, shape.m, seen);
    case 'map':
      return containsFormattedTimestamp(shapes, shape.v, seen);
    default:
      return false;
  }
}

function isTextFormat(format: string | undefined): boolean {
  return format === 'date-time' || format === 'http-date';
}

/**
 * Copies a value, writing its `date-time` and `http-date` timestamps as text (the SDKs reject a number
 * there); the replacer turns the remaining dates into epoch seconds and blobs into base64.
 */
function formatTimestamps(shapes: Record<string, ShapeModel>, ref: string, value: unknown, memberFormat: string | undefined): unknown {
  if (value === null || value === undefined) return value;
  const shape = shapes[ref];
  switch (shape?.t) {
    case 'timestamp': {
      if (!(value instanceof Date)) return value;
      const format = memberFormat ?? shape.tf;
      if (format === 'date-time') return value.toISOString().replace('.000Z', 'Z');
      if (format === 'http-date') return value.toUTCString();
      return value;
    }
    case 'structure':
    case 'union': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(value)) {
        const member = Object.hasOwn(shape.m, key) ? shape.m[key] : undefined;
        out[key] = member ? formatTimestamps(shapes, member.s, value[key], member.tf) : value[key];
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => formatTimestamps(shapes, shape.m, item, undefined)) : value;
    case 'map': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = Object.create(null);
      for (const key of Object.keys(value)) out[key] = formatTimestamps(shapes, shape.v, value[key], undefined);
      return out;
    }
    default:
      return value;
  }
}

function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
  return value;
}

function containsSpecial(shapes: Record<string, ShapeModel>, ref: string, seen: Set<string>): boolean {
  if (seen.has(ref)) return false;
  seen.add(ref);
  const shape = shapes[ref];
  if (!shape) return false;
  switch (shape.t) {
    case 'timestamp':
    case 'blob':
      return true;
    case 'structure':
    case 'union':
      return Object.values(shape.m).some((member) => containsSpecial(shapes, member.s, seen));
    case 'list':
      return containsSpecial(shapes, shape.m, seen);
    case 'map':
      return containsSpecial(shapes, shape.v, seen);
    default:
      return false;
  }
}

function headerText(value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
