import type { DataSourceInput } from '../../core/knowledge/registry/knowledge-bases.js';
import type { DataSourceRecord, JsonObject } from '../../core/knowledge/registry/knowledge-base-record.js';
import type {
  CreateDataSourceRequest,
  DeleteDataSourceRequest,
  GetDataSourceRequest,
  ListDataSourcesRequest,
  UpdateDataSourceRequest,
} from '../../protocol/generated/bedrock-agent-types.js';
import type { HandlerContext } from '../handler.js';
import { knowledgeBasesOf, present } from './knowledge-bases-of.js';

/** Bedrock's `DataSource` of a record. */
function dataSourceOut(record: DataSourceRecord): Record<string, unknown> {
  return present({
    knowledgeBaseId: record.knowledgeBaseId,
    dataSourceId: record.dataSourceId,
    name: record.name,
    status: record.status,
    description: record.description,
    dataSourceConfiguration: record.dataSourceConfiguration,
    serverSideEncryptionConfiguration: record.serverSideEncryptionConfiguration,
    vectorIngestionConfiguration: record.vectorIngestionConfiguration,
    dataDeletionPolicy: record.dataDeletionPolicy,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    failureReasons: record.failureReasons?.length ? record.failureReasons : undefined,
  });
}

function dataSourceInput(input: CreateDataSourceRequest | UpdateDataSourceRequest): DataSourceInput {
  return present({
    name: input.name,
    description: input.description,
    dataSourceConfiguration: input.dataSourceConfiguration as unknown as JsonObject,
    vectorIngestionConfiguration: input.vectorIngestionConfiguration as unknown as JsonObject | undefined,
    dataDeletionPolicy: input.dataDeletionPolicy,
    serverSideEncryptionConfiguration: input.serverSideEncryptionConfiguration as unknown as JsonObject | undefined,
  }) as DataSourceInput;
}

/** CreateDataSource */
export async function createDataSource(input: CreateDataSourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).createDataSource(input.knowledgeBaseId, { ...dataSourceInput(input), ...present({ clientToken: input.clientToken }) });
  return { dataSource: dataSourceOut(record) };
}

/** GetDataSource */
export async function getDataSource(input: GetDataSourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  return { dataSource: dataSourceOut(await knowledgeBasesOf(context).getDataSource(input.knowledgeBaseId, input.dataSourceId)) };
}

/** ListDataSources */
export async function listDataSources(input: ListDataSourcesRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const page = await knowledgeBasesOf(context).listDataSources(input.knowledgeBaseId, present({ maxResults: input.maxResults, nextToken: input.nextToken }));
  return {
    dataSourceSummaries: page.items.map((record) =>
      present({
        knowledgeBaseId: record.knowledgeBaseId,
        dataSourceId: record.dataSourceId,
        name: record.name,
        status: record.status,
        description: record.description,
        updatedAt: record.updatedAt,
      }),
    ),
    ...present({ nextToken: page.nextToken }),
  };
}

/** UpdateDataSource */
export async function updateDataSource(input: UpdateDataSourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).updateDataSource(input.knowledgeBaseId, input.dataSourceId, dataSourceInput(input));
  return { dataSource: dataSourceOut(record) };
}

/** DeleteDataSource */
export async function deleteDataSource(input: DeleteDataSourceRequest, context: HandlerContext): Promise<Record<string, unknown>> {
  const record = await knowledgeBasesOf(context).deleteDataSource(input.knowledgeBaseId, input.dataSourceId);
  return { knowledgeBaseId: record.knowledgeBaseId, dataSourceId: record.dataSourceId, status: record.status };
}
