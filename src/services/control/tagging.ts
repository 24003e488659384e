import { OutcropError } from '../../core/errors.js';
import type { Tag } from '../../core/models/inference-profiles/inference-profile.js';
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../protocol/generated/bedrock-types.js';
import type { HandlerContext } from '../handler.js';
import { guardrailsOf } from './guardrails.js';

/** What tags one kind of Bedrock resource. */
interface Taggable {
  tagsOf(arn: string): Tag[];
  tag(arn: string, tags: Tag[]): Promise<void>;
  untag(arn: string, keys: string[]): Promise<void>;
}

/** The resources Outcrop tags, by the resource type in their ARN. */
function taggableFor(arn: string, context: HandlerContext): Taggable {
  const type = /^arn:aws(?:-[a-z]+)*:bedrock:[^:]*:[^:]*:([a-z-]+)\//.exec(arn)?.[1];
  if (type === 'application-inference-profile' || type === 'inference-profile') return context.deps.inferenceProfiles;
  if (type === 'guardrail') return guardrailsOf(context);
  throw new OutcropError('ResourceNotFoundException', `The resource ${arn} was not found: this server tags inference profiles and guardrails only.`);
}

/** TagResource */
export async function tagResource(input: TagResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await taggableFor(input.resourceARN, context).tag(input.resourceARN, input.tags);
  return {};
}

/** UntagResource */
export async function untagResource(input: UntagResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await taggableFor(input.resourceARN, context).untag(input.resourceARN, input.tagKeys);
  return {};
}

/** ListTagsForResource */
export async function listTagsForResource(input: ListTagsForResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { tags: taggableFor(input.resourceARN, context).tagsOf(input.resourceARN) };
}
