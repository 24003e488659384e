import { z } from 'zod';
import { lazySchema } from '../shared/lazy-schema.js';

/** OpenAI's error body: `{"error": {"message", "type", "code"}}`. */
export const openAIErrorSchema = lazySchema(() =>
  z.object({ error: z.object({ message: z.string().nullish(), type: z.string().nullish(), code: z.string().nullish() }).nullish() }),
);

const usageSchema = () =>
  z
    .object({
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      input_tokens_details: z.object({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish();

/** One item of a response's `output`: a `message`, a `function_call` or a `reasoning` summary (others are ignored). */
const outputItemSchema = () =>
  z.object({
    type: z.string(),
    id: z.string().nullish(),
    content: z.array(z.object({ type: z.string(), text: z.string().nullish(), refusal: z.string().nullish() })).nullish(),
    call_id: z.string().nullish(),
    name: z.string().nullish(),
    arguments: z.string().nullish(),
    summary: z.array(z.object({ type: z.string(), text: z.string().nullish() })).nullish(),
  });

const responseFields = () => ({
  status: z.string().nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  usage: usageSchema(),
});

/** `POST /v1/responses` without streaming. */
export const openAIResponseSchema = lazySchema(() => z.object({ id: z.string().nullish(), output: z.array(outputItemSchema()), ...responseFields() }));

/**
 * One streamed event (`data:` of `response.created`, `response.output_item.added`,
 * `response.output_text.delta`, `response.function_call_arguments.delta`,
 * `response.output_item.done`, `response.completed`, `error`, ...). Only the fields read are named.
 */
export const openAIResponseStreamEventSchema = lazySchema(() =>
  z.object({
    type: z.string(),
    item_id: z.string().nullish(),
    summary_index: z.number().nullish(),
    delta: z.string().nullish(),
    item: outputItemSchema().nullish(),
    response: z.object(responseFields()).nullish(),
    code: z.string().nullish(),
    message: z.string().nullish(),
  }),
);

/** `POST /v1/responses/input_tokens`. */
export const openAIInputTokensSchema = lazySchema(() => z.object({ input_tokens: z.number() }));

export type OpenAIResponse = z.infer<ReturnType<typeof openAIResponseSchema>>;
export type OpenAIResponseStreamEvent = z.infer<ReturnType<typeof openAIResponseStreamEventSchema>>;
export type OpenAIResponseUsage = OpenAIResponse['usage'];
