import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownParser } from './markdown-parser.js';

const guide = `---
title: "Field guide"
tags: [rocks]
---
# Igneous rocks

**Granite** forms from *magma* &amp; cools slowly. See [the atlas](https://example.com/atlas) and \`rock --list\`.

## Basalt

- dense
- dark, with ![a photo](basalt.png)

> Basalt covers most of the ocean floor.

\`\`\`
$ identify basalt
\`\`\`

| Rock | Type |
| ---- | ---- |
| Granite | Igneous |

# Sedimentary rocks
Sandstone.
`;

describe('Markdown parser', () => {
  it('strips the syntax and keeps the heading structure', async () => {
    const document = await markdownParser.parse({ bytes: new TextEncoder().encode(guide), fileName: 'guide.md' });
    assert.equal(
      document.text,
      [
        'Igneous rocks',
        'Granite forms from magma & cools slowly. See the atlas and rock --list.',
        'Basalt',
        'dense\ndark, with a photo',
        'Basalt covers most of the ocean floor.',
        '$ identify basalt',
        'Rock | Type\nGranite | Igneous',
        'Sedimentary rocks',
        'Sandstone.',
      ].join('\n\n'),
    );
    assert.deepEqual(document.properties, { format: 'markdown', title: 'Field guide' });
    const headings = document.sections.flatMap((section) => (section.kind === 'heading' ? [[section.level, section.title, document.text.slice(section.start, section.end)]] : []));
    assert.deepEqual(headings[1], [2, 'Basalt', 'Basalt\n\ndense\ndark, with a photo\n\nBasalt covers most of the ocean floor.\n\n$ identify basalt\n\nRock | Type\nGranite | Igneous']);
    assert.equal(headings[2]?.[1], 'Sedimentary rocks');
  });

  it('takes the first level-1 heading as the title when there is no front matter', async () => {
    const document = await markdownParser.parse({ bytes: new TextEncoder().encode('Intro\n\n# Rocks\n\ntext'), fileName: 'a.md' });
    assert.equal(document.properties.title, 'Rocks');
  });
});
