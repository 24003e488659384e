import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilter } from './matches-filter.js';
import type { MetadataJson, RetrievalFilter } from './retrieval-filter.js';

const film: Record<string, MetadataJson> = { genre: 'drama', year: 1994, draft: false, tags: ['dog', 'cat'], title: 'The Cat' };

function check(filter: RetrievalFilter, expected: boolean, metadata = film) {
  assert.equal(matchesFilter(metadata, filter), expected, JSON.stringify(filter));
}

describe('matchesFilter (Bedrock filter semantics)', () => {
  it('compares values of the same type only, case-sensitively', () => {
    check({ equals: { key: 'genre', value: 'drama' } }, true);
    check({ equals: { key: 'genre', value: 'Drama' } }, false);
    check({ equals: { key: 'year', value: 1994 } }, true);
    check({ equals: { key: 'year', value: '1994' } }, false);
    check({ equals: { key: 'draft', value: false } }, true);
    check({ equals: { key: 'draft', value: 0 } }, false);
    check({ equals: { key: 'tags', value: 'dog' } }, false);
    check({ equals: { key: 'missing', value: 'x' } }, false);
  });

  it('lets notEquals match a missing key, as Bedrock documents', () => {
    check({ notEquals: { key: 'genre', value: 'comedy' } }, true);
    check({ notEquals: { key: 'genre', value: 'drama' } }, false);
    check({ notEquals: { key: 'missing', value: 'drama' } }, true);
    check({ notEquals: { key: 'year', value: '1994' } }, true);
  });

  it('compares numbers with the range operators', () => {
    check({ greaterThan: { key: 'year', value: 1989 } }, true);
    check({ greaterThan: { key: 'year', value: 1994 } }, false);
    check({ greaterThanOrEquals: { key: 'year', value: 1994 } }, true);
    check({ lessThan: { key: 'year', value: 1994.5 } }, true);
    check({ lessThanOrEquals: { key: 'year', value: 1993 } }, false);
    check({ greaterThan: { key: 'genre', value: 0 } }, false);
    check({ lessThan: { key: 'missing', value: 5 } }, false);
  });

  it('needs the key present for in and notIn', () => {
    check({ in: { key: 'genre', value: ['comedy', 'drama'] } }, true);
    check({ in: { key: 'year', value: ['1994', 1994] } }, true);
    check({ in: { key: 'genre', value: [] } }, false);
    check({ in: { key: 'tags', value: ['dog'] } }, false);
    check({ notIn: { key: 'genre', value: ['comedy'] } }, true);
    check({ notIn: { key: 'genre', value: ['drama'] } }, false);
    check({ notIn: { key: 'missing', value: ['drama'] } }, false);
    check({ notIn: { key: 'genre', value: [] } }, true);
  });

  it('matches strings and string lists with startsWith, stringContains and listContains', () => {
    check({ startsWith: { key: 'title', value: 'The' } }, true);
    check({ startsWith: { key: 'title', value: 'Cat' } }, false);
    check({ startsWith: { key: 'tags', value: 'd' } }, false);
    check({ stringContains: { key: 'title', value: 'Ca' } }, true);
    check({ stringContains: { key: 'tags', value: 'at' } }, true);
    check({ stringContains: { key: 'tags', value: 'cow' } }, false);
    check({ stringContains: { key: 'year', value: '19' } }, false);
    check({ listContains: { key: 'tags', value: 'cat' } }, true);
    check({ listContains: { key: 'tags', value: 'ca' } }, false);
    check({ listContains: { key: 'genre', value: 'drama' } }, false);
  });

  it('combines filters with andAll and orAll', () => {
    const drama90s: RetrievalFilter = { andAll: [{ equals: { key: 'genre', value: 'drama' } }, { greaterThanOrEquals: { key: 'year', value: 1990 } }] };
    check(drama90s, true);
    check(drama90s, false, { ...film, year: 1980 });
    check({ orAll: [{ equals: { key: 'genre', value: 'comedy' } }, { listContains: { key: 'tags', value: 'dog' } }] }, true);
    check({ orAll: [{ equals: { key: 'genre', value: 'comedy' } }, { listContains: { key: 'tags', value: 'cow' } }] }, false);
  });

  it('never reads inherited properties as attributes', () => {
    check({ notEquals: { key: 'toString', value: 'x' } }, true, {});
    check({ equals: { key: '__proto__', value: 'x' } }, false, {});
  });
});
