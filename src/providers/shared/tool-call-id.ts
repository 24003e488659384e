import { randomBytes } from 'node:crypto';

/**
 * A tool-call ID in Bedrock's style (`tooluse_` and 22 URL-safe characters), for backends that
 * give their calls none (Gemini, Ollama).
 *
 * @example
 * generateToolCallId(); // 'tooluse_kZ0xYv3mT1qW8bN2cR5dEf'
 */
export function generateToolCallId(): string {
  return `tooluse_${randomBytes(16).toString('base64url').slice(0, 22)}`;
}
