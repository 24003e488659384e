import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type FakeWebsite, startFakeWebsite } from '../../../../../test/support/fake-website.js';
import { createAddressPolicy } from '../../../net/address-policy.js';
import { type GuardedFetcher, createGuardedFetcher } from './guarded-fetch.js';

let site: FakeWebsite;
const fetchers: GuardedFetcher[] = [];

function fetcher(options: Partial<Parameters<typeof createGuardedFetcher>[0]> = {}): GuardedFetcher {
  const created = createGuardedFetcher({ policy: createAddressPolicy({ allowPrivateNetworks: true }), userAgent: 'test-agent', ...options });
  fetchers.push(created);
  return created;
}

before(async () => {
  site = await startFakeWebsite({
    '/page': 'hello',
    '/big': 'x'.repeat(2000),
    '/hop': { status: 302, headers: { location: '/page' } },
    '/loop': { status: 302, headers: { location: '/loop' } },
    '/to-file': { status: 302, headers: { location: 'file:///etc/passwd' } },
  });
});

after(async () => {
  await Promise.all(fetchers.map((created) => created.close()));
  await site.close();
});

describe('guarded fetch', () => {
  it('fetches, follows redirects by hand and reports the final URL', async () => {
    const page = await fetcher().fetch(`${site.origin}/hop`);
    assert.equal(page.url, `${site.origin}/page`);
    assert.equal(page.status, 200);
    assert.equal(new TextDecoder().decode(page.body), 'hello');
    assert.equal(site.requests.at(-1)?.userAgent, 'test-agent');
  });

  it('lets the caller stop at a redirect target', async () => {
    await assert.rejects(fetcher().fetch(`${site.origin}/hop`, { checkRedirect: () => 'is out of scope' }), {
      reason: 'unreadable',
      message: `${site.origin}/hop redirects to ${site.origin}/page, which is out of scope.`,
    });
  });

  it('refuses redirect loops, other schemes and oversized bodies', async () => {
    await assert.rejects(fetcher().fetch(`${site.origin}/loop`), { message: `${site.origin}/loop redirects more than 5 times.` });
    await assert.rejects(fetcher().fetch(`${site.origin}/to-file`), { message: 'file:///etc/passwd: only http and https URLs are crawled.' });
    await assert.rejects(fetcher({ maxBytes: 1000 }).fetch(`${site.origin}/big`), { reason: 'too-large' });
  });

  it('refuses loopback by literal and by name when private networks are not allowed, before connecting', async () => {
    site.requests.length = 0;
    const strict = fetcher({ policy: createAddressPolicy() });
    await assert.rejects(strict.fetch(`${site.origin}/page`), { reason: 'unreadable', message: `${site.origin}/page was refused: 127.0.0.1 is a loopback address.` });
    await assert.rejects(strict.fetch(`http://[::1]:${site.port}/page`), { message: /was refused: ::1 is a loopback address/ });
    await assert.rejects(strict.fetch(`http://localhost:${site.port}/page`), { message: /was refused: localhost resolves to .*is a loopback address/ });
    assert.deepEqual(site.requests, []);
  });

  it('reports unreachable hosts as unreadable', async () => {
    const unresolvable = fetcher({ resolveHost: async () => [] });
    await assert.rejects(unresolvable.fetch('http://nowhere.test/'), { reason: 'unreadable', message: /http:\/\/nowhere\.test\/ could not be fetched: nowhere\.test has no address \(ENOTFOUND\)$/ });
  });
});
