import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../errors.js';
import { validateRetrievalFilter } from './validate-retrieval-filter.js';

function rejects(filter: unknown, pattern: RegExp) {
  assert.throws(
    () => validateRetrievalFilter(filter),
    (error: unknown) => OutcropError.isInstance(error) && error.code === 'ValidationException' && error.statusCode === 400 && pattern.test(error.message),
  );
}

const leaf = { equals: { key: 'genre', value: 'drama' } };

describe('validateRetrievalFilter', () => {
  it('accepts every operator with a value of its kind, nested within the limits', () => {
    for (const filter of [
      leaf,
      { notEquals: { key: 'draft', value: true } },
      { greaterThan: { key: 'year', value: 1989 } },
      { greaterThanOrEquals: { key: 'year', value: 1989.5 } },
      { lessThan: { key: 'year', value: -1 } },
      { lessThanOrEquals: { key: 'year', value: 0 } },
      { in: { key: 'genre', value: ['drama', 1, false] } },
      { notIn: { key: 'genre', value: [] } },
      { startsWith: { key: 'title', value: 'Th' } },
      { stringContains: { key: 'tags', value: '' } },
      { listContains: { key: 'tags', value: 'a' } },
      { andAll: [leaf, { orAll: [leaf, leaf, leaf, leaf, leaf] }] },
      { andAll: [leaf, { andAll: [leaf, { andAll: [leaf, { andAll: [leaf, leaf] }] }] }] },
    ]) {
      assert.doesNotThrow(() => validateRetrievalFilter(filter), JSON.stringify(filter));
    }
  });

  it('requires exactly one known operator per filter object', () => {
    rejects({}, /'filter' must set exactly one operator, but none was/);
    rejects({ equals: leaf.equals, in: { key: 'a', value: [] } }, /exactly one operator, but 2 were \(equals, in\)/);
    rejects({ contains: { key: 'a', value: 'b' } }, /unknown operator 'contains'/);
    rejects('genre = drama', /must be an object/);
    rejects([leaf], /must be an object/);
    rejects({ andAll: [leaf, {}] }, /'filter\.andAll\[1\]' must set exactly one operator/);
  });

  it('bounds andAll and orAll to 2..5 filters and the nesting depth', () => {
    rejects({ andAll: [leaf] }, /'filter\.andAll' must contain between 2 and 5 retrieval filters, but it contains 1/);
    rejects({ orAll: [leaf, leaf, leaf, leaf, leaf, leaf] }, /between 2 and 5 .* contains 6/);
    rejects({ orAll: leaf }, /must be a list/);
    let deep: unknown = leaf;
    for (let level = 0; level < 5; level++) deep = { andAll: [deep, leaf] };
    rejects(deep, /nested more than 5 levels/);
  });

  it('checks keys and value kinds, naming the path', () => {
    rejects({ equals: { key: '', value: 'x' } }, /'filter\.equals\.key' must be a string of 1 to 100 characters/);
    rejects({ equals: { key: 'k'.repeat(101), value: 'x' } }, /1 to 100/);
    rejects({ equals: { key: 'genre' } }, /'filter\.equals\.value' \(the equals filter on key 'genre'\) is required/);
    rejects({ equals: { key: 'genre', value: ['a'] } }, /must be a string, number or boolean, but it is a list/);
    rejects({ greaterThan: { key: 'year', value: '1989' } }, /must be a number, but it is a string/);
    rejects({ lessThan: { key: 'year', value: true } }, /must be a number, but it is a boolean/);
    rejects({ in: { key: 'genre', value: 'drama' } }, /'filter\.in\.value' .* must be a list, but it is a string/);
    rejects({ notIn: { key: 'genre', value: ['a', { b: 1 }] } }, /member 1 is an object/);
    rejects({ startsWith: { key: 'title', value: 3 } }, /must be a string, but it is a number/);
    rejects({ stringContains: { key: 'title', value: ['a'] } }, /must be a string, but it is a list/);
    rejects({ listContains: { key: 'tags', value: { a: 1 } } }, /but it is an object/);
    rejects({ orAll: [leaf, { andAll: [leaf, { in: { key: 'x', value: 1 } }] }] }, /'filter\.orAll\[1\]\.andAll\[1\]\.in\.value'/);
    rejects({ equals: null }, /must set exactly one operator/);
    rejects({ equals: 'genre' }, /must be a filter attribute with a key and a value/);
  });
});
