import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type OutcropConfig, loadConfigFile, parseConfig } from '../config/config.js';
import { startOutcrop } from '../server/outcrop.js';
import { withLocalModels } from './local-models.js';
import { modelsCommand } from './models-command.js';

const usage = `Usage: outcrop <command> [options]

Commands:
  serve     start the Bedrock-compatible server
  models    pull, list and remove GGUF models (outcrop models --help)

Options for serve:
  --port <n>          port to listen on (default 8080; 0 picks a free port)
  --host <addr>       address to bind (default 127.0.0.1)
  --data-dir <dir>    data directory (default ./.outcrop)
  --config <file>     configuration file (default ./outcrop.yaml when present)
  --model <file.gguf> also serve this GGUF file with llama.cpp (repeatable; ID from the file name)
  --no-auth           accept unauthenticated requests (local development only)
  --help              show this help
`;

/** The `outcrop` command line. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(usage);
    return command ? 0 : 1;
  }
  if (command === 'models') return modelsCommand(rest);
  if (command !== 'serve') {
    process.stderr.write(`outcrop: unknown command '${command}'\n\n${usage}`);
    return 2;
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        model: { type: 'string', multiple: true },
        'no-auth': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`outcrop: ${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  let config: OutcropConfig;
  try {
    const configPath = (values.config as string | undefined) ?? (existsSync('outcrop.yaml') ? 'outcrop.yaml' : undefined);
    config = configPath ? loadConfigFile(configPath) : parseConfig('');
  } catch (error) {
    process.stderr.write(`outcrop: ${(error as Error).message}\n`);
    return 2;
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`outcrop: --port must be an integer from 0 to 65535\n`);
      return 2;
    }
    config.server.port = port;
  }
  if (values.host !== undefined) config.server.host = values.host as string;
  if (values['data-dir'] !== undefined) config.server.dataDir = values['data-dir'] as string;
  try {
    config = withLocalModels(config, values.model as string[] | undefined);
  } catch (error) {
    process.stderr.write(`outcrop: ${(error as Error).message}\n`);
    return 2;
  }
  const noAuth = values['no-auth'] === true;
  if (noAuth) process.stderr.write('WARNING: --no-auth is set: every request is accepted without credentials. Use it only for local development.\n');
  const server = await startOutcrop({ config, noAuth });
  const { created } = server.credentials;
  if (created) {
    process.stdout.write(
      [
        'Generated root credentials (shown once; the secret is stored encrypted in the data directory):',
        `  AWS_ACCESS_KEY_ID=${created.accessKeyId}`,
        `  AWS_SECRET_ACCESS_KEY=${created.secretAccessKey}`,
        `  AWS_BEARER_TOKEN_BEDROCK=${created.apiKey}`,
        '',
      ].join('\n'),
    );
  }
  process.stdout.write(
    [
      `Outcrop is ready at ${server.url}`,
      `  AWS SDK for JavaScript: new BedrockRuntimeClient({ endpoint: '${server.url}', region: '${config.server.region}' })`,
      `  AWS CLI / boto3:        aws bedrock-runtime converse --endpoint-url ${server.url} --region ${config.server.region} ...`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}: finishing in-flight requests\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return -1;
}
