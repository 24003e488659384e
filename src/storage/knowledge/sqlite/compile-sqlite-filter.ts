import type { FilterAttribute, RetrievalFilter } from '../../../core/knowledge/index/retrieval-filter.js';

/** A condition over the chunk row `c` and its bound parameters, in order. */
export interface SqlCondition {
  sql: string;
  parameters: unknown[];
}

type Scalar = string | number | boolean;

/**
 * Compiles a validated `RetrievalFilter` to an SQLite condition over `c.metadata` (the chunk's
 * attributes as JSON), with the semantics of `matchesFilter`: JSON types are checked with
 * `json_type`, so `"1989"` never equals `1989`, and every leaf is `coalesce`d to 0 so a missing key
 * is false (never NULL) and `NOT` stays two-valued.
 *
 * @example
 * const condition = compileSqliteFilter({ greaterThan: { key: 'year', value: 1989 } });
 * database.prepare(`select id from knowledge_chunks c where ${condition.sql}`).all(...condition.parameters);
 */
export function compileSqliteFilter(filter: RetrievalFilter): SqlCondition {
  const parameters: unknown[] = [];
  const sql = compile(filter, parameters);
  return { sql, parameters };
}

function compile(filter: RetrievalFilter, parameters: unknown[]): string {
  if ('andAll' in filter) return `(${filter.andAll.map((member) => compile(member, parameters)).join(' AND ')})`;
  if ('orAll' in filter) return `(${filter.orAll.map((member) => compile(member, parameters)).join(' OR ')})`;
  if ('equals' in filter) return equals(filter.equals.key, filter.equals.value as Scalar, parameters);
  if ('notEquals' in filter) return `(NOT ${equals(filter.notEquals.key, filter.notEquals.value as Scalar, parameters)})`;
  if ('greaterThan' in filter) return range(filter.greaterThan, '>', parameters);
  if ('greaterThanOrEquals' in filter) return range(filter.greaterThanOrEquals, '>=', parameters);
  if ('lessThan' in filter) return range(filter.lessThan, '<', parameters);
  if ('lessThanOrEquals' in filter) return range(filter.lessThanOrEquals, '<=', parameters);
  if ('in' in filter) return isIn(filter.in, parameters);
  if ('notIn' in filter) {
    parameters.push(path(filter.notIn.key));
    const present = 'json_type(c.metadata, ?) IS NOT NULL';
    return `(${present} AND NOT ${isIn(filter.notIn, parameters)})`;
  }
  if ('startsWith' in filter) {
    const { key, value } = filter.startsWith;
    parameters.push(path(key), path(key), value, value);
    return `coalesce(json_type(c.metadata, ?) = 'text' AND substr(json_extract(c.metadata, ?), 1, length(?)) = ?, 0)`;
  }
  if ('stringContains' in filter) {
    const { key, value } = filter.stringContains;
    parameters.push(path(key), path(key), value, path(key), value);
    return `coalesce(CASE json_type(c.metadata, ?) WHEN 'text' THEN instr(json_extract(c.metadata, ?), ?) > 0 WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(c.metadata, ?) e WHERE e.type = 'text' AND instr(e.value, ?) > 0) ELSE 0 END, 0)`;
  }
  if ('listContains' in filter) {
    const { key, value } = filter.listContains;
    parameters.push(path(key), path(key));
    return `coalesce(json_type(c.metadata, ?) = 'array' AND EXISTS (SELECT 1 FROM json_each(c.metadata, ?) e WHERE ${typedEquals('e.type', 'e.value', value as Scalar, parameters)}), 0)`;
  }
  return '0';
}

/** The JSON path of a top-level key, quoted so dots, brackets and quotes in keys stay literal. */
function path(key: string): string {
  return `$.${JSON.stringify(key)}`;
}

function equals(key: string, value: Scalar, parameters: unknown[]): string {
  parameters.push(path(key), path(key));
  return `coalesce(${typedEquals('json_type(c.metadata, ?)', 'json_extract(c.metadata, ?)', value, parameters)}, 0)`;
}

/** `type`/`value` are SQL expressions for a JSON value's type and its SQL value. */
function typedEquals(type: string, value: string, expected: Scalar, parameters: unknown[]): string {
  if (typeof expected === 'boolean') {
    // the value expression is not needed, but its placeholder (if any) still takes a parameter
    if (value.includes('?')) return `(${type} = '${expected}' AND ${value} IS NOT NULL)`;
    return `${type} = '${expected}'`;
  }
  parameters.push(expected);
  return typeof expected === 'number' ? `(${type} IN ('integer', 'real') AND ${value} = ?)` : `(${type} = 'text' AND ${value} = ?)`;
}

function range(attribute: FilterAttribute, operator: string, parameters: unknown[]): string {
  parameters.push(path(attribute.key), path(attribute.key), attribute.value);
  return `coalesce(json_type(c.metadata, ?) IN ('integer', 'real') AND json_extract(c.metadata, ?) ${operator} ?, 0)`;
}

function isIn(attribute: FilterAttribute, parameters: unknown[]): string {
  const list = attribute.value as Scalar[];
  if (list.length === 0) return '0';
  return `(${list.map((member) => equals(attribute.key, member, parameters)).join(' OR ')})`;
}
