/** Who made a request, once authenticated. */
export interface Principal {
  /** access key ID or API key ID */
  keyId: string;
  kind: 'sigv4' | 'api-key' | 'anonymous';
}

/** A stored AWS-style access key; the secret is kept encrypted at rest by the store. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  createdAt: string;
}

/** A Bedrock API key (`Authorization: Bearer ...`); only its hash is stored. */
export interface ApiKeyRecord {
  id: string;
  sha256: string;
  createdAt: string;
}
