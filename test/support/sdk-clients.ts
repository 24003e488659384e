import assert from 'node:assert/strict';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { testCredentials } from './test-server.js';

/** The test server's SigV4 credentials, as the AWS SDK clients take them. */
export const sdkCredentials = { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey };

const clientOptions = (url: string) => ({ endpoint: url, region: 'us-east-1', credentials: sdkCredentials, maxAttempts: 1 });

/**
 * The bedrock (control plane) client against a test server, without retries.
 *
 * @example
 * await bedrockClient(server.url).send(new CreateGuardrailCommand(input));
 */
export function bedrockClient(url: string): BedrockClient {
  return new BedrockClient(clientOptions(url));
}

/**
 * The bedrock-agent client against a test server, without retries.
 *
 * @example
 * await agentClient(server.url).send(new CreateKnowledgeBaseCommand(input));
 */
export function agentClient(url: string): BedrockAgentClient {
  return new BedrockAgentClient(clientOptions(url));
}

/**
 * The bedrock-agent-runtime client against a test server, without retries.
 *
 * @example
 * await agentRuntimeClient(server.url).send(new RetrieveCommand(input));
 */
export function agentRuntimeClient(url: string): BedrockAgentRuntimeClient {
  return new BedrockAgentRuntimeClient(clientOptions(url));
}

/**
 * Asserts that an SDK call fails with this error name and HTTP status (and a message matching).
 *
 * @example
 * await rejectsWith(client.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: 'NOSUCHKB00' })), 'ResourceNotFoundException', 404, /NOSUCHKB00/);
 */
export async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata: { httpStatusCode: number } }) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata.httpStatusCode, status);
    if (message) assert.match(error.message, message);
    return true;
  });
}
