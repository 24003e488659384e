import type { AccessKey, ApiKeyRecord } from '../../core/identity/credentials.js';

/**
 * Where access keys and API keys live. Lookups are synchronous because they sit on every request's
 * hot path: implementations keep an in-memory index and persist writes.
 */
export interface CredentialStore {
  findAccessKey(accessKeyId: string): AccessKey | null;
  /** Finds an API key by the SHA-256 of its token. */
  findApiKeyByHash(sha256: string): ApiKeyRecord | null;
  addAccessKey(key: AccessKey): void;
  addApiKey(key: ApiKeyRecord): void;
  countAccessKeys(): number;
}
