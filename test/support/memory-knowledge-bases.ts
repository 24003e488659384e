import { OutcropError } from '../../src/core/errors.js';
import type { EmbeddingModel } from '../../src/core/inference/embedding-model.js';
import type { ChunkToIndex } from '../../src/core/knowledge/index/chunk-index.js';
import type { MetadataJson } from '../../src/core/knowledge/index/retrieval-filter.js';
import type { KnowledgeBaseLookup } from '../../src/core/knowledge/registry/knowledge-base-lookup.js';
import type { KnowledgeBaseRecord } from '../../src/core/knowledge/registry/knowledge-base-record.js';
import { MemoryChunkIndex } from './memory-chunk-index.js';

/** A passage to index directly, for unit tests of retrieval (no parsing, chunking or ingestion job). */
export interface TestPassage {
  id: string;
  documentId?: string;
  text: string;
  parent?: { id: string; text: string };
  metadata?: Record<string, MetadataJson>;
}

/**
 * A `KnowledgeBaseLookup` over the in-memory index, for unit tests: `add` creates a knowledge base
 * and indexes passages with the given embedding model. The real registry and stores are tested
 * end to end through the server.
 */
export class MemoryKnowledgeBases implements KnowledgeBaseLookup {
  readonly index = new MemoryChunkIndex();
  private readonly records = new Map<string, KnowledgeBaseRecord>();

  constructor(private readonly model: EmbeddingModel) {}

  async get(knowledgeBaseId: string): Promise<KnowledgeBaseRecord> {
    const record = this.records.get(knowledgeBaseId);
    if (!record) throw new OutcropError('ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} does not exist.`);
    return record;
  }

  embeddingModel(): EmbeddingModel {
    return this.model;
  }

  async add(knowledgeBaseId: string, passages: readonly TestPassage[]): Promise<void> {
    const now = new Date();
    this.records.set(knowledgeBaseId, {
      knowledgeBaseId,
      name: knowledgeBaseId.toLowerCase(),
      roleArn: 'arn:aws:iam::000000000000:role/test',
      knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: this.model.modelId } },
      dimensions: this.model.dimensions,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    });
    await this.index.createKnowledgeBase(knowledgeBaseId, this.model.dimensions);
    const { embeddings } = await this.model.embed({ values: passages.map((passage) => passage.text), purpose: 'document' });
    const byDocument = new Map<string, ChunkToIndex[]>();
    passages.forEach((passage, position) => {
      const documentId = passage.documentId ?? passage.id;
      const uri = `s3://test-bucket/${documentId}.txt`;
      const chunk: ChunkToIndex = {
        id: passage.id,
        knowledgeBaseId,
        dataSourceId: 'DS00000001',
        documentId,
        text: passage.text,
        ...(passage.parent ? { parent: passage.parent } : {}),
        location: { type: 'S3', s3Location: { uri } },
        metadata: {
          ...passage.metadata,
          'x-amz-bedrock-kb-source-uri': uri,
          'x-amz-bedrock-kb-chunk-id': passage.id,
          'x-amz-bedrock-kb-data-source-id': 'DS00000001',
        },
        embedding: Float32Array.from(embeddings[position] ?? []),
      };
      byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), chunk]);
    });
    for (const [documentId, chunks] of byDocument) await this.index.replaceDocument(knowledgeBaseId, 'DS00000001', documentId, chunks);
  }
}
