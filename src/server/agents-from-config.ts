import type { OutcropConfig } from '../config/config.js';
import { s3ConnectionOptionsOf } from '../config/s3-endpoint-schema.js';
import { Agents } from '../core/agents/registry/agents.js';
import { createS3SchemaReader } from '../core/agents/registry/s3-schema-reader.js';
import type { Guardrails } from '../core/guardrails/registry/guardrails.js';
import type { ModelCatalog } from '../core/models/catalog.js';
import { openAgentStore } from '../storage/agents/open-agent-store.js';
import type { SqlDatabase } from '../storage/sql/sql-database.js';

/**
 * The agent registry of a server: its store in the server's database, models from the catalog,
 * guardrails, and OpenAPI schemas in S3 read through `agents.s3`; loaded and ready.
 *
 * @example
 * const agents = await agentsFromConfig({ config, database, catalog, guardrails });
 */
export async function agentsFromConfig(options: {
  config: OutcropConfig;
  database: SqlDatabase;
  catalog: ModelCatalog;
  guardrails?: Guardrails;
  knowledgeBases?: { get(knowledgeBaseId: string): Promise<unknown> };
  /** whether a Lambda ARN runs on an executor that lists its own functions (an MCP server) */
  listsFunctions?: (lambdaArn: string) => boolean;
}): Promise<Agents> {
  const { config } = options;
  const s3 = config.agents.s3;
  const agents = new Agents({
    repository: await openAgentStore(options.database),
    region: config.server.region,
    accountId: config.server.accountId,
    models: options.catalog,
    guardrails: options.guardrails,
    knowledgeBases: options.knowledgeBases,
    listsFunctions: options.listsFunctions,
    readSchemaObject: createS3SchemaReader(s3 ? s3ConnectionOptionsOf(s3) : {}),
  });
  await agents.load();
  return agents;
}
