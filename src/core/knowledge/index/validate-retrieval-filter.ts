import { OutcropError } from '../../errors.js';
import type { RetrievalFilter } from './retrieval-filter.js';

/** The operators a `RetrievalFilter` may set, one per filter object. */
export const filterOperators = [
  'andAll',
  'equals',
  'greaterThan',
  'greaterThanOrEquals',
  'in',
  'lessThan',
  'lessThanOrEquals',
  'listContains',
  'notEquals',
  'notIn',
  'orAll',
  'startsWith',
  'stringContains',
] as const;

/** Bedrock's bounds on `andAll` / `orAll`. */
export const minimumFilterGroupSize = 2;
export const maximumFilterGroupSize = 5;
/** How many filter objects deep a filter may go (the top-level filter is level 1). */
export const maximumFilterDepth = 5;
/** `FilterKey`'s length bounds. */
const maximumKeyLength = 100;

type ValueKind = 'scalar' | 'number' | 'string' | 'list';

const valueKinds: Record<string, ValueKind> = {
  equals: 'scalar',
  notEquals: 'scalar',
  greaterThan: 'number',
  greaterThanOrEquals: 'number',
  lessThan: 'number',
  lessThanOrEquals: 'number',
  in: 'list',
  notIn: 'list',
  startsWith: 'string',
  stringContains: 'string',
  listContains: 'scalar',
};

/**
 * Checks a Retrieve / RetrieveAndGenerate metadata filter against Bedrock's grammar and throws a
 * `ValidationException` naming the first problem and where it is (`filter.andAll[1].in.value`):
 * exactly one operator per filter object, `andAll`/`orAll` with 2 to 5 filters, at most
 * `maximumFilterDepth` levels, a key of 1 to 100 characters, and a value of the operator's kind
 * (numbers for the range operators, a list of strings, numbers or booleans for `in`/`notIn`, a
 * string for `startsWith`/`stringContains`, a string, number or boolean otherwise).
 *
 * @example
 * validateRetrievalFilter({ andAll: [{ equals: { key: 'genre', value: 'drama' } }, { greaterThan: { key: 'year', value: 1989 } }] });
 * validateRetrievalFilter({ in: { key: 'genre', value: 'drama' } }); // throws: ... must be a list ...
 */
export function validateRetrievalFilter(filter: unknown, path = 'filter'): asserts filter is RetrievalFilter {
  check(filter, path, 1);
}

function check(filter: unknown, path: string, depth: number): void {
  if (depth > maximumFilterDepth) fail(`The retrieval filter at '${path}' is nested more than ${maximumFilterDepth} levels deep.`);
  if (!isObject(filter)) fail(`The retrieval filter at '${path}' must be an object with exactly one operator (${filterOperators.join(', ')}).`);
  const members = Object.keys(filter).filter((member) => filter[member] !== undefined && filter[member] !== null);
  const unknown = members.filter((member) => !(filterOperators as readonly string[]).includes(member));
  if (unknown.length > 0) fail(`The retrieval filter at '${path}' has an unknown operator '${unknown[0]}'. Valid operators: ${filterOperators.join(', ')}.`);
  if (members.length !== 1) {
    const found = members.length === 0 ? 'none was' : `${members.length} were (${members.join(', ')})`;
    fail(`The retrieval filter at '${path}' must set exactly one operator, but ${found}.`);
  }
  const operator = members[0]!;
  const operand = filter[operator];
  const at = `${path}.${operator}`;
  if (operator === 'andAll' || operator === 'orAll') {
    if (!Array.isArray(operand)) fail(`'${at}' must be a list of ${minimumFilterGroupSize} to ${maximumFilterGroupSize} retrieval filters.`);
    if (operand.length < minimumFilterGroupSize || operand.length > maximumFilterGroupSize) {
      fail(`'${at}' must contain between ${minimumFilterGroupSize} and ${maximumFilterGroupSize} retrieval filters, but it contains ${operand.length}.`);
    }
    operand.forEach((member, index) => {
      check(member, `${at}[${index}]`, depth + 1);
    });
    return;
  }
  checkAttribute(operand, at, valueKinds[operator]!, operator);
}

function checkAttribute(attribute: unknown, at: string, kind: ValueKind, operator: string): void {
  if (!isObject(attribute)) fail(`'${at}' must be a filter attribute with a key and a value.`);
  const { key, value } = attribute;
  if (typeof key !== 'string' || key.length < 1 || key.length > maximumKeyLength) {
    fail(`'${at}.key' must be a string of 1 to ${maximumKeyLength} characters.`);
  }
  const where = `'${at}.value' (the ${operator} filter on key '${key}')`;
  if (value === undefined || value === null) fail(`${where} is required.`);
  switch (kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where} must be a number, but it is ${describe(value)}.`);
      return;
    case 'string':
      if (typeof value !== 'string') fail(`${where} must be a string, but it is ${describe(value)}.`);
      return;
    case 'scalar':
      if (!isScalar(value)) fail(`${where} must be a string, number or boolean, but it is ${describe(value)}.`);
      return;
    case 'list': {
      if (!Array.isArray(value)) fail(`${where} must be a list, but it is ${describe(value)}.`);
      const index = value.findIndex((member) => !isScalar(member));
      if (index >= 0) fail(`${where} must be a list of strings, numbers or booleans, but member ${index} is ${describe(value[index])}.`);
      return;
    }
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'not a finite number';
  return `a ${typeof value}`;
}

function fail(message: string): never {
  throw new OutcropError('ValidationException', message);
}
