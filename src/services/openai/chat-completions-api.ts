import { z } from 'zod';

/**
 * The Chat Completions request as OpenAI documents it, naming what the front door reads. Objects are
 * loose: clients echo back fields of earlier responses (`refusal`, `annotations`) that OpenAI accepts.
 * Content parts are checked by the converter, which names the offending part.
 */

const contentPartSchema = z.object({ type: z.string() }).loose();

const toolCallSchema = z
  .object({
    id: z.string(),
    type: z.literal('function').optional(),
    function: z.object({ name: z.string(), arguments: z.string() }).loose(),
  })
  .loose();

export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(contentPartSchema)]).nullish(),
    name: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
    tool_call_id: z.string().nullish(),
  })
  .loose();

export const chatToolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().min(1),
        description: z.string().nullish(),
        parameters: z.record(z.string(), z.unknown()).nullish(),
        strict: z.boolean().nullish(),
      })
      .loose(),
  })
  .loose();

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).loose(),
  z.object({ type: z.literal('json_object') }).loose(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z.object({ name: z.string(), description: z.string().nullish(), schema: z.record(z.string(), z.unknown()).nullish(), strict: z.boolean().nullish() }).loose(),
    })
    .loose(),
]);

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(chatMessageSchema).min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).loose().nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    top_p: z.number().min(0).max(1).nullish(),
    top_k: z.number().int().min(0).nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    tools: z.array(chatToolSchema).nullish(),
    tool_choice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }).loose() }).loose()])
      .nullish(),
    response_format: responseFormatSchema.nullish(),
    reasoning_effort: z.string().nullish(),
    n: z.number().int().min(1).nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().nullish(),
  })
  .loose();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/** Fields of the request the converter reads itself; every other top-level field goes to the backend. */
export const readFields = new Set([...Object.keys(chatCompletionRequestSchema.shape)]);

/** OpenAI's bookkeeping fields, which mean nothing to a model backend and are not forwarded. */
export const bookkeepingFields = new Set(['user', 'metadata', 'store', 'service_tier', 'prompt_cache_key', 'safety_identifier']);
