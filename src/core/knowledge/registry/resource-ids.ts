import { randomInt } from 'node:crypto';
import { OutcropError } from '../../errors.js';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const knowledgeBaseArnPattern = /^arn:aws(?:-[a-z]+)*:bedrock:([a-zA-Z0-9-]*):(\d{12}):knowledge-base\/([0-9a-zA-Z]+)$/;

/**
 * A new 10-character identifier in Bedrock's form for knowledge bases, data sources and ingestion
 * jobs (upper-case letters and digits).
 *
 * @example
 * newResourceId() // 'K7QZ2M9XHD'
 */
export function newResourceId(): string {
  return Array.from({ length: 10 }, () => idAlphabet[randomInt(idAlphabet.length)]).join('');
}

/** `arn:aws:bedrock:<region>:<account>:knowledge-base/<id>` */
export function knowledgeBaseArn(region: string, accountId: string, knowledgeBaseId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:knowledge-base/${knowledgeBaseId}`;
}

/** The knowledge-base id of a knowledge-base ARN, or undefined when the ARN names something else. */
export function knowledgeBaseIdOfArn(arn: string): string | undefined {
  return knowledgeBaseArnPattern.exec(arn)?.[3];
}

/**
 * One page of a list held in memory, with Bedrock's opaque `nextToken` (an offset, base64url).
 *
 * @example
 * const { items, nextToken } = pageOf(all, { maxResults: 10, nextToken: input.nextToken });
 */
export function pageOf<T>(all: readonly T[], request: { maxResults?: number; nextToken?: string }): { items: T[]; nextToken?: string } {
  let start = 0;
  if (request.nextToken !== undefined) {
    start = Number(Buffer.from(request.nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > all.length) throw new OutcropError('ValidationException', 'The nextToken is not valid.');
  }
  const size = request.maxResults ?? 100;
  const items = all.slice(start, start + size);
  return start + size < all.length ? { items, nextToken: Buffer.from(String(start + size)).toString('base64url') } : { items };
}
