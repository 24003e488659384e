import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentDefinition } from '../agent-definition.js';
import { agentDefinition } from '../agent-definition.test-support.js';
import { modelCallSettings, promptSettings, summarizationPrompt, validatePromptOverrides } from './prompt-settings.js';

function agent(promptConfigurations: Record<string, unknown>[], overrideLambda?: string): AgentDefinition {
  return agentDefinition({ agentId: 'A1', instruction: 'Be helpful.', promptOverrideConfiguration: { promptConfigurations, ...(overrideLambda ? { overrideLambda } : {}) } });
}

describe('promptSettings', () => {
  it("uses Bedrock's default states: pre- and post-processing off, orchestration on", () => {
    const definition = agent([]);
    assert.equal(promptSettings(definition, 'PRE_PROCESSING').enabled, false);
    assert.equal(promptSettings(definition, 'POST_PROCESSING').enabled, false);
    assert.equal(promptSettings(definition, 'ORCHESTRATION').enabled, true);
    assert.equal(promptSettings(definition, 'KNOWLEDGE_BASE_RESPONSE_GENERATION').enabled, true);
  });

  it('reads the state, template, inference settings, extra fields and model of one prompt type', () => {
    const settings = promptSettings(
      agent([
        {
          promptType: 'POST_PROCESSING',
          promptState: 'ENABLED',
          promptCreationMode: 'OVERRIDDEN',
          basePromptTemplate: 'T',
          inferenceConfiguration: { temperature: 0.5, maximumLength: 100, stopSequences: ['X'] },
          additionalModelRequestFields: { seed: 1 },
          foundationModel: 'other',
        },
      ]),
      'POST_PROCESSING',
    );
    assert.equal(settings.enabled, true);
    assert.equal(settings.template, 'T');
    assert.equal(settings.foundationModel, 'other');
    assert.deepEqual(modelCallSettings(settings), { maxOutputTokens: 100, temperature: 0.5, topP: 1, stopSequences: ['X'], extraBody: { seed: 1 } });
  });

  it('ignores a template unless prompt creation is OVERRIDDEN', () => {
    assert.equal(promptSettings(agent([{ promptType: 'PRE_PROCESSING', basePromptTemplate: 'T' }]), 'PRE_PROCESSING').template, undefined);
  });
});

describe('summarizationPrompt', () => {
  it('is undefined without an override, DISABLED when turned off, else the template and settings', () => {
    assert.equal(summarizationPrompt(agent([])), undefined);
    assert.equal(summarizationPrompt(agent([{ promptType: 'MEMORY_SUMMARIZATION', promptState: 'DISABLED' }])), 'DISABLED');
    assert.deepEqual(summarizationPrompt(agent([{ promptType: 'MEMORY_SUMMARIZATION', promptCreationMode: 'OVERRIDDEN', basePromptTemplate: 'Sum: $conversation$', inferenceConfiguration: { maximumLength: 50 } }])), {
      prompt: { template: 'Sum: $conversation$', call: { maxOutputTokens: 50, temperature: 0, topP: 1 } },
    });
  });
});

describe('validatePromptOverrides', () => {
  const invalid = (configurations: Record<string, unknown>[], pattern: RegExp, overrideLambda?: string) =>
    assert.throws(
      () => validatePromptOverrides(agent(configurations, overrideLambda)),
      (error: Error & { code?: string }) => error.code === 'ValidationException' && pattern.test(error.message),
    );

  it('accepts a plain override', () => {
    validatePromptOverrides(agent([{ promptType: 'PRE_PROCESSING', promptState: 'ENABLED' }, { promptType: 'ORCHESTRATION', promptState: 'ENABLED', inferenceConfiguration: { temperature: 1, topK: 500 } }]));
  });

  it('refuses what Bedrock refuses, naming the problem', () => {
    invalid([{ promptType: 'ORCHESTRATION', promptState: 'DISABLED' }], /ORCHESTRATION prompt cannot be DISABLED/);
    invalid([{ promptType: 'PRE_PROCESSING' }, { promptType: 'PRE_PROCESSING' }], /appears more than once/);
    invalid([{ promptType: 'SOMETHING' }], /promptConfigurations\.0\.promptType must be one of/);
    invalid([{ promptType: 'POST_PROCESSING', promptCreationMode: 'OVERRIDDEN' }], /OVERRIDDEN but no basePromptTemplate/);
    invalid([{ promptType: 'POST_PROCESSING', parserMode: 'OVERRIDDEN' }], /needs promptOverrideConfiguration\.overrideLambda/);
    invalid([{ promptType: 'POST_PROCESSING', parserMode: 'OVERRIDDEN' }], /parser Lambda functions are not supported/, 'arn:aws:lambda:us-east-1:1:function:p');
    invalid([{ promptType: 'ORCHESTRATION', inferenceConfiguration: { temperature: 1.5 } }], /temperature must be a number from 0 to 1; got 1\.5/);
    invalid([{ promptType: 'ORCHESTRATION', inferenceConfiguration: { stopSequences: ['a', 'b', 'c', 'd', 'e'] } }], /at most 4 strings/);
  });
});
