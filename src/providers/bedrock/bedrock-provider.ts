import { Agent } from 'undici';
import type { LanguageModel, ModelCapabilities } from '../../core/inference/language-model.js';
import type { Provider } from '../../core/models/provider.js';
import { BedrockChatModel } from './bedrock-chat-model.js';
import { type AwsCredentials, createBedrockSigner } from './sign-bedrock-request.js';

export interface BedrockProviderOptions {
  name: string;
  /** default `$AWS_REGION`, then `$AWS_DEFAULT_REGION`, then `us-east-1` */
  region?: string;
  /** default `$AWS_ACCESS_KEY_ID` (with `$AWS_SECRET_ACCESS_KEY` and `$AWS_SESSION_TOKEN`) */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** endpoint override; default `https://bedrock-runtime.<region>.amazonaws.com` */
  baseUrl?: string;
  headers?: Record<string, string>;
  /** time allowed until the response headers arrive (default 60 s) */
  timeoutMs?: number;
  /** time allowed between two streamed chunks (default 60 s) */
  idleTimeoutMs?: number;
  /** concurrent connections kept to Bedrock (default 64) */
  connections?: number;
  /** where the AWS_* variables are read from (default `process.env`) */
  env?: NodeJS.ProcessEnv;
}

/**
 * Creates a provider for Amazon Bedrock itself (Converse, ConverseStream, CountTokens), signing
 * each request with the operator's AWS credentials, so Outcrop can sit in front of real Bedrock.
 * Credentials come from the configuration or the environment's AWS_* variables.
 *
 * @example
 * const bedrock = createBedrockProvider({ name: 'aws', region: 'us-west-2' });
 * const model = bedrock.languageModel!('anthropic.claude-3-haiku-20240307-v1:0', capabilities);
 */
export function createBedrockProvider(options: BedrockProviderOptions): Provider {
  const env = options.env ?? process.env;
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const credentials = resolveCredentials(options, env);
  const signer = createBedrockSigner(region, credentials);
  const dispatcher = new Agent({ connections: options.connections ?? 64, keepAliveTimeout: 30_000 });
  const endpoint = (options.baseUrl ?? `https://bedrock-runtime.${region}.amazonaws.com`).replace(/\/+$/, '');
  return {
    name: options.name,
    type: 'bedrock',
    languageModel(modelId: string, capabilities: ModelCapabilities): LanguageModel {
      return new BedrockChatModel(modelId, {
        name: options.name,
        endpoint,
        signer,
        ...(options.headers ? { headers: options.headers } : {}),
        timeoutMs: options.timeoutMs ?? 60_000,
        idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
        capabilities,
        dispatcher,
      });
    },
    close: () => dispatcher.close(),
  };
}

/** The configured key pair, else the environment's; neither is an error that names where to set them (never their values). */
function resolveCredentials(options: BedrockProviderOptions, env: NodeJS.ProcessEnv): AwsCredentials {
  const fromConfig = options.accessKeyId !== undefined || options.secretAccessKey !== undefined;
  const accessKeyId = fromConfig ? options.accessKeyId : env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = fromConfig ? options.secretAccessKey : env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = fromConfig ? options.sessionToken : env.AWS_SESSION_TOKEN;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `provider ${options.name} (bedrock): AWS credentials are missing; set accessKeyId and secretAccessKey in its configuration, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment`,
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}
