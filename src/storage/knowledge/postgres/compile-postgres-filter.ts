import { type RawBuilder, sql } from 'kysely';
import type { FilterAttribute, RetrievalFilter } from '../../../core/knowledge/index/retrieval-filter.js';

/**
 * Compiles a validated `RetrievalFilter` to a PostgreSQL condition over `c.metadata` (the chunk's
 * attributes as `jsonb`), with the semantics of `matchesFilter`: values compare as `jsonb` (so
 * `"1989"` never equals `1989`), casts happen only inside a `CASE` that checked the JSON type, and
 * every leaf is two-valued (a missing key is false, never NULL).
 *
 * @example
 * const condition = compilePostgresFilter({ in: { key: 'genre', value: ['drama', 'comedy'] } });
 * await sql`select id from knowledge_chunks_1 c where ${condition}`.execute(db);
 */
export function compilePostgresFilter(filter: RetrievalFilter): RawBuilder<boolean> {
  if ('andAll' in filter) return sql<boolean>`(${sql.join(filter.andAll.map(compilePostgresFilter), sql` AND `)})`;
  if ('orAll' in filter) return sql<boolean>`(${sql.join(filter.orAll.map(compilePostgresFilter), sql` OR `)})`;
  if ('equals' in filter) return equals(filter.equals.key, filter.equals.value);
  if ('notEquals' in filter) return sql<boolean>`(NOT ${equals(filter.notEquals.key, filter.notEquals.value)})`;
  if ('greaterThan' in filter) return range(filter.greaterThan, '>');
  if ('greaterThanOrEquals' in filter) return range(filter.greaterThanOrEquals, '>=');
  if ('lessThan' in filter) return range(filter.lessThan, '<');
  if ('lessThanOrEquals' in filter) return range(filter.lessThanOrEquals, '<=');
  if ('in' in filter) return isIn(filter.in);
  if ('notIn' in filter) return sql<boolean>`(${attribute(filter.notIn.key)} IS NOT NULL AND NOT ${isIn(filter.notIn)})`;
  if ('startsWith' in filter) {
    const { key, value } = filter.startsWith;
    return sql<boolean>`(CASE WHEN jsonb_typeof(${attribute(key)}) = 'string' THEN starts_with(${text(key)}, ${value}::text) ELSE false END)`;
  }
  if ('stringContains' in filter) {
    const { key, value } = filter.stringContains;
    return sql<boolean>`(CASE jsonb_typeof(${attribute(key)})
      WHEN 'string' THEN strpos(${text(key)}, ${value}::text) > 0
      WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${attribute(key)}) AS member WHERE jsonb_typeof(member) = 'string' AND strpos(member #>> '{}', ${value}::text) > 0)
      ELSE false END)`;
  }
  if ('listContains' in filter) {
    const { key, value } = filter.listContains;
    return sql<boolean>`(CASE WHEN jsonb_typeof(${attribute(key)}) = 'array' THEN ${attribute(key)} @> jsonb_build_array(${JSON.stringify(value)}::jsonb) ELSE false END)`;
  }
  return sql<boolean>`false`;
}

function attribute(key: string): RawBuilder<unknown> {
  return sql`(c.metadata -> ${key}::text)`;
}

function text(key: string): RawBuilder<string> {
  return sql<string>`(c.metadata ->> ${key}::text)`;
}

function equals(key: string, value: unknown): RawBuilder<boolean> {
  return sql<boolean>`coalesce(${attribute(key)} = ${JSON.stringify(value)}::jsonb, false)`;
}

function range(filterAttribute: FilterAttribute, operator: '>' | '>=' | '<' | '<='): RawBuilder<boolean> {
  return sql<boolean>`(CASE WHEN jsonb_typeof(${attribute(filterAttribute.key)}) = 'number' THEN ${attribute(filterAttribute.key)}::float8 ${sql.raw(operator)} ${filterAttribute.value}::float8 ELSE false END)`;
}

function isIn(filterAttribute: FilterAttribute): RawBuilder<boolean> {
  const list = filterAttribute.value as unknown[];
  if (list.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    list.map((member) => equals(filterAttribute.key, member)),
    sql` OR `,
  )})`;
}
