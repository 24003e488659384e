import type { IngestionJobRecord } from '../../core/knowledge/registry/knowledge-base-record.js';
import type { GetIngestionJobRequest, ListIngestionJobsRequest, StartIngestionJobRequest, StopIngestionJobRequest } from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { knowledgeBasesOf, present } from './knowledge-bases-of.js';

/** Bedrock's `IngestionJob` of a record. */
function ingestionJobOut(job: IngestionJobRecord): Record<string, unknown> {
  return present({
    knowledgeBaseId: job.knowledgeBaseId,
    dataSourceId: job.dataSourceId,
    ingestionJobId: job.ingestionJobId,
    description: job.description,
    status: job.status,
    statistics: job.statistics,
    failureReasons: job.failureReasons.length > 0 ? job.failureReasons : undefined,
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
  });
}

/** StartIngestionJob */
export async function startIngestionJob(input: StartIngestionJobRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const job = await knowledgeBasesOf(context).jobs.start(input.knowledgeBaseId, input.dataSourceId, present({ description: input.description, clientToken: input.clientToken }));
  return { ingestionJob: ingestionJobOut(job) };
}

/** GetIngestionJob */
export async function getIngestionJob(input: GetIngestionJobRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { ingestionJob: ingestionJobOut(await knowledgeBasesOf(context).jobs.get(input.knowledgeBaseId, input.dataSourceId, input.ingestionJobId)) };
}

/** ListIngestionJobs */
export async function listIngestionJobs(input: ListIngestionJobsRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = await knowledgeBasesOf(context).jobs.list(
    input.knowledgeBaseId,
    input.dataSourceId,
    present({ filters: input.filters, sortBy: input.sortBy, maxResults: input.maxResults, nextToken: input.nextToken }),
  );
  return {
    ingestionJobSummaries: page.items.map((job) => {
      const { failureReasons: _omitted, ...summary } = ingestionJobOut(job);
      return summary;
    }),
    ...present({ nextToken: page.nextToken }),
  };
}

/** StopIngestionJob */
export async function stopIngestionJob(input: StopIngestionJobRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { ingestionJob: ingestionJobOut(await knowledgeBasesOf(context).jobs.stop(input.knowledgeBaseId, input.dataSourceId, input.ingestionJobId)) };
}
