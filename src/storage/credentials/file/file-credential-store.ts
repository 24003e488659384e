import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessKey, ApiKeyRecord } from '../../../core/identity/credentials.js';
import type { CredentialStore } from '../credential-store.js';

interface EncryptedSecret {
  iv: string;
  tag: string;
  data: string;
}

interface FileShape {
  version: 1;
  accessKeys: { accessKeyId: string; secret: EncryptedSecret; createdAt: string }[];
  apiKeys: ApiKeyRecord[];
}

/**
 * Credentials in `<dataDir>/credentials.json`, secrets sealed with AES-256-GCM under a master key
 * from `OUTCROP_MASTER_KEY` (base64, 32 bytes) or `<dataDir>/master.key` (created with mode 0600).
 * Writes go to a temporary file first and are renamed into place, so a crash never leaves half a file.
 */
export class FileCredentialStore implements CredentialStore {
  private readonly path: string;
  private readonly key: Buffer;
  private readonly accessKeys = new Map<string, AccessKey>();
  private readonly apiKeys = new Map<string, ApiKeyRecord>();
  private data: FileShape = { version: 1, accessKeys: [], apiKeys: [] };

  constructor(dataDir: string, masterKey: string | undefined = process.env.OUTCROP_MASTER_KEY) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, 'credentials.json');
    this.key = loadMasterKey(dataDir, masterKey);
    if (existsSync(this.path)) {
      this.data = JSON.parse(readFileSync(this.path, 'utf8')) as FileShape;
      for (const stored of this.data.accessKeys) {
        this.accessKeys.set(stored.accessKeyId, { accessKeyId: stored.accessKeyId, secretAccessKey: this.open(stored.secret), createdAt: stored.createdAt });
      }
      for (const key of this.data.apiKeys) this.apiKeys.set(key.sha256, key);
    }
  }

  findAccessKey(accessKeyId: string): AccessKey | null {
    return this.accessKeys.get(accessKeyId) ?? null;
  }

  findApiKeyByHash(sha256: string): ApiKeyRecord | null {
    return this.apiKeys.get(sha256) ?? null;
  }

  addAccessKey(key: AccessKey): void {
    this.accessKeys.set(key.accessKeyId, key);
    this.data.accessKeys.push({ accessKeyId: key.accessKeyId, secret: this.seal(key.secretAccessKey), createdAt: key.createdAt });
    this.save();
  }

  addApiKey(key: ApiKeyRecord): void {
    this.apiKeys.set(key.sha256, key);
    this.data.apiKeys.push(key);
    this.save();
  }

  countAccessKeys(): number {
    return this.accessKeys.size;
  }

  private save(): void {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  private seal(secret: string): EncryptedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  private open(sealed: EncryptedSecret): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('cannot decrypt stored credentials: the master key (OUTCROP_MASTER_KEY or master.key) does not match the one they were sealed with');
    }
  }
}

function loadMasterKey(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('OUTCROP_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const path = join(dataDir, 'master.key');
  if (existsSync(path)) return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64'), { mode: 0o600 });
  chmodSync(path, 0o600);
  return key;
}
