import { knowledgeBaseIdOfArn } from '../../core/knowledge/registry/resource-ids.js';
import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { Handler, HandlerContext } from '../handler.js';
import { knowledgeBasesOf } from './knowledge-bases-of.js';

type TaggingInput = TagResourceRequest | UntagResourceRequest | ListTagsForResourceRequest;

/**
 * bedrock-agent's TagResource, UntagResource and ListTagsForResource for knowledge-base ARNs; any
 * other ARN goes to `otherwise` (the agents' tagging).
 *
 * @example
 * handlers['bedrock-agent:TagResource'] = withKnowledgeBaseTagging('tag', tagAgentResource);
 */
export function withKnowledgeBaseTagging(operation: 'tag' | 'untag' | 'list', otherwise: Handler): Handler {
  return async (input: TaggingInput, context: HandlerContext) => {
    if (knowledgeBaseIdOfArn(input.resourceArn) === undefined) return otherwise(input, context);
    const registry = knowledgeBasesOf(context);
    if (operation === 'list') return { tags: await registry.tagsOf(input.resourceArn) };
    if (operation === 'tag') await registry.tag(input.resourceArn, (input as TagResourceRequest).tags);
    else await registry.untag(input.resourceArn, (input as UntagResourceRequest).tagKeys);
    return {};
  };
}
