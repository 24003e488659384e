import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { agentsOf } from './agents-of.js';

// bedrock-agent tagging for agents and agent aliases (the ARN names which); unknown ARNs are ResourceNotFoundException.

/** TagResource */
export async function tagAgentResource(input: TagResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).tag(input.resourceArn, input.tags);
  return {};
}

/** UntagResource */
export async function untagAgentResource(input: UntagResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  await agentsOf(context).untag(input.resourceArn, input.tagKeys);
  return {};
}

/** ListTagsForResource */
export async function listAgentResourceTags(input: ListTagsForResourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { tags: agentsOf(context).tagsOf(input.resourceArn) };
}
