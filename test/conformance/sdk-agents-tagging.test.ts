/**
 * bedrock-agent's TagResource, UntagResource and ListTagsForResource on an agent, an agent alias and
 * a knowledge base, through @aws-sdk/client-bedrock-agent against the real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BedrockAgentClient,
  CreateAgentAliasCommand,
  CreateAgentCommand,
  CreateKnowledgeBaseCommand,
  ListTagsForResourceCommand,
  PrepareAgentCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-bedrock-agent';
import { type TestServer, startTestServer, testCredentials } from '../support/test-server.js';

let server: TestServer;
const client = () =>
  new BedrockAgentClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: testCredentials.accessKeyId, secretAccessKey: testCredentials.secretAccessKey }, maxAttempts: 1 });

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

async function tags(resourceArn: string): Promise<Record<string, string>> {
  return (await client().send(new ListTagsForResourceCommand({ resourceArn }))).tags ?? {};
}

async function exercise(resourceArn: string, created: Record<string, string>): Promise<void> {
  assert.deepEqual(await tags(resourceArn), created);
  await client().send(new TagResourceCommand({ resourceArn, tags: { team: 'geology', stage: 'test' } }));
  assert.deepEqual(await tags(resourceArn), { ...created, team: 'geology', stage: 'test' });
  await client().send(new TagResourceCommand({ resourceArn, tags: { stage: 'prod' } }));
  assert.equal((await tags(resourceArn)).stage, 'prod', 'tagging a key again replaces its value');
  await client().send(new UntagResourceCommand({ resourceArn, tagKeys: ['stage', 'not-there'] }));
  assert.deepEqual(await tags(resourceArn), { ...created, team: 'geology' });
}

describe('bedrock-agent tagging', () => {
  it('tags, lists and untags an agent and an agent alias', async () => {
    const agent = await client().send(
      new CreateAgentCommand({ agentName: 'tagged-agent', foundationModel: 'outcrop.text', instruction: 'You answer questions about rocks and minerals, briefly.', tags: { owner: 'ada' } }),
    );
    const agentArn = agent.agent?.agentArn ?? '';
    assert.match(agentArn, /^arn:aws:bedrock:us-east-1:\d{12}:agent\/[0-9A-Z]{10}$/);
    await exercise(agentArn, { owner: 'ada' });
    await client().send(new PrepareAgentCommand({ agentId: agent.agent?.agentId }));
    const alias = await client().send(new CreateAgentAliasCommand({ agentId: agent.agent?.agentId, agentAliasName: 'live', tags: { env: 'live' } }));
    const aliasArn = alias.agentAlias?.agentAliasArn ?? '';
    assert.match(aliasArn, /^arn:aws:bedrock:us-east-1:\d{12}:agent-alias\/[0-9A-Z]{10}\/[0-9A-Z]{10}$/);
    await exercise(aliasArn, { env: 'live' });
    assert.deepEqual(await tags(agentArn), { owner: 'ada', team: 'geology' }, 'the alias has its own tags');
  });

  it('tags, lists and untags a knowledge base', async () => {
    const created = await client().send(
      new CreateKnowledgeBaseCommand({
        name: 'tagged-kb',
        roleArn: 'arn:aws:iam::123456789012:role/AmazonBedrockExecutionRoleForKnowledgeBase',
        knowledgeBaseConfiguration: { type: 'VECTOR', vectorKnowledgeBaseConfiguration: { embeddingModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0' } },
        tags: { owner: 'bob' },
      }),
    );
    const knowledgeBaseArn = created.knowledgeBase?.knowledgeBaseArn ?? '';
    assert.match(knowledgeBaseArn, /^arn:aws:bedrock:us-east-1:\d{12}:knowledge-base\/[0-9A-Z]{10}$/);
    await exercise(knowledgeBaseArn, { owner: 'bob' });
  });

  it('answers ResourceNotFoundException for ARNs of resources that do not exist, and ValidationException for a malformed ARN', async () => {
    for (const resourceArn of [
      'arn:aws:bedrock:us-east-1:123456789012:agent/NOSUCHAGNT',
      'arn:aws:bedrock:us-east-1:123456789012:agent-alias/NOSUCHAGNT/NOSUCHALIA',
      'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/NOSUCHKB00',
    ]) {
      await assert.rejects(client().send(new TagResourceCommand({ resourceArn, tags: { a: 'b' } })), (error: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(error.name, 'ResourceNotFoundException', `${resourceArn}: ${error.message}`);
        assert.equal(error.$metadata.httpStatusCode, 404);
        return true;
      });
      await assert.rejects(client().send(new ListTagsForResourceCommand({ resourceArn })), { name: 'ResourceNotFoundException' });
    }
    await assert.rejects(client().send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })), (error: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'ValidationException', error.message);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  it('refuses more than 50 tags on one resource, keeping the tags it had', async () => {
    const agent = await client().send(new CreateAgentCommand({ agentName: 'crowded-agent', foundationModel: 'outcrop.text', instruction: 'You answer questions about rocks and minerals, briefly.' }));
    const resourceArn = agent.agent?.agentArn ?? '';
    const many = Object.fromEntries(Array.from({ length: 45 }, (_, index) => [`k${index}`, 'v']));
    await client().send(new TagResourceCommand({ resourceArn, tags: many }));
    const more = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`extra${index}`, 'v']));
    await assert.rejects(client().send(new TagResourceCommand({ resourceArn, tags: more })), (error: Error & { $metadata: { httpStatusCode: number } }) => {
      assert.equal(error.name, 'TooManyTagsException', error.message);
      assert.equal(error.$metadata.httpStatusCode, 400);
      return true;
    });
    assert.equal(Object.keys(await tags(resourceArn)).length, 45);
  });
});
