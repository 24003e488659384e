import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultRoutingPolicy } from '../core/models/routing/routing-policy.js';
import { catalogEntries, parseConfig } from './config.js';

const providers = `
providers:
  a: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1" }
  b: { type: openai-compatible, baseUrl: "http://127.0.0.1:2/v1" }
`;

describe('deployments and routing in the configuration', () => {
  it('turns deployments into catalog entries with a merged routing policy; the single form stays as it was', () => {
    const config = parseConfig(`${providers}
routing:
  maxAttempts: 4
  cooldownMs: 10000
  healthCheck: { intervalMs: 5000 }
models:
  - id: llama
    deployments:
      - { provider: a, upstreamModel: llama-a, weight: 3 }
      - { provider: b, priority: 1 }
    routing: { cooldownMs: 2000 }
  - { id: single, provider: a, upstreamModel: up }
`);
    const [routed, single] = catalogEntries(config);
    assert.deepEqual(routed?.deployments, [
      { provider: 'a', upstreamModel: 'llama-a', weight: 3, priority: 0 },
      { provider: 'b', upstreamModel: 'llama', weight: 1, priority: 1 },
    ]);
    assert.equal(routed?.provider, 'a');
    assert.equal(routed?.upstreamModel, 'llama-a');
    assert.equal(routed?.providerName, 'a');
    assert.deepEqual(routed?.routing, { ...defaultRoutingPolicy, maxAttempts: 4, cooldownMs: 2000 });
    assert.equal(single?.deployments, undefined);
    assert.equal(single?.routing, undefined);
    assert.equal(single?.upstreamModel, 'up');
    assert.deepEqual(config.routing.healthCheck, { intervalMs: 5000 });
  });

  it('needs exactly one of provider and deployments', () => {
    assert.throws(() => parseConfig(`${providers}\nmodels:\n  - { id: x }\n`), /either provider .* or deployments/);
    assert.throws(() => parseConfig(`${providers}\nmodels:\n  - { id: x, provider: a, deployments: [{ provider: b }] }\n`), /either provider/);
    assert.throws(() => parseConfig(`${providers}\nmodels:\n  - { id: x, deployments: [] }\n`), /models\.0\.deployments/);
    assert.throws(() => parseConfig(`${providers}\nmodels:\n  - { id: x, deployments: [{ provider: a, weight: 0 }] }\n`), /weight/);
  });

  it('defaults storage to SQLite and asks PostgreSQL for a URL', () => {
    assert.deepEqual(parseConfig('').storage, { driver: 'sqlite' });
    assert.deepEqual(parseConfig('storage: { driver: postgres, url: "postgres://u@h/db" }').storage, { driver: 'postgres', url: 'postgres://u@h/db' });
    assert.throws(() => parseConfig('storage: { driver: postgres }'), /needs storage.url/);
  });
});
