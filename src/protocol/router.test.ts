import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bedrockAgentModel, bedrockAgentRuntimeModel, bedrockModel, bedrockRuntimeModel } from './generated/index.js';
import type { OperationModel, ServiceModel } from './model-types.js';
import { type RoutedOperation, Router } from './router.js';

const router = new Router([bedrockRuntimeModel, bedrockModel, bedrockAgentModel, bedrockAgentRuntimeModel]);

function route(method: string, target: string): RoutedOperation[] {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  return router.match(method, path, new URLSearchParams(queryAt === -1 ? '' : target.slice(queryAt + 1)));
}

function names(routes: RoutedOperation[]): string[] {
  return routes.map((routed) => `${routed.service.name}:${routed.operation.name}`);
}

function only(method: string, target: string): RoutedOperation {
  const routes = route(method, target);
  assert.equal(routes.length, 1, `${method} ${target} matched ${JSON.stringify(names(routes))}`);
  return routes[0] as RoutedOperation;
}

describe('Router over the generated Bedrock models', () => {
  it('routes Converse, ConverseStream and InvokeModel by method and template', () => {
    assert.deepEqual(names(route('POST', '/model/my-model/converse')), ['bedrock-runtime:Converse']);
    assert.deepEqual(names(route('POST', '/model/my-model/converse-stream')), ['bedrock-runtime:ConverseStream']);
    assert.deepEqual(names(route('POST', '/model/my-model/invoke')), ['bedrock-runtime:InvokeModel']);
    assert.deepEqual(names(route('POST', '/model/my-model/invoke-with-response-stream')), ['bedrock-runtime:InvokeModelWithResponseStream']);
    assert.deepEqual(only('POST', '/model/my-model/converse').labels, { modelId: 'my-model' });
  });

  it('percent-decodes a label once: a model ID with an encoded colon', () => {
    const routed = only('POST', '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    assert.equal(routed.operation.name, 'Converse');
    assert.deepEqual(routed.labels, { modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
  });

  it('percent-decodes a label only once: %253A stays %3A', () => {
    const routed = only('POST', '/model/x%253Ay/converse');
    assert.deepEqual(routed.labels, { modelId: 'x%3Ay' });
  });

  it('decodes an ARN label whose slash is sent as %2F', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0';
    const routed = only('POST', `/model/${encodeURIComponent(arn)}/converse`);
    assert.equal(routed.operation.name, 'Converse');
    assert.equal(routed.labels.modelId, arn);

    const invocationArn = 'arn:aws:bedrock:us-east-1:123456789012:async-invoke/abc123';
    const get = only('GET', `/async-invoke/${encodeURIComponent(invocationArn)}`);
    assert.equal(get.operation.name, 'GetAsyncInvoke');
    assert.deepEqual(get.labels, { invocationArn });
  });

  it('does not let an unencoded slash in a label match a single-segment label', () => {
    assert.deepEqual(route('POST', '/model/arn:aws:bedrock:us-east-1::foundation-model/x/converse'), []);
  });

  it('refuses a label that is not valid percent-encoding', () => {
    assert.deepEqual(route('POST', '/model/bad%E0%A4/converse'), []);
  });

  it('refuses an empty label segment', () => {
    assert.deepEqual(route('POST', '/model//converse'), []);
    assert.deepEqual(route('GET', '/agents//'), []);
  });

  it('routes GET list operations with query strings to the path template', () => {
    assert.deepEqual(names(route('GET', '/foundation-models?byProvider=Anthropic&byOutputModality=TEXT')), ['bedrock:ListFoundationModels']);
    assert.deepEqual(names(route('GET', '/async-invoke?maxResults=10')), ['bedrock-runtime:ListAsyncInvokes']);
  });

  it('routes trailing-slash templates of bedrock-agent exactly', () => {
    assert.deepEqual(names(route('POST', '/agents/')), ['bedrock-agent:ListAgents']);
    assert.deepEqual(names(route('PUT', '/agents/')), ['bedrock-agent:CreateAgent']);
    const getAgent = only('GET', '/agents/AGENT12345/');
    assert.equal(getAgent.operation.name, 'GetAgent');
    assert.deepEqual(getAgent.labels, { agentId: 'AGENT12345' });
    // Without the trailing slash the template does not match.
    assert.deepEqual(route('POST', '/agents'), []);
    assert.deepEqual(route('GET', '/agents/AGENT12345'), []);
  });

  it('prefers the literal empty segment over a label: PUT /agents/ is CreateAgent, PUT /agents/X/ is UpdateAgent', () => {
    assert.deepEqual(names(route('PUT', '/agents/')), ['bedrock-agent:CreateAgent']);
    const update = only('PUT', '/agents/AGENT12345/');
    assert.equal(update.operation.name, 'UpdateAgent');
    assert.deepEqual(update.labels, { agentId: 'AGENT12345' });
  });

  it('binds every label of a nested template', () => {
    const routed = only('GET', '/agents/AGENT12345/agentversions/DRAFT/actiongroups/GROUP12345/');
    assert.equal(routed.operation.name, 'GetAgentActionGroup');
    assert.deepEqual(routed.labels, { agentId: 'AGENT12345', agentVersion: 'DRAFT', actionGroupId: 'GROUP12345' });
  });

  it('returns [] for an unknown method, an unknown path, or a path not starting with /', () => {
    assert.deepEqual(route('PATCH', '/model/x/converse'), []);
    assert.deepEqual(route('BREW', '/'), []);
    assert.deepEqual(route('POST', '/model/x/unknown'), []);
    assert.deepEqual(route('GET', '/model/x/converse'), []);
    assert.deepEqual(route('POST', '/'), []);
    assert.deepEqual(route('POST', 'model/x/converse'), []);
    assert.deepEqual(route('POST', '*'), []);
    assert.deepEqual(route('POST', '/model/x/converse/extra'), []);
  });

  it('returns both candidates for the tagging collision of bedrock-agent and bedrock-agent-runtime', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:agent/AGENT12345';
    const routes = route('GET', `/tags/${encodeURIComponent(arn)}`);
    assert.deepEqual(names(routes).sort(), ['bedrock-agent-runtime:ListTagsForResource', 'bedrock-agent:ListTagsForResource']);
    for (const routed of routes) assert.deepEqual(routed.labels, { resourceArn: arn });
    assert.equal(route('POST', `/tags/${encodeURIComponent(arn)}`).length, 2);
    assert.equal(route('DELETE', `/tags/${encodeURIComponent(arn)}?tagKeys=a`).length, 2);
  });
});

function operation(name: string, method: string, uri: string): OperationModel {
  return { name, method, uri, code: 200, input: null, output: null, errors: [] };
}

describe('Router over a hand-built model (greedy labels, literal query parts)', () => {
  const service: ServiceModel = {
    name: 'test',
    sdkId: 'Test',
    version: '2024-01-01',
    endpointPrefix: 'test',
    shapes: {},
    operations: [
      operation('GetSpecial', 'GET', '/things/special'),
      operation('GetThing', 'GET', '/things/{id}'),
      operation('GetThingDetail', 'GET', '/things/{id}/detail'),
      operation('GetObject', 'GET', '/buckets/{bucket}/{key+}'),
      operation('ListVersions', 'GET', '/items?versions'),
      operation('ListByType', 'GET', '/items?type=archive'),
      operation('ListItems', 'GET', '/items'),
    ],
  };
  const testRouter = new Router([service]);
  const match = (method: string, path: string, query = '') => testRouter.match(method, path, new URLSearchParams(query));

  it('prefers a literal segment over a label', () => {
    const routes = match('GET', '/things/special');
    assert.deepEqual(
      routes.map((routed) => routed.operation.name),
      ['GetSpecial'],
    );
    assert.deepEqual(routes[0]?.labels, {});
    assert.deepEqual(match('GET', '/things/other')[0]?.labels, { id: 'other' });
  });

  it('falls back to the label when the literal branch does not complete', () => {
    const routes = match('GET', '/things/special/detail');
    assert.deepEqual(
      routes.map((routed) => routed.operation.name),
      ['GetThingDetail'],
    );
    assert.deepEqual(routes[0]?.labels, { id: 'special' });
  });

  it('binds a greedy label to the rest of the path, slashes included, decoded once', () => {
    const routes = match('GET', '/buckets/b1/a/b%2Fc/d%2520e.txt');
    assert.deepEqual(
      routes.map((routed) => routed.operation.name),
      ['GetObject'],
    );
    assert.deepEqual(routes[0]?.labels, { bucket: 'b1', key: 'a/b/c/d%20e.txt' });
  });

  it('requires at least one segment for a greedy label', () => {
    assert.deepEqual(match('GET', '/buckets/b1/'), []);
    assert.deepEqual(match('GET', '/buckets/b1'), []);
  });

  it('picks the template whose literal query part is present, before the plain one', () => {
    assert.deepEqual(
      match('GET', '/items', 'versions').map((routed) => routed.operation.name),
      ['ListVersions', 'ListItems'],
    );
    assert.deepEqual(
      match('GET', '/items', 'type=archive').map((routed) => routed.operation.name),
      ['ListByType', 'ListItems'],
    );
    assert.deepEqual(
      match('GET', '/items', 'type=other').map((routed) => routed.operation.name),
      ['ListItems'],
    );
    assert.deepEqual(
      match('GET', '/items').map((routed) => routed.operation.name),
      ['ListItems'],
    );
  });
});
