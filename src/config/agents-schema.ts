import { z } from 'zod';
import { agentFunctionsSchema, codeInterpreterSchema, outboundHttpSchema } from './agent-executors-schema.js';
import { s3EndpointSchema } from './s3-endpoint-schema.js';

/**
 * `agents:` in the configuration. `s3` is the S3-compatible store action groups' OpenAPI schemas
 * are read from (`apiSchema.s3`); without it they are read from AWS S3 with the default
 * credential chain.
 */
export const agentsSchema = z
  .object({
    s3: s3EndpointSchema('agents.s3'),
    /** model calls one agent turn may make before it is stopped with a failure trace (Bedrock's step limit) */
    maxSteps: z.number().int().min(1).max(100).default(10),
    /** how often sessions idle past their TTL are ended (and summarized into memory) */
    sessionSweepIntervalMs: z.number().int().min(100).default(30_000),
    /** Lambda function ARN or name → its executor (HTTP URL, Node module or MCP server); see agent-executors-schema.ts */
    functions: agentFunctionsSchema,
    /** the allow-list and address policy of executors' outbound HTTP */
    outboundHttp: outboundHttpSchema,
    /** limits of the AMAZON.CodeInterpreter sandbox */
    codeInterpreter: codeInterpreterSchema,
  })
  .prefault({});

export type AgentsConfig = z.infer<typeof agentsSchema>;
