import { OutcropError } from '../../core/errors.js';
import type { DirectDocument, DocumentDetail, DocumentIdentifier } from '../../core/knowledge/ingestion/knowledge-base-documents.js';
import type {
  DeleteKnowledgeBaseDocumentsRequest,
  DocumentIdentifier as WireDocumentIdentifier,
  GetKnowledgeBaseDocumentsRequest,
  IngestKnowledgeBaseDocumentsRequest,
  KnowledgeBaseDocument,
  ListKnowledgeBaseDocumentsRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { knowledgeBasesOf, present } from './knowledge-bases-of.js';

function identifierOf(identifier: WireDocumentIdentifier, path: string): DocumentIdentifier {
  if (identifier.dataSourceType === 'CUSTOM') {
    if (!identifier.custom?.id) throw new OutcropError('ValidationException', `${path}.custom.id is required when dataSourceType is CUSTOM.`);
    return { dataSourceType: 'CUSTOM', custom: { id: identifier.custom.id } };
  }
  if (!identifier.s3?.uri) throw new OutcropError('ValidationException', `${path}.s3.uri is required when dataSourceType is S3.`);
  return { dataSourceType: 'S3', s3: { uri: identifier.s3.uri } };
}

/** A wire `KnowledgeBaseDocument` in the core's neutral form. */
function documentOf(document: KnowledgeBaseDocument, index: number): DirectDocument {
  const path = `documents[${index}]`;
  const content = document.content;
  let direct: Pick<DirectDocument, 'identifier' | 'content'>;
  if (content.dataSourceType === 'S3') {
    const uri = content.s3?.s3Location?.uri;
    if (!uri) throw new OutcropError('ValidationException', `${path}.content.s3.s3Location is required when dataSourceType is S3.`);
    direct = { identifier: { dataSourceType: 'S3', s3: { uri } }, content: { type: 'S3', uri } };
  } else {
    const custom = content.custom;
    if (!custom) throw new OutcropError('ValidationException', `${path}.content.custom is required when dataSourceType is CUSTOM.`);
    const identifier: DocumentIdentifier = { dataSourceType: 'CUSTOM', custom: { id: custom.customDocumentIdentifier.id } };
    if (custom.sourceType === 'S3_LOCATION') {
      if (!custom.s3Location) throw new OutcropError('ValidationException', `${path}.content.custom.s3Location is required when sourceType is S3_LOCATION.`);
      direct = { identifier, content: { type: 'S3', uri: custom.s3Location.uri } };
    } else {
      const inline = custom.inlineContent;
      if (inline?.type === 'TEXT' && inline.textContent) direct = { identifier, content: { type: 'TEXT', text: inline.textContent.data } };
      else if (inline?.type === 'BYTE' && inline.byteContent) direct = { identifier, content: { type: 'BYTE', bytes: inline.byteContent.data, mimeType: inline.byteContent.mimeType } };
      else throw new OutcropError('ValidationException', `${path}.content.custom.inlineContent needs textContent for type TEXT or byteContent for type BYTE.`);
    }
  }
  const metadata = document.metadata;
  if (!metadata) return direct;
  if (metadata.accessControlList) throw new OutcropError('ValidationException', `${path}.metadata.accessControlList is not supported by this server.`);
  if (metadata.type === 'S3_LOCATION') {
    if (!metadata.s3Location) throw new OutcropError('ValidationException', `${path}.metadata.s3Location is required when the metadata type is S3_LOCATION.`);
    return { ...direct, metadata: { type: 'S3', uri: metadata.s3Location.uri } };
  }
  if (!metadata.inlineAttributes) throw new OutcropError('ValidationException', `${path}.metadata.inlineAttributes is required when the metadata type is IN_LINE_ATTRIBUTE.`);
  return { ...direct, metadata: { type: 'INLINE', attributes: metadata.inlineAttributes } };
}

function detailOut(detail: DocumentDetail): Record<string, unknown> {
  return present({ ...detail });
}

/** IngestKnowledgeBaseDocuments */
export async function ingestKnowledgeBaseDocuments(input: IngestKnowledgeBaseDocumentsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const details = await knowledgeBasesOf(context).documents.ingest(input.knowledgeBaseId, input.dataSourceId, input.documents.map(documentOf));
  return { documentDetails: details.map(detailOut) };
}

/** GetKnowledgeBaseDocuments */
export async function getKnowledgeBaseDocuments(input: GetKnowledgeBaseDocumentsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const identifiers = input.documentIdentifiers.map((identifier, index) => identifierOf(identifier, `documentIdentifiers[${index}]`));
  return { documentDetails: (await knowledgeBasesOf(context).documents.get(input.knowledgeBaseId, input.dataSourceId, identifiers)).map(detailOut) };
}

/** ListKnowledgeBaseDocuments */
export async function listKnowledgeBaseDocuments(input: ListKnowledgeBaseDocumentsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = await knowledgeBasesOf(context).documents.list(input.knowledgeBaseId, input.dataSourceId, present({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return { documentDetails: page.items.map(detailOut), ...present({ nextToken: page.nextToken }) };
}

/** DeleteKnowledgeBaseDocuments */
export async function deleteKnowledgeBaseDocuments(input: DeleteKnowledgeBaseDocumentsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const identifiers = input.documentIdentifiers.map((identifier, index) => identifierOf(identifier, `documentIdentifiers[${index}]`));
  return { documentDetails: (await knowledgeBasesOf(context).documents.delete(input.knowledgeBaseId, input.dataSourceId, identifiers)).map(detailOut) };
}
