import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makePdf } from '../../../../../test/support/document-fixtures.js';
import { type FakeWebsite, startFakeWebsite } from '../../../../../test/support/fake-website.js';
import { parseDocument } from '../../parsing/parse-document.js';
import type { DocumentRef } from '../data-source-reader.js';
import { type CrawlEvent, createWebCrawlerReader, type WebCrawlerOptions } from './web-crawler-reader.js';

let site: FakeWebsite;
const crawlers: { close(): Promise<void> }[] = [];

const page = (title: string, body: string, head = '') => `<html><head><title>${title}</title>${head}</head><body>${body}</body></html>`;
const intro = page('Intro', '<p>Granite is an igneous rock.</p><a href="/docs/">home</a>');

before(async () => {
  site = await startFakeWebsite({
    '/robots.txt': {
      headers: { 'content-type': 'text/plain' },
      body: 'User-agent: *\nDisallow: /\n\nUser-agent: bedrockbot\nDisallow: /docs/private/\nAllow: /\n',
    },
    '/docs/': page(
      'Docs',
      `<nav><a href="intro.html">Intro</a></nav><p>Welcome.</p>
       <a href="private/secret.html">secret</a> <a href="/blog/">blog</a> <a href="copy.html">copy</a>
       <a href="hidden.html">hidden</a> <a href="nofollow.html">nofollow</a> <a href="image.png">image</a>
       <a href="manual.pdf">manual</a> <a href="http://localhost/docs/other.html">other host</a>
       <a href="#top">top</a> <a href="bundle.zip">bundle</a> <a href="moved">moved</a> <a href="gone.html">gone</a>`,
    ),
    '/docs/intro.html': intro,
    '/docs/copy.html': intro,
    '/docs/hidden.html': page('Hidden', '<p>Not indexed.</p><a href="deep.html">deep</a>', '<meta name="robots" content="noindex">'),
    '/docs/deep.html': page('Deep', '<p>Basalt forms from lava.</p>'),
    '/docs/nofollow.html': page('No follow', '<p>Marble.</p><a href="never.html">never</a>', '<meta name="robots" content="nofollow">'),
    '/docs/never.html': page('Never', '<p>never crawled</p>'),
    '/docs/private/secret.html': page('Secret', '<p>secret</p>'),
    '/docs/image.png': { headers: { 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    '/docs/manual.pdf': { headers: { 'content-type': 'application/pdf' }, body: makePdf([['The manual explains obsidian.']]) },
    '/docs/moved': { status: 301, headers: { location: '/docs/intro.html' } },
    '/docs/bundle.zip': { headers: { 'content-type': 'application/zip' }, body: 'zip' },
  });
});

after(async () => {
  await Promise.all(crawlers.map((crawler) => crawler.close()));
  await site.close();
});

function crawler(options: Partial<WebCrawlerOptions> = {}) {
  const created = createWebCrawlerReader({ seedUrls: [`${site.origin}/docs/`], allowPrivateNetworks: true, rateLimit: 60_000, exclusionFilters: ['\\.zip$'], ...options });
  crawlers.push(created);
  return created;
}

async function crawl(reader: ReturnType<typeof createWebCrawlerReader>): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for await (const ref of reader.list()) refs.push(ref);
  return refs;
}

describe('web crawler', () => {
  it('follows in-scope links and honours robots.txt, robots meta tags, filters and duplicate content', async () => {
    site.requests.length = 0;
    const events: CrawlEvent[] = [];
    const reader = crawler({ onEvent: (event) => events.push(event) });
    const refs = await crawl(reader);
    assert.deepEqual(
      refs.map((ref) => ref.id.replace(site.origin, '')),
      ['/docs/', '/docs/intro.html', '/docs/nofollow.html', '/docs/manual.pdf', '/docs/deep.html'],
    );
    assert.equal(reader.listingComplete, true);
    const requested = site.requests.map((request) => request.path);
    assert.equal(requested[0], '/robots.txt');
    for (const path of ['/docs/private/secret.html', '/docs/never.html', '/blog/', '/docs/bundle.zip']) assert.ok(!requested.includes(path), `${path} was requested`);
    assert.equal(requested.filter((path) => path === '/docs/').length, 1, 'the fragment link is the same page');
    assert.ok(site.requests.every((request) => request.userAgent?.startsWith('bedrockbot/')));

    const reasons = Object.fromEntries(events.flatMap((event) => (event.type === 'skipped' ? [[event.url.replace(site.origin, ''), event.reason]] : [])));
    assert.equal(reasons['/docs/private/secret.html'], 'disallowed by robots.txt');
    assert.equal(reasons['/blog/'], 'is outside the scope of the seed URLs');
    assert.equal(reasons['http://localhost/docs/other.html'], 'is outside the scope of the seed URLs');
    assert.equal(reasons['/docs/bundle.zip'], 'matches an exclusion filter');
    assert.equal(reasons['/docs/copy.html'], 'same content as a page already crawled');
    assert.equal(reasons['/docs/hidden.html'], 'noindex');
    assert.equal(reasons['/docs/image.png'], 'image/png is not a supported format');
    assert.equal(reasons['/docs/gone.html'], 'HTTP 404');
    assert.equal(reasons['/docs/moved'], `redirects to ${site.origin}/docs/intro.html, already crawled`);
  });

  it('hands each page to read without fetching it again, ready for the parsers', async () => {
    const reader = crawler();
    const refs = await crawl(reader);
    site.requests.length = 0;
    const manual = refs.find((ref) => ref.fileName === 'manual.pdf')!;
    const docs = refs.find((ref) => ref.id.endsWith('/docs/'))!;
    assert.equal(docs.fileName, 'index.html');
    const parsedManual = await parseDocument({ bytes: await reader.read(manual), fileName: manual.fileName, ...(manual.contentType ? { contentType: manual.contentType } : {}) });
    assert.equal(parsedManual.ok && parsedManual.document.text, 'The manual explains obsidian.');
    const parsedDocs = await parseDocument({ bytes: await reader.read(docs), fileName: docs.fileName, ...(docs.contentType ? { contentType: docs.contentType } : {}) });
    assert.ok(parsedDocs.ok && parsedDocs.document.text.startsWith('Welcome.'));
    assert.deepEqual(site.requests, []);
    assert.equal(await reader.metadata(docs), undefined);
  });

  it('stops at maxPages and says the listing is incomplete', async () => {
    const reader = crawler({ maxPages: 2 });
    assert.equal((await crawl(reader)).length, 2);
    assert.equal(reader.listingComplete, false);
  });

  it('spaces its requests to a host by the rate limit', async () => {
    site.requests.length = 0;
    await crawl(crawler({ rateLimit: 300, maxPages: 3 }));
    const times = site.requests.map((request) => request.at);
    assert.ok(times.length >= 4);
    for (let index = 1; index < times.length; index++) assert.ok(times[index]! - times[index - 1]! >= 190, `requests ${Math.round(times[index]! - times[index - 1]!)} ms apart`);
  });
});

describe('web crawler address policy', () => {
  it('refuses a loopback seed unless the operator allows private networks, without connecting', async () => {
    site.requests.length = 0;
    for (const seed of [`${site.origin}/docs/`, `http://localhost:${site.port}/docs/`]) {
      const events: CrawlEvent[] = [];
      const refs = await crawl(crawler({ seedUrls: [seed], allowPrivateNetworks: false, onEvent: (event) => events.push(event) }));
      assert.deepEqual(refs, []);
      const skipped = events.find((event) => event.type === 'skipped');
      assert.match(skipped?.type === 'skipped' ? skipped.reason : '', /^robots\.txt could not be fetched: .* was refused: .*(127\.0\.0\.1|::1) is a loopback address/);
    }
    assert.deepEqual(site.requests, []);
  });

  it('checks every address a name resolves to, and every redirect', async () => {
    site.requests.length = 0;
    const names: Record<string, string[]> = { 'public.test': ['127.0.0.1'], 'mixed.test': ['127.0.0.1', '10.0.0.7'], 'internal.public.test': ['10.1.2.3'] };
    const resolveHost = async (hostname: string) => (names[hostname] ?? []).map((address) => ({ address, family: 4 }));
    const events: CrawlEvent[] = [];
    // the operator allows this one loopback address (as it would an intranet range), nothing else
    const options = { allowedCidrs: ['127.0.0.1/32'], allowPrivateNetworks: false, resolveHost, onEvent: (event: CrawlEvent) => events.push(event), scope: 'SUBDOMAINS' as const };
    const redirecting: Record<string, { status: number; headers: Record<string, string> }> = {};
    const pages = await startFakeWebsite(redirecting);
    redirecting['/'] = { status: 302, headers: { location: `http://internal.public.test:${pages.port}/` } };
    try {
      assert.deepEqual(await crawl(crawler({ ...options, seedUrls: [`http://public.test:${pages.port}/`] })), []);
      const redirect = events.find((event) => event.type === 'skipped');
      assert.equal(
        redirect?.type === 'skipped' && redirect.reason,
        `http://internal.public.test:${pages.port}/ was refused: internal.public.test resolves to 10.1.2.3 is a private address.`,
      );
      assert.deepEqual(pages.requests.map((request) => request.path), ['/robots.txt', '/'], 'the first hop was fetched, the refused one never connected');
    } finally {
      await pages.close();
    }
    events.length = 0;
    assert.deepEqual(await crawl(crawler({ ...options, seedUrls: [`http://mixed.test:${site.port}/`] })), []);
    const mixed = events.find((event) => event.type === 'skipped');
    assert.match(mixed?.type === 'skipped' ? mixed.reason : '', /mixed\.test resolves to 10\.0\.0\.7 is a private address/);
    assert.deepEqual(site.requests, []);
  });
});
