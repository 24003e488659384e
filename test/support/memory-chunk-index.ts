import type { ChunkIndex, ChunkToIndex, ScoredChunk, SearchOptions, StoredChunk } from '../../src/core/knowledge/index/chunk-index.js';
import { matchesFilter } from '../../src/core/knowledge/index/matches-filter.js';
import { cosineSimilarity } from '../../src/storage/knowledge/chunk-index-checks.js';

/**
 * A brute-force, in-memory `ChunkIndex` for unit tests of retrieval: exact cosine similarity, a
 * plain BM25 over lower-cased words, and the core's `matchesFilter` for Bedrock's filters. Not a
 * store: the real ones live in `src/storage/knowledge/`.
 */
export class MemoryChunkIndex implements ChunkIndex {
  private readonly bases = new Map<string, { dimensions: number; chunks: Map<string, ChunkToIndex> }>();

  async createKnowledgeBase(knowledgeBaseId: string, dimensions: number): Promise<void> {
    if (!this.bases.has(knowledgeBaseId)) this.bases.set(knowledgeBaseId, { dimensions, chunks: new Map() });
  }

  async dropKnowledgeBase(knowledgeBaseId: string): Promise<void> {
    this.bases.delete(knowledgeBaseId);
  }

  async replaceDocument(knowledgeBaseId: string, dataSourceId: string, documentId: string, chunks: readonly ChunkToIndex[]): Promise<void> {
    const base = this.base(knowledgeBaseId);
    await this.deleteDocuments(knowledgeBaseId, dataSourceId, [documentId]);
    for (const chunk of chunks) {
      if (chunk.embedding.length !== base.dimensions) throw new Error(`embedding has ${chunk.embedding.length} dimensions, not ${base.dimensions}`);
      base.chunks.set(chunk.id, chunk);
    }
  }

  async deleteDocuments(knowledgeBaseId: string, dataSourceId: string, documentIds: readonly string[]): Promise<void> {
    const base = this.base(knowledgeBaseId);
    for (const [id, chunk] of base.chunks) if (chunk.dataSourceId === dataSourceId && documentIds.includes(chunk.documentId)) base.chunks.delete(id);
  }

  async deleteDataSource(knowledgeBaseId: string, dataSourceId: string): Promise<void> {
    const base = this.base(knowledgeBaseId);
    for (const [id, chunk] of base.chunks) if (chunk.dataSourceId === dataSourceId) base.chunks.delete(id);
  }

  async searchVector(knowledgeBaseId: string, query: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    return this.candidates(knowledgeBaseId, options)
      .map((chunk) => ({ chunk: strip(chunk), score: cosineSimilarity(query, chunk.embedding) }))
      .sort((left, right) => right.score - left.score)
      .slice(0, options.k);
  }

  async searchKeyword(knowledgeBaseId: string, query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    const candidates = this.candidates(knowledgeBaseId, options);
    const documents = candidates.map((chunk) => words(chunk.text));
    const averageLength = documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, documents.length);
    const terms = [...new Set(words(query))];
    const scored: ScoredChunk[] = [];
    candidates.forEach((chunk, index) => {
      const document = documents[index] ?? [];
      let score = 0;
      for (const term of terms) {
        const frequency = document.filter((word) => word === term).length;
        if (frequency === 0) continue;
        const containing = documents.filter((other) => other.includes(term)).length;
        const idf = Math.log(1 + (documents.length - containing + 0.5) / (containing + 0.5));
        score += (idf * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * document.length) / averageLength));
      }
      if (score > 0) scored.push({ chunk: strip(chunk), score });
    });
    return scored.sort((left, right) => right.score - left.score).slice(0, options.k);
  }

  async countChunks(knowledgeBaseId: string, documentId?: { dataSourceId: string; documentId: string }): Promise<number> {
    const chunks = [...this.base(knowledgeBaseId).chunks.values()];
    return documentId ? chunks.filter((chunk) => chunk.dataSourceId === documentId.dataSourceId && chunk.documentId === documentId.documentId).length : chunks.length;
  }

  private candidates(knowledgeBaseId: string, options: SearchOptions): ChunkToIndex[] {
    return [...this.base(knowledgeBaseId).chunks.values()].filter(
      (chunk) => (!options.dataSourceIds || options.dataSourceIds.includes(chunk.dataSourceId)) && (!options.filter || matchesFilter(chunk.metadata, options.filter)),
    );
  }

  private base(knowledgeBaseId: string) {
    const base = this.bases.get(knowledgeBaseId);
    if (!base) throw new Error(`knowledge base ${knowledgeBaseId} has no storage`);
    return base;
  }
}

function strip(chunk: ChunkToIndex): StoredChunk {
  const { embedding: _embedding, ...stored } = chunk;
  return stored;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}
