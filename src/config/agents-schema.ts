import { z } from 'zod';
import { agentFunctionsSchema, codeInterpreterSchema, outboundHttpSchema } from './agent-executors-schema.js';

/**
 * `agents:` in the configuration. `s3` is the S3-compatible store action groups' OpenAPI schemas
 * are read from (`apiSchema.s3`); without it they are read from AWS S3 with the default
 * credential chain.
 */
export const agentsSchema = z
  .object({
    s3: z
      .object({
        /** an S3-compatible endpoint (MinIO, Ceph, R2, LocalStack...); AWS when absent */
        endpoint: z.string().url().optional(),
        region: z.string().default('us-east-1'),
        accessKeyId: z.string().optional(),
        secretAccessKey: z.string().optional(),
        sessionToken: z.string().optional(),
        /** `http://host/bucket/key` addressing (default: on with an endpoint) */
        forcePathStyle: z.boolean().optional(),
      })
      .refine((s3) => (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined), { message: 'agents.s3 needs both accessKeyId and secretAccessKey, or neither' })
      .optional(),
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
