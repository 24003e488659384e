import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentDefinition } from '../agent-definition.test-support.js';
import { prepareAgentTools } from './agent-tools.js';

const base = agentDefinition();

describe('prepareAgentTools', () => {
  it('names tools as Bedrock does and builds schemas from functions, OpenAPI operations ($refs resolved) and knowledge bases', () => {
    const { tools, bindings } = prepareAgentTools({
      ...base,
      actionGroups: [
        { actionGroupName: 'calc', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, functionSchema: { functions: [{ name: 'add', parameters: { a: { type: 'number', required: true }, b: { type: 'number' } } }] } },
        {
          actionGroupName: 'pets',
          actionGroupExecutor: { lambda: 'arn:aws:lambda:us-east-1:0:function:pets' },
          apiSchema: {
            openapi: '3.0.0',
            paths: {
              '/pets/{id}': { get: { description: 'Get a pet', parameters: [{ $ref: '#/components/parameters/id' }] } },
              '/pets': { post: { operationId: 'addPet', description: 'Add', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } } },
            },
            components: { parameters: { id: { name: 'id', in: 'path', required: true, schema: { type: 'string' } } }, schemas: { Pet: { type: 'object', properties: { name: { type: 'string' } } } } },
          },
        },
        { actionGroupName: 'off', actionGroupState: 'DISABLED', functionSchema: { functions: [{ name: 'hidden' }] } },
      ],
      knowledgeBases: [{ knowledgeBaseId: 'KB12345678', description: 'Rock facts' }],
    });
    assert.deepEqual(
      tools.map((tool) => tool.name),
      ['calc__add', 'GET__pets___pets__id_', 'POST__pets__addPet', 'GET__x_amz_knowledgebase_KB12345678__Search'],
    );
    assert.deepEqual(tools[0]?.inputSchema, { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a'] });
    assert.deepEqual(tools[1]?.inputSchema, { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] });
    assert.deepEqual(tools[2]?.inputSchema, { type: 'object', properties: { requestBody: { type: 'object', properties: { name: { type: 'string' } } } } });
    assert.equal(bindings.get('GET__x_amz_knowledgebase_KB12345678__Search')?.kind, 'knowledge-base');
    for (const tool of tools) assert.match(tool.name, /^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('keeps long names within 64 characters and distinct', () => {
    const long = 'x'.repeat(80);
    const { tools } = prepareAgentTools({
      ...base,
      actionGroups: [{ actionGroupName: 'g', functionSchema: { functions: [{ name: `${long}1` }, { name: `${long}2` }] } }],
    });
    assert.equal(tools.length, 2);
    assert.notEqual(tools[0]?.name, tools[1]?.name);
    for (const tool of tools) assert.ok(tool.name.length <= 64);
  });
});
