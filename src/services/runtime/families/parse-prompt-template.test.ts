import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../../core/inference/language-model.js';
import { parseDeepSeekPrompt, parseInstPrompt, parseLlamaPrompt } from './parse-prompt-template.js';

/** Messages as [role, text] pairs, for short assertions. */
function turns(messages: Message[]): [string, string][] {
  return messages.map((message) => [message.role, message.content.map((part) => (part.type === 'text' ? part.text : `<${part.type}>`)).join('')]);
}

describe('parseLlamaPrompt', () => {
  it('reads the Llama 3 template into turns and drops the open assistant header', () => {
    const prompt =
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nName a rock.<|eot_id|>' +
      '<|start_header_id|>assistant<|end_header_id|>\n\nGranite.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';
    assert.deepEqual(turns(parseLlamaPrompt(prompt)), [
      ['system', 'Be brief.'],
      ['user', 'Name a rock.'],
      ['assistant', 'Granite.'],
      ['user', 'Another?'],
    ]);
  });

  it('keeps an unfinished assistant turn as a prefill and maps ipython output to a user turn', () => {
    const prompt =
      '<|start_header_id|>user<|end_header_id|>\n\nWeather?<|eot_id|><|start_header_id|>ipython<|end_header_id|>\n\n{"temp": 21}<|eom_id|><|start_header_id|>assistant<|end_header_id|>\n\nIt is';
    assert.deepEqual(turns(parseLlamaPrompt(prompt)), [
      ['user', 'Weather?'],
      ['user', '{"temp": 21}'],
      ['assistant', 'It is'],
    ]);
  });

  it('reads Llama 4 headers', () => {
    const prompt = '<|begin_of_text|><|header_start|>user<|header_end|>\n\nHi<|eot|><|header_start|>assistant<|header_end|>\n\n';
    assert.deepEqual(turns(parseLlamaPrompt(prompt)), [['user', 'Hi']]);
  });

  it('passes a prompt without markers through as one user turn, exactly as written', () => {
    assert.deepEqual(turns(parseLlamaPrompt('  What is basalt?\n')), [['user', '  What is basalt?\n']]);
  });

  it('reads the Llama 2 [INST] template', () => {
    assert.deepEqual(turns(parseLlamaPrompt('<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nName a rock. [/INST]')), [
      ['system', 'Be brief.'],
      ['user', 'Name a rock.'],
    ]);
  });
});

describe('parseInstPrompt', () => {
  it('reads multi-turn Mistral prompts', () => {
    const prompt = '<s>[INST] What is your favourite condiment? [/INST] Lemon juice.</s> [INST] Do you have mayonnaise recipes? [/INST]';
    assert.deepEqual(turns(parseInstPrompt(prompt)), [
      ['user', 'What is your favourite condiment?'],
      ['assistant', 'Lemon juice.'],
      ['user', 'Do you have mayonnaise recipes?'],
    ]);
  });

  it('reads a [SYSTEM_PROMPT] block', () => {
    assert.deepEqual(turns(parseInstPrompt('<s>[SYSTEM_PROMPT]Be brief.[/SYSTEM_PROMPT][INST]Hi[/INST]')), [
      ['system', 'Be brief.'],
      ['user', 'Hi'],
    ]);
  });

  it('passes a plain prompt through', () => {
    assert.deepEqual(turns(parseInstPrompt('Complete: granite is')), [['user', 'Complete: granite is']]);
  });
});

describe('parseDeepSeekPrompt', () => {
  it('reads the R1 template, dropping the generation prompt and earlier reasoning', () => {
    const prompt =
      '<｜begin▁of▁sentence｜>Be brief.<｜User｜>Name a rock.<｜Assistant｜><think>rocks...</think>Granite.<｜end▁of▁sentence｜><｜User｜>Another?<｜Assistant｜><think>\n';
    assert.deepEqual(turns(parseDeepSeekPrompt(prompt)), [
      ['system', 'Be brief.'],
      ['user', 'Name a rock.'],
      ['assistant', 'Granite.'],
      ['user', 'Another?'],
    ]);
  });

  it('accepts ASCII bars and passes a plain prompt through', () => {
    assert.deepEqual(turns(parseDeepSeekPrompt('<|User|>Hi<|Assistant|>')), [['user', 'Hi']]);
    assert.deepEqual(turns(parseDeepSeekPrompt('Hi there')), [['user', 'Hi there']]);
  });
});
