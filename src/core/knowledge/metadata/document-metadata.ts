import { createHash } from 'node:crypto';
import { DocumentError } from '../document-error.js';

/** A filterable attribute value, typed as Bedrock's `MetadataAttributeValue`. */
export type MetadataValue =
  | { type: 'STRING'; value: string }
  | { type: 'NUMBER'; value: number }
  | { type: 'BOOLEAN'; value: boolean }
  | { type: 'STRING_LIST'; value: string[] };

export interface MetadataAttribute {
  value: MetadataValue;
  /** whether the attribute's text is embedded with each chunk (the typed form's `includeForEmbedding`) */
  includeForEmbedding: boolean;
}

/** A document's attributes by key, as retrieval filters see them. */
export type DocumentMetadata = Record<string, MetadataAttribute>;

/** Bedrock's inline attribute (`IngestKnowledgeBaseDocuments`): a key and a typed value. */
export interface InlineMetadataAttribute {
  key: string;
  value: { type: string; stringValue?: string; numberValue?: number; booleanValue?: boolean; stringListValue?: string[] };
}

/** Bedrock's limit on a `.metadata.json` file. */
export const maxSidecarBytes = 10 * 1024;
const maxKeyLength = 200;
const maxStringLength = 2048;
/** Keys Bedrock sets itself on every chunk (`x-amz-bedrock-kb-source-uri`, ...). */
const reservedPrefix = 'x-amz-bedrock-kb-';

/** The sidecar's name for a document: `report.pdf` → `report.pdf.metadata.json`. */
export function sidecarNameFor(name: string): string {
  return `${name}.metadata.json`;
}

/** Whether a file is a sidecar rather than a document to index. */
export function isSidecarName(name: string): boolean {
  return name.endsWith('.metadata.json');
}

/**
 * Reads a `<file>.metadata.json` sidecar in Bedrock's format: plain values
 * (`{"metadataAttributes": {"year": 2024, "genre": "drama", "tags": ["a", "b"], "draft": false}}`)
 * or the typed form (`{"k": {"value": {"type": "STRING", "stringValue": "x"}, "includeForEmbedding": true}}`),
 * mixed freely. Throws a `DocumentError` (`invalid-metadata`) listing every problem, each with its path.
 *
 * @example
 * const metadata = parseMetadataSidecar(bytes, 'report.pdf.metadata.json');
 * metadata.year // { value: { type: 'NUMBER', value: 2024 }, includeForEmbedding: false }
 */
