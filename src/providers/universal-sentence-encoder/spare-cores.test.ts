import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CpuSnapshot, spareCores } from './spare-cores.js';

/** A fake machine: a clock and CPU counters the test moves forward. */
function machine() {
  const state = { at: 0, machineBusy: 0, ownBusy: 0, reads: 0 };
  return {
    state,
    read: (): CpuSnapshot => {
      state.reads++;
      return { at: state.at, machineBusy: state.machineBusy, ownBusy: state.ownBusy };
    },
    now: () => state.at,
  };
}

describe('spareCores', () => {
  it('counts the cores that other processes kept busy, not this process', () => {
    const fake = machine();
    const spare = spareCores({ cores: 2, read: fake.read, now: fake.now });
    Object.assign(fake.state, { at: 1000, machineBusy: 1500, ownBusy: 1000 });
    // 1.5 cores busy over the second, 1 of them this process: 0.5 taken by others.
    assert.equal(spare(), 1.5);
  });

  it('keeps a reading for a quarter second, then measures the interval since', () => {
    const fake = machine();
    const spare = spareCores({ cores: 4, read: fake.read, now: fake.now });
    Object.assign(fake.state, { at: 1000, machineBusy: 3000 });
    assert.equal(spare(), 1);
    fake.state.at = 1100;
    fake.state.machineBusy = 3400;
    assert.equal(spare(), 1, 'within a quarter second the last reading stands');
    assert.equal(fake.state.reads, 2);
    fake.state.at = 2000;
    fake.state.machineBusy = 3500;
    assert.equal(spare(), 4 - 0.5);
  });

  it('never answers less than no core', () => {
    const fake = machine();
    const spare = spareCores({ cores: 2, read: fake.read, now: fake.now });
    Object.assign(fake.state, { at: 1000, machineBusy: 9000 });
    assert.equal(spare(), 0);
  });

  it('measures this machine', () => {
    const value = spareCores()();
    assert.ok(Number.isFinite(value) && value >= 0, `spare cores: ${value}`);
  });
});
