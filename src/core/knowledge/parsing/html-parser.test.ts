import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlParser } from './html-parser.js';
import { readHtml } from './html-content.js';

const page = `<!doctype html>
<html lang="en"><head><title> Rocks &amp; Minerals </title><meta charset="utf-8">
<meta name="robots" content="noindex"><style>p { color: red }</style><script>var hidden = "never indexed";</script></head>
<body>
  <nav><a href="/home">Home</a> <a href="/about">About</a></nav>
  <h1>Igneous rocks</h1>
  <p>Granite   forms from
     magma.<br>It is coarse-grained.</p>
  <h2>Basalt</h2>
  <p>Basalt forms from <a href="https://example.com/lava#flows">lava</a>.</p>
  <div hidden>secret</div>
  <ul><li>dense</li><li>dark</li></ul>
  <table><tr><th>Rock</th><th>Type</th></tr><tr><td>Granite</td><td>Igneous</td></tr></table>
  <pre>  line one
    indented</pre>
  <h1>Sedimentary rocks</h1>
  <p>Sandstone.</p>
  <noscript>enable JavaScript</noscript>
</body></html>`;

describe('HTML parser', () => {
  it('keeps readable text, paragraph breaks and headings; drops scripts, styles, navigation, hidden content', async () => {
    const document = await htmlParser.parse({ bytes: new TextEncoder().encode(page), fileName: 'rocks.html' });
    assert.equal(
      document.text,
      [
        'Igneous rocks',
        'Granite forms from magma.\nIt is coarse-grained.',
        'Basalt',
        'Basalt forms from lava.',
        'dense\ndark',
        'Rock | Type\nGranite | Igneous',
        'line one\n    indented',
        'Sedimentary rocks',
        'Sandstone.',
      ].join('\n\n'),
    );
    assert.deepEqual(document.properties, { format: 'html', title: 'Rocks & Minerals', language: 'en' });
    const headings = document.sections.filter((section) => section.kind === 'heading');
    assert.deepEqual(
      headings.map((section) => [section.kind === 'heading' && section.title, section.kind === 'heading' && section.level, document.text.slice(section.start, section.end).split('\n')[0]]),
      [
        ['Igneous rocks', 1, 'Igneous rocks'],
        ['Basalt', 2, 'Basalt'],
        ['Sedimentary rocks', 1, 'Sedimentary rocks'],
      ],
    );
    const igneous = headings[0]!;
    assert.ok(document.text.slice(igneous.start, igneous.end).endsWith('indented'), 'a level-1 section runs to the next level-1 heading');
  });

  it('reports links, the base URL and robots directives for the crawler', () => {
    const content = readHtml(page.replace('<head>', '<head><base href="https://example.com/docs/">'));
    assert.deepEqual(content.links, ['/home', '/about', 'https://example.com/lava#flows']);
    assert.equal(content.baseHref, 'https://example.com/docs/');
    assert.deepEqual(content.robots, { noindex: true, nofollow: false });
  });

  it('decodes the charset the page declares', async () => {
    const latin1 = Buffer.from('<meta charset="iso-8859-1"><p>Caf\u00e9 cr\u00e8me</p>', 'latin1');
    const document = await htmlParser.parse({ bytes: new Uint8Array(latin1), fileName: 'menu.html' });
    assert.equal(document.text, 'Caf\u00e9 cr\u00e8me');
  });
});
