import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GuardrailDefinition } from './guardrail-definition.js';
import { validateGuardrailDefinition } from './validate-guardrail-definition.js';

function rejects(definition: GuardrailDefinition, message: RegExp): void {
  assert.throws(() => validateGuardrailDefinition(definition), { name: 'ValidationException', message });
}

describe('guardrail definition validation', () => {
  it('accepts a definition with every policy', () => {
    validateGuardrailDefinition({
      contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'LOW' }, { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }] },
      topicPolicy: { topics: [{ name: 'Investment advice', definition: 'Advice about investments.', examples: ['Should I buy stocks?'] }] },
      wordPolicy: { words: [{ text: 'rival' }], managedWordLists: [{ type: 'PROFANITY' }] },
      sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZE' }], regexes: [{ name: 'id', pattern: String.raw`ID-\d+`, action: 'BLOCK' }] },
      contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', threshold: 0.7 }, { type: 'RELEVANCE', threshold: 0.5 }] },
      blockedInputMessaging: 'Sorry.',
      blockedOutputsMessaging: 'Sorry.',
    });
  });

  it('rejects invalid strengths and actions', () => {
    rejects({ contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'EXTREME' as never, outputStrength: 'LOW' }] } }, /invalid strength/);
    rejects({ contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'LOW', outputStrength: 'LOW', inputAction: 'MASK' as never }] } }, /invalid inputAction MASK/);
    rejects({ sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'HIDE' as never }] } }, /invalid action HIDE/);
  });

  it('detects prompt attacks only in input', () => {
    rejects({ contentPolicy: { filters: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'HIGH' }] } }, /PROMPT_ATTACK filter outputStrength must be NONE/);
  });

  it('rejects duplicates and unknown types', () => {
    rejects({ contentPolicy: { filters: [{ type: 'HATE', inputStrength: 'LOW', outputStrength: 'LOW' }, { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }] } }, /Content filter HATE is configured more than once/);
    rejects({ sensitiveInformationPolicy: { piiEntities: [{ type: 'PASSPORT' as never, action: 'BLOCK' }] } }, /Unknown PII entity type PASSPORT/);
    rejects({ topicPolicy: { topics: [{ name: 'a', definition: 'x' }, { name: 'a', definition: 'y' }] } }, /Topic a is configured more than once/);
  });

  it('enforces topic limits', () => {
    rejects({ topicPolicy: { topics: [{ name: 'bad/name', definition: 'x' }] } }, /must be 1 to 100 letters/);
    rejects({ topicPolicy: { topics: [{ name: 'ok', definition: 'x', examples: ['1', '2', '3', '4', '5', '6'] }] } }, /at most 5 examples/);
  });

  it('rejects grounding thresholds outside 0..0.99', () => {
    rejects({ contextualGroundingPolicy: { filters: [{ type: 'GROUNDING', threshold: 1 }] } }, /between 0 and 0.99/);
  });

  it('rejects catastrophic regexes and lists every problem at once', () => {
    rejects(
      {
        sensitiveInformationPolicy: { regexes: [{ name: 'evil', pattern: '(a+)+$', action: 'BLOCK' }] },
        contextualGroundingPolicy: { filters: [{ type: 'RELEVANCE', threshold: -0.1 }] },
      },
      /2 validation errors detected: .*exponential time.*between 0 and 0.99/,
    );
  });
});
