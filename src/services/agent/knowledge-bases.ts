import type { JsonObject, KnowledgeBaseRecord } from '../../core/knowledge/registry/knowledge-base-record.js';
import type {
  CreateKnowledgeBaseRequest,
  DeleteKnowledgeBaseRequest,
  GetKnowledgeBaseRequest,
  ListKnowledgeBasesRequest,
  UpdateKnowledgeBaseRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { knowledgeBasesOf, present } from './knowledge-bases-of.js';

/** Bedrock's `KnowledgeBase` of a record. */
function knowledgeBaseOut(record: KnowledgeBaseRecord, context: HandlerContext): Record<string, unknown> {
  return present({
    knowledgeBaseId: record.knowledgeBaseId,
    name: record.name,
    knowledgeBaseArn: knowledgeBasesOf(context).arnOf(record.knowledgeBaseId),
    description: record.description,
    roleArn: record.roleArn,
    knowledgeBaseConfiguration: record.knowledgeBaseConfiguration,
    storageConfiguration: record.storageConfiguration,
    status: record.status,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    failureReasons: record.failureReasons?.length ? record.failureReasons : undefined,
  });
}

/** The fields CreateKnowledgeBase and UpdateKnowledgeBase both carry, as the registry takes them. */
function knowledgeBaseFields(input: CreateKnowledgeBaseRequest | UpdateKnowledgeBaseRequest) {
  return {
    name: input.name,
    description: input.description,
    roleArn: input.roleArn,
    knowledgeBaseConfiguration: input.knowledgeBaseConfiguration as unknown as JsonObject,
    storageConfiguration: input.storageConfiguration as unknown as JsonObject | undefined,
  };
}

/** CreateKnowledgeBase */
export async function createKnowledgeBase(input: CreateKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).create(
    present({ ...knowledgeBaseFields(input), tags: input.tags, clientToken: input.clientToken }) as Parameters<ReturnType<typeof knowledgeBasesOf>['create']>[0],
  );
  return { knowledgeBase: knowledgeBaseOut(record, context) };
}

/** GetKnowledgeBase */
export async function getKnowledgeBase(input: GetKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { knowledgeBase: knowledgeBaseOut(await knowledgeBasesOf(context).get(input.knowledgeBaseId), context) };
}

/** ListKnowledgeBases */
export async function listKnowledgeBases(input: ListKnowledgeBasesRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = await knowledgeBasesOf(context).list(present({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    knowledgeBaseSummaries: page.items.map((record) =>
      present({ knowledgeBaseId: record.knowledgeBaseId, name: record.name, description: record.description, status: record.status, updatedAt: record.updatedAt }),
    ),
    ...present({ nextToken: page.nextToken }),
  };
}

/** UpdateKnowledgeBase */
export async function updateKnowledgeBase(input: UpdateKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).update(
    input.knowledgeBaseId,
    present(knowledgeBaseFields(input)) as Parameters<ReturnType<typeof knowledgeBasesOf>['update']>[1],
  );
  return { knowledgeBase: knowledgeBaseOut(record, context) };
}

/** DeleteKnowledgeBase */
export async function deleteKnowledgeBase(input: DeleteKnowledgeBaseRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).delete(input.knowledgeBaseId);
  return { knowledgeBaseId: record.knowledgeBaseId, status: record.status };
}