export function parseMetadataSidecar(bytes: Uint8Array, fileName: string): DocumentMetadata {
  if (bytes.byteLength > maxSidecarBytes) {
    throw new DocumentError('invalid-metadata', `${fileName} is ${bytes.byteLength} bytes; a metadata file may have at most ${maxSidecarBytes}.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes).replace(/^\ufeff/, ''));
  } catch (error) {
    throw new DocumentError('invalid-metadata', `${fileName} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const problems: string[] = [];
  const metadata: DocumentMetadata = {};
  if (!isObject(parsed) || !isObject(parsed.metadataAttributes)) {
    problems.push('the file must be an object with a "metadataAttributes" object');
  } else {
    for (const key of Object.keys(parsed)) {
      if (key === 'documentStructureConfiguration') problems.push('documentStructureConfiguration (CSV records with metadata columns) is not supported');
      else if (key !== 'metadataAttributes') problems.push(`unknown field "${key}"`);
    }
    for (const [key, raw] of Object.entries(parsed.metadataAttributes)) {
      const path = `metadataAttributes.${key}`;
      if (!checkKey(key, path, problems)) continue;
      const attribute = isObject(raw) ? typedAttribute(raw, path, problems) : plainAttribute(raw, path, problems);
      if (attribute) metadata[key] = attribute;
    }
  }
  if (problems.length > 0) throw new DocumentError('invalid-metadata', `${fileName} is invalid: ${problems.join('; ')}.`);
  return metadata;
}

/**
 * Turns the inline attributes of a directly ingested document into metadata; none is embedded.
 * Throws a `DocumentError` (`invalid-metadata`) for a value that does not match its type.
 *
 * @example
 * metadataFromAttributes([{ key: 'year', value: { type: 'NUMBER', numberValue: 2024 } }]);
 */
export function metadataFromAttributes(attributes: readonly InlineMetadataAttribute[], documentId = 'document'): DocumentMetadata {
  const problems: string[] = [];
  const metadata: DocumentMetadata = {};
  const seen = new Set<string>();
  for (const [index, attribute] of attributes.entries()) {
    const path = `inlineAttributes[${index}]`;
    if (!checkKey(attribute.key, `${path}.key`, problems)) continue;
    if (seen.has(attribute.key)) {
      problems.push(`${path}: the key "${attribute.key}" appears more than once`);
      continue;
    }
    seen.add(attribute.key);
    const value = typedValue(attribute.value, `${path}.value`, problems);
    if (value) metadata[attribute.key] = { value, includeForEmbedding: false };
  }
  if (problems.length > 0) throw new DocumentError('invalid-metadata', `The metadata of ${documentId} is invalid: ${problems.join('; ')}.`);
  return metadata;
}

/**
 * A stable hash of a document's metadata (keys sorted), so a sync can tell a metadata-only change.
 *
 * @example
 * hashMetadata({}) === hashMetadata({}) // true
 */
export function hashMetadata(metadata: DocumentMetadata | undefined): string {
  const entries = Object.keys(metadata ?? {})
    .sort()
    .map((key) => [key, metadata?.[key]]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

function checkKey(key: string, path: string, problems: string[]): boolean {
  if (key.length === 0 || key.length > maxKeyLength) problems.push(`${path}: a key must have 1 to ${maxKeyLength} characters`);
  else if (key.startsWith(reservedPrefix)) problems.push(`${path}: keys starting with "${reservedPrefix}" are reserved`);
  else if (key === '__proto__') problems.push(`${path}: "__proto__" is not allowed as a key`);
  else return true;
  return false;
}

function plainAttribute(raw: unknown, path: string, problems: string[]): MetadataAttribute | undefined {
  const value = plainValue(raw, path, problems);
  return value && { value, includeForEmbedding: false };
}

function plainValue(raw: unknown, path: string, problems: string[]): MetadataValue | undefined {
  if (typeof raw === 'string') return checkString(raw, path, problems) ? { type: 'STRING', value: raw } : undefined;
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) return { type: 'NUMBER', value: raw };
    problems.push(`${path}: numbers must be finite`);
    return undefined;
  }
  if (typeof raw === 'boolean') return { type: 'BOOLEAN', value: raw };
  if (Array.isArray(raw)) {
    if (raw.every((item): item is string => typeof item === 'string')) {
      return raw.every((item, index) => checkString(item, `${path}[${index}]`, problems)) ? { type: 'STRING_LIST', value: raw } : undefined;
    }
    problems.push(`${path}: a list may hold only strings`);
    return undefined;
  }
  problems.push(`${path}: expected a string, number, boolean or list of strings, got ${raw === null ? 'null' : typeof raw}`);
  return undefined;
}

function typedAttribute(raw: Record<string, unknown>, path: string, problems: string[]): MetadataAttribute | undefined {
  const unknown = Object.keys(raw).filter((key) => key !== 'value' && key !== 'includeForEmbedding');
  if (unknown.length > 0 || !('value' in raw)) {
    problems.push(`${path}: an object must be the typed form {"value": {"type": ..., ...}, "includeForEmbedding": true|false}`);
    return undefined;
  }
  if (raw.includeForEmbedding !== undefined && typeof raw.includeForEmbedding !== 'boolean') {
    problems.push(`${path}.includeForEmbedding: expected true or false`);
    return undefined;
  }
  const value = typedValue(raw.value, `${path}.value`, problems);
  return value && { value, includeForEmbedding: raw.includeForEmbedding === true };
}

const typedFields = { STRING: 'stringValue', NUMBER: 'numberValue', BOOLEAN: 'booleanValue', STRING_LIST: 'stringListValue' } as const;

function typedValue(raw: unknown, path: string, problems: string[]): MetadataValue | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string' || !(raw.type in typedFields)) {
    problems.push(`${path}.type: expected one of STRING, NUMBER, BOOLEAN, STRING_LIST`);
    return undefined;
  }
  const type = raw.type as keyof typeof typedFields;
  const field = typedFields[type];
  if (raw[field] === undefined) {
    problems.push(`${path}.${field}: required for type ${type}`);
    return undefined;
  }
  const value = plainValue(raw[field], `${path}.${field}`, problems);
  if (!value) return undefined;
  if (value.type !== type) {
    problems.push(`${path}.${field}: does not match type ${type}`);
    return undefined;
  }
  return value;
}

function checkString(value: string, path: string, problems: string[]): boolean {
  if (value.length <= maxStringLength) return true;
  problems.push(`${path}: strings may have at most ${maxStringLength} characters`);
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
