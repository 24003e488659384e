import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileCustomRegex } from './custom-regex.js';

describe('custom regexes', () => {
  it('runs ordinary patterns on RE2 and reports offsets in the original text', () => {
    const regex = compileCustomRegex(String.raw`EMP-\d{6}`, 'employee id');
    assert.equal(regex.engine, 're2');
    const text = 'Ünïcödé badge EMP-123456 and EMP-654321';
    const found = regex.find(text);
    assert.deepEqual(
      found.map((match) => match.text),
      ['EMP-123456', 'EMP-654321'],
    );
    for (const match of found) assert.equal(text.slice(match.start, match.end), match.text);
  });

  it('gives the same matches on every call (the compiled RE2 is reused, its position reset)', () => {
    const regex = compileCustomRegex(String.raw`TICKET-[A-Z]{3}-\d+`, 'ticket');
    const text = 'see TICKET-ABC-12 and TICKET-XYZ-3';
    const first = regex.find(text);
    assert.deepEqual(first.map((match) => match.start), [4, 22]);
    assert.deepEqual(regex.find(text), first);
    assert.deepEqual(regex.find('TICKET-QQQ-9'), [{ start: 0, end: 12, text: 'TICKET-QQQ-9' }]);
    assert.deepEqual(regex.find('nothing here'), []);
    assert.deepEqual(regex.find(text), first);
  });

  it('rejects patterns that can backtrack catastrophically, at definition time', () => {
    for (const pattern of ['(a+)+$', '(x+x+)+y', String.raw`(\w+\s?)*$`, '(.*a){12}']) {
      assert.throws(() => compileCustomRegex(pattern, 'bad'), { name: 'ValidationException', message: /exponential time/ }, pattern);
    }
  });

  it('rejects invalid and over-long patterns', () => {
    assert.throws(() => compileCustomRegex('(unclosed', 'broken'), { name: 'ValidationException', message: /not a valid regular expression/ });
    assert.throws(() => compileCustomRegex('a'.repeat(501), 'long'), { name: 'ValidationException', message: /between 1 and 500/ });
  });

  it('runs lookaround patterns on the backtracking engine inside a time limit', () => {
    const regex = compileCustomRegex(String.raw`\d+(?= dollars)`, 'lookahead');
    assert.equal(regex.engine, 'backtracking');
    assert.deepEqual(
      regex.find('42 dollars and 7 dollars, not 9 euros').map((match) => match.text),
      ['42', '7'],
    );
  });

  it('fails the check (never passes the text) when a pattern the static check misses runs too long', () => {
    // Overlapping alternatives under one star pass the star-height check but backtrack exponentially;
    // the lookahead keeps the pattern off RE2.
    const regex = compileCustomRegex('(?=a)(a|a)*b', 'slow');
    assert.equal(regex.engine, 'backtracking');
    const started = performance.now();
    assert.throws(() => regex.find(`${'a'.repeat(40)}c`), { name: 'InternalServerException', message: /did not finish within 100 ms/ });
    assert.ok(performance.now() - started < 1000);
  });
});
