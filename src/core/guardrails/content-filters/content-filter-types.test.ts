import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ConfidenceLevel, type FilterStrength, isCaught } from './content-filter-types.js';

describe('filter strength thresholds', () => {
  const table: Array<[FilterStrength, ConfidenceLevel[]]> = [
    ['NONE', []],
    ['LOW', ['HIGH']],
    ['MEDIUM', ['MEDIUM', 'HIGH']],
    ['HIGH', ['LOW', 'MEDIUM', 'HIGH']],
  ];
  for (const [strength, caught] of table) {
    it(`a ${strength} filter catches ${caught.join(', ') || 'nothing'}`, () => {
      for (const confidence of ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const) {
        assert.equal(isCaught(strength, confidence), caught.includes(confidence), `${strength} / ${confidence}`);
      }
    });
  }
});
