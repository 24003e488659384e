import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DocumentSection } from '../parsing/parsed-document.js';
import { locateSpan } from './locate-span.js';

describe('locateSpan', () => {
  const sections: DocumentSection[] = [
    { kind: 'page', pageNumber: 1, start: 0, end: 100 },
    { kind: 'heading', level: 1, title: 'Rocks', start: 0, end: 250 },
    { kind: 'heading', level: 2, title: 'Granite', start: 40, end: 120 },
    { kind: 'page', pageNumber: 2, start: 102, end: 200 },
    { kind: 'heading', level: 2, title: 'Basalt', start: 122, end: 250 },
    { kind: 'page', pageNumber: 3, start: 202, end: 250 },
  ];

  it('gives the first and last page and the headings the span starts under', () => {
    assert.deepEqual(locateSpan(sections, 50, 150), { pageNumber: 1, lastPageNumber: 2, headings: ['Rocks', 'Granite'] });
    assert.deepEqual(locateSpan(sections, 130, 140), { pageNumber: 2, headings: ['Rocks', 'Basalt'] });
    assert.deepEqual(locateSpan(sections, 0, 30), { pageNumber: 1, headings: ['Rocks'] });
    assert.deepEqual(locateSpan(sections, 10, 240), { pageNumber: 1, lastPageNumber: 3, headings: ['Rocks'] });
  });

  it('gives the sheet and the rows of tables', () => {
    const table: DocumentSection[] = [
      { kind: 'sheet', name: 'Inventory', start: 0, end: 60 },
      { kind: 'heading', level: 1, title: 'Inventory', start: 0, end: 60 },
      { kind: 'row', rowNumber: 2, start: 11, end: 30 },
      { kind: 'row', rowNumber: 3, start: 31, end: 45 },
      { kind: 'row', rowNumber: 4, start: 46, end: 60 },
    ];
    assert.deepEqual(locateSpan(table, 11, 45), { sheet: 'Inventory', firstRowNumber: 2, lastRowNumber: 3, headings: ['Inventory'] });
    assert.deepEqual(locateSpan([], 0, 10), {});
  });
});
