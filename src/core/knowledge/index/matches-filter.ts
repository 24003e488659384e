import type { MetadataJson, RetrievalFilter } from './retrieval-filter.js';

type Scalar = string | number | boolean;

/**
 * Whether a chunk's attributes satisfy a (validated) `RetrievalFilter`: the reference semantics every
 * `ChunkIndex` must agree with, as Bedrock documents them.
 *
 * - An attribute compares with a value of its own type only (`"1989"` never equals `1989`); a
 *   STRING_LIST attribute equals no scalar.
 * - `equals`, ranges, `in`, `notIn`, `startsWith`, `stringContains`, `listContains` need the key
 *   present; `notEquals` also matches a chunk without the key.
 * - `notIn` matches a present attribute whose value is not in the list.
 * - Ranges compare numbers; `startsWith` a string attribute; `stringContains` a string attribute, or
 *   a STRING_LIST with a member containing the value; `listContains` a STRING_LIST holding the value.
 * - Comparisons are case-sensitive.
 *
 * @example
 * matchesFilter({ year: 1994, genre: 'drama' }, { andAll: [{ equals: { key: 'genre', value: 'drama' } }, { greaterThan: { key: 'year', value: 1989 } }] }); // true
 */
export function matchesFilter(metadata: Readonly<Record<string, MetadataJson>>, filter: RetrievalFilter): boolean {
  if ('andAll' in filter) return filter.andAll.every((member) => matchesFilter(metadata, member));
  if ('orAll' in filter) return filter.orAll.some((member) => matchesFilter(metadata, member));
  if ('notEquals' in filter) return !equal(attribute(metadata, filter.notEquals.key), filter.notEquals.value);
  if ('equals' in filter) return equal(attribute(metadata, filter.equals.key), filter.equals.value);
  if ('greaterThan' in filter) return compare(metadata, filter.greaterThan, (a, b) => a > b);
  if ('greaterThanOrEquals' in filter) return compare(metadata, filter.greaterThanOrEquals, (a, b) => a >= b);
  if ('lessThan' in filter) return compare(metadata, filter.lessThan, (a, b) => a < b);
  if ('lessThanOrEquals' in filter) return compare(metadata, filter.lessThanOrEquals, (a, b) => a <= b);
  if ('in' in filter) return isIn(attribute(metadata, filter.in.key), filter.in.value);
  if ('notIn' in filter) {
    const value = attribute(metadata, filter.notIn.key);
    return value !== undefined && !isIn(value, filter.notIn.value);
  }
  if ('startsWith' in filter) {
    const value = attribute(metadata, filter.startsWith.key);
    return typeof value === 'string' && typeof filter.startsWith.value === 'string' && value.startsWith(filter.startsWith.value);
  }
  if ('stringContains' in filter) {
    const value = attribute(metadata, filter.stringContains.key);
    const needle = filter.stringContains.value;
    if (typeof needle !== 'string') return false;
    if (typeof value === 'string') return value.includes(needle);
    return Array.isArray(value) && value.some((member) => member.includes(needle));
  }
  if ('listContains' in filter) {
    const value = attribute(metadata, filter.listContains.key);
    return Array.isArray(value) && value.some((member) => equal(member, filter.listContains.value));
  }
  return false;
}

function attribute(metadata: Readonly<Record<string, MetadataJson>>, key: string): MetadataJson | undefined {
  return Object.hasOwn(metadata, key) ? metadata[key] : undefined;
}

function equal(value: MetadataJson | undefined, expected: unknown): boolean {
  if (value === undefined || Array.isArray(value)) return false;
  return typeof value === typeof expected && value === expected;
}

function isIn(value: MetadataJson | undefined, list: unknown): boolean {
  return Array.isArray(list) && (list as Scalar[]).some((member) => equal(value, member));
}

function compare(metadata: Readonly<Record<string, MetadataJson>>, attributeFilter: { key: string; value: unknown }, test: (a: number, b: number) => boolean): boolean {
  const value = attribute(metadata, attributeFilter.key);
  return typeof value === 'number' && typeof attributeFilter.value === 'number' && test(value, attributeFilter.value);
}
