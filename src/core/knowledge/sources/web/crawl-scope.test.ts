import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCrawlScope } from './crawl-scope.js';

const refusal = (scope: ReturnType<typeof createCrawlScope>, url: string) => scope.refusal(new URL(url));

describe('crawl scope', () => {
  it('DEFAULT stays on the seed host, under the seed path', () => {
    const scope = createCrawlScope({ seedUrls: ['https://aws.example.com/bedrock/'] });
    assert.equal(refusal(scope, 'https://aws.example.com/bedrock/'), undefined);
    assert.equal(refusal(scope, 'https://aws.example.com/bedrock/agents/faq?x=1'), undefined);
    assert.equal(refusal(scope, 'https://aws.example.com/bedrock-other/'), 'is outside the scope of the seed URLs');
    assert.equal(refusal(scope, 'https://aws.example.com/s3/'), 'is outside the scope of the seed URLs');
    assert.equal(refusal(scope, 'https://docs.aws.example.com/bedrock/'), 'is outside the scope of the seed URLs');
  });

  it('HOST_ONLY stays on the seed host, port included', () => {
    const scope = createCrawlScope({ seedUrls: ['http://127.0.0.1:8080/docs/'], scope: 'HOST_ONLY' });
    assert.equal(refusal(scope, 'http://127.0.0.1:8080/anything'), undefined);
    assert.equal(refusal(scope, 'http://127.0.0.1:9090/docs/'), 'is outside the scope of the seed URLs');
  });

  it('SUBDOMAINS covers the registrable domain, and knows private suffixes', () => {
    const scope = createCrawlScope({ seedUrls: ['https://aws.example.co.uk/bedrock/', 'https://alice.github.io/'], scope: 'SUBDOMAINS' });
    assert.equal(refusal(scope, 'https://www.example.co.uk/'), undefined);
    assert.equal(refusal(scope, 'https://example.co.uk/x'), undefined);
    assert.equal(refusal(scope, 'https://other.co.uk/'), 'is outside the scope of the seed URLs');
    assert.equal(refusal(scope, 'https://docs.alice.github.io/'), undefined);
    assert.equal(refusal(scope, 'https://mallory.github.io/'), 'is outside the scope of the seed URLs');
  });

  it('applies inclusion and exclusion filters, exclusion winning', () => {
    const scope = createCrawlScope({ seedUrls: ['https://example.com/'], inclusionFilters: ['/docs/', '\\.pdf$'], exclusionFilters: ['/docs/private/'] });
    assert.equal(refusal(scope, 'https://example.com/docs/intro'), undefined);
    assert.equal(refusal(scope, 'https://example.com/files/a.pdf'), undefined);
    assert.equal(refusal(scope, 'https://example.com/blog/'), 'matches no inclusion filter');
    assert.equal(refusal(scope, 'https://example.com/docs/private/key'), 'matches an exclusion filter');
    assert.equal(refusal(scope, 'ftp://example.com/docs/'), 'is not an http or https URL');
    assert.equal(refusal(scope, `https://example.com/docs/${'a'.repeat(2100)}`), 'is longer than 2048 characters');
    assert.throws(() => createCrawlScope({ seedUrls: ['https://example.com/'], exclusionFilters: ['(unclosed'] }), { name: 'ValidationException', message: /The exclusion filter pattern "\(unclosed" is not a valid regular expression/ });
  });
});
