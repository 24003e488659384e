import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthMonitor } from './health-monitor.js';

describe('HealthMonitor', () => {
  it('marks a provider unhealthy after unhealthyThreshold failed checks and healthy after one passing check', async () => {
    let up = true;
    const changes: string[] = [];
    const monitor = new HealthMonitor(
      [
        { name: 'flaky', check: async () => (up ? undefined : Promise.reject(new Error('connection refused'))) },
        { name: 'steady', check: async () => {} },
      ],
      { intervalMs: 60_000, unhealthyThreshold: 2 },
      (name, healthy) => changes.push(`${name}:${healthy}`),
    );
    assert.equal(monitor.isHealthy('flaky'), true, 'healthy until a check says otherwise');
    up = false;
    await monitor.checkAll();
    assert.equal(monitor.isHealthy('flaky'), true, 'one failure is below the threshold');
    await monitor.checkAll();
    assert.equal(monitor.isHealthy('flaky'), false);
    assert.equal(monitor.isHealthy('steady'), true);
    up = true;
    await monitor.checkAll();
    assert.equal(monitor.isHealthy('flaky'), true);
    assert.deepEqual(changes, ['flaky:false', 'flaky:true']);
  });

  it('fails a check that outlives timeoutMs, and stops its timer and checks on stop()', async () => {
    const seen: AbortSignal[] = [];
    const monitor = new HealthMonitor(
      [
        {
          name: 'slow',
          check: (signal) => {
            seen.push(signal);
            return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          },
        },
      ],
      { intervalMs: 60_000, timeoutMs: 20 },
    );
    await monitor.checkAll();
    assert.equal(monitor.isHealthy('slow'), false);
    monitor.start();
    monitor.stop();
    assert.ok(seen.at(-1)?.aborted, 'the check started by start() is aborted by stop()');
  });
});
