import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('counts consecutive failures only: a success in between starts the count again', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 100 });
    breaker.fail(breaker.acquire(0), 0);
    breaker.succeed(breaker.acquire(0));
    breaker.fail(breaker.acquire(0), 0);
    assert.equal(breaker.state(0), 'closed');
    breaker.fail(breaker.acquire(0), 0);
    assert.equal(breaker.state(0), 'open');
    assert.equal(breaker.isAvailable(99), false);
    assert.equal(breaker.state(100), 'half-open');
  });

  it('ignores calls that started before it opened', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 });
    const early = breaker.acquire(0);
    breaker.fail(breaker.acquire(0), 0);
    breaker.succeed(early);
    assert.equal(breaker.state(0), 'open');
  });

  it('hands out one trial when half-open, and takes it back when its call is abandoned', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 });
    breaker.fail(breaker.acquire(0), 0);
    const trial = breaker.acquire(100);
    assert.deepEqual(trial, { trial: true });
    assert.equal(breaker.isAvailable(100), false);
    breaker.release(trial);
    assert.equal(breaker.isAvailable(100), true);
    breaker.succeed(breaker.acquire(100));
    assert.equal(breaker.state(100), 'closed');
  });

  it('lets another trial through when the first never reports back within a cool-down', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 100 });
    breaker.fail(breaker.acquire(0), 0);
    breaker.acquire(100);
    assert.equal(breaker.isAvailable(199), false);
    assert.equal(breaker.isAvailable(200), true);
  });
});
