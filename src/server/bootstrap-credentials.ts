import { createHash, randomBytes } from 'node:crypto';
import type { CredentialStore } from '../storage/credentials/credential-store.js';

export interface BootstrapResult {
  /** credentials created on this start, to print once */
  created: { accessKeyId: string; secretAccessKey: string; apiKey: string } | null;
  rootAccessKeyId: string | null;
}

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomAccessKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (let index = 0; index < 16; index++) id += base32[(bytes[index] as number) % 32];
  return id;
}

export function hashApiKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Root credentials: from `OUTCROP_ROOT_ACCESS_KEY_ID` / `OUTCROP_ROOT_SECRET_ACCESS_KEY` (and
 * `OUTCROP_ROOT_API_KEY`) when set, otherwise generated on the first start and stored.
 */
export function bootstrapCredentials(store: CredentialStore, env: NodeJS.ProcessEnv = process.env): BootstrapResult {
  const now = new Date().toISOString();
  const accessKeyId = env.OUTCROP_ROOT_ACCESS_KEY_ID;
  const secretAccessKey = env.OUTCROP_ROOT_SECRET_ACCESS_KEY;
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) throw new Error('set both OUTCROP_ROOT_ACCESS_KEY_ID and OUTCROP_ROOT_SECRET_ACCESS_KEY, or neither');
    const existing = store.findAccessKey(accessKeyId);
    if (!existing || existing.secretAccessKey !== secretAccessKey) store.addAccessKey({ accessKeyId, secretAccessKey, createdAt: now });
  }
  const apiKey = env.OUTCROP_ROOT_API_KEY;
  if (apiKey && !store.findApiKeyByHash(hashApiKey(apiKey))) store.addApiKey({ id: 'root-env', sha256: hashApiKey(apiKey), createdAt: now });
  if (store.countAccessKeys() > 0) return { created: null, rootAccessKeyId: accessKeyId ?? null };
  const created = {
    accessKeyId: randomAccessKeyId(),
    secretAccessKey: randomBytes(30).toString('base64'),
    apiKey: `ABSK${randomBytes(32).toString('base64url')}`,
  };
  store.addAccessKey({ accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey, createdAt: now });
  store.addApiKey({ id: 'root', sha256: hashApiKey(created.apiKey), createdAt: now });
  return { created, rootAccessKeyId: created.accessKeyId };
}
