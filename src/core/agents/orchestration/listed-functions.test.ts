import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutcropError } from '../../errors.js';
import type { AgentDefinition } from '../agent-definition.js';
import { agentDefinition } from '../agent-definition.test-support.js';
import type { ActionInvoker } from './agent-ports.js';
import { withListedFunctions } from './listed-functions.js';

const base = agentDefinition({ agentId: 'AGENT00001', instruction: 'You are a test agent that lists the functions of its MCP server.' });
const mcpArn = 'arn:aws:lambda:us-east-1:123456789012:function:mcp';
const signal = new AbortController().signal;

function invoker(listFunctions: ActionInvoker['listFunctions']): ActionInvoker {
  return { invoke: async () => ({ text: '' }), ...(listFunctions ? { listFunctions } : {}) };
}

describe('withListedFunctions', () => {
  it('gives schema-less Lambda groups the functions their executor lists, and leaves the rest alone', async () => {
    const schemaGroup = { actionGroupName: 'own', actionGroupExecutor: { lambda: mcpArn }, functionSchema: { functions: [{ name: 'x' }] } };
    const disabled = { actionGroupName: 'off', actionGroupState: 'DISABLED' as const, actionGroupExecutor: { lambda: mcpArn } };
    const definition: AgentDefinition = { ...base, actionGroups: [{ actionGroupName: 'mcp', actionGroupExecutor: { lambda: mcpArn } }, schemaGroup, disabled] };
    const asked: string[] = [];
    const listed = await withListedFunctions(
      definition,
      invoker(async (lambdaArn) => {
        asked.push(lambdaArn);
        return [{ name: 'hardness', parameters: { mineral: { type: 'string', required: true } } }];
      }),
      signal,
    );
    assert.deepEqual(asked, [mcpArn]);
    assert.deepEqual(listed.actionGroups[0]?.functionSchema, { functions: [{ name: 'hardness', parameters: { mineral: { type: 'string', required: true } } }] });
    assert.equal(listed.actionGroups[1], schemaGroup);
    assert.equal(listed.actionGroups[2], disabled);
    assert.equal(definition.actionGroups[0]?.functionSchema, undefined, 'the stored definition is not changed');
    const plain = { ...base, actionGroups: [schemaGroup] };
    assert.equal(await withListedFunctions(plain, undefined, signal), plain);
  });

  it('fails with DependencyFailedException naming the group when the listing fails or nothing can list', async () => {
    const definition = { ...base, actionGroups: [{ actionGroupName: 'mcp', actionGroupExecutor: { lambda: mcpArn } }] };
    const failing = withListedFunctions(
      definition,
      invoker(async () => {
        throw new Error('the MCP server could not be started');
      }),
      signal,
    );
    await assert.rejects(failing, (error: unknown) => OutcropError.isInstance(error) && error.code === 'DependencyFailedException' && /action group mcp.*could not be started/.test(error.message));
    await assert.rejects(withListedFunctions(definition, invoker(undefined), signal), (error: unknown) => OutcropError.isInstance(error) && error.code === 'DependencyFailedException');
  });
});
