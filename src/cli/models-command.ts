import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/config.js';
import { downloadModel } from './download-model.js';
import { type LocalModel, describeGguf, modelIdFromFile, readModelRegistry, writeModelRegistry } from './local-models.js';
import { createProgressReporter, formatBytes } from './progress-bar.js';

export const modelsUsage = `Usage: outcrop models <command> [options]

Commands:
  pull <owner>/<repo>/<file>.gguf   download a GGUF model from Hugging Face and add it to the catalog
  list                              show the models pulled into the data directory
  rm <id>                           remove a pulled model and its file

Options:
  --data-dir <dir>    data directory (default: the configuration's, else ./.outcrop)
  --config <file>     configuration file (default ./outcrop.yaml when present)
  --sha256 <hex>      pull: the file's expected SHA-256 (default: the checksum the server sends)
  --id <id>           pull: the catalog ID (default: from the file name)
  --revision <rev>    pull: branch, tag or commit (default main)
  --retries <n>       pull: resume an interrupted download this many times (default 3)

Environment:
  OUTCROP_HF_ENDPOINT  where to download from (default https://huggingface.co)
  HF_TOKEN             sent as a bearer token, for gated repositories
`;

/** `outcrop models pull|list|rm`. Returns the exit code. */
export async function modelsCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`outcrop models: ${(error as Error).message}\n\n${modelsUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...operands] = positionals;
  if (values.help || !command) {
    process.stdout.write(modelsUsage);
    return values.help ? 0 : 2;
  }
  let dataDir: string;
  try {
    dataDir = resolveDataDir(values['data-dir'], values.config);
  } catch (error) {
    process.stderr.write(`outcrop models: ${(error as Error).message}\n`);
    return 2;
  }
  switch (command) {
    case 'list':
      return list(dataDir);
    case 'rm':
      return remove(dataDir, operands[0]);
    case 'pull':
      return pull(dataDir, operands[0], values, env);
    default:
      process.stderr.write(`outcrop models: unknown command '${command}'\n\n${modelsUsage}`);
      return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      sha256: { type: 'string' },
      id: { type: 'string' },
      revision: { type: 'string' },
      retries: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function resolveDataDir(dataDir: string | undefined, config: string | undefined): string {
  if (dataDir) return resolve(dataDir);
  const file = config ?? (existsSync('outcrop.yaml') ? 'outcrop.yaml' : undefined);
  return resolve(file ? loadConfigFile(file).server.dataDir : './.outcrop');
}

function list(dataDir: string): number {
  const models = readModelRegistry(dataDir);
  if (models.length === 0) {
    process.stdout.write(`No models pulled into ${dataDir}. Pull one with: outcrop models pull <owner>/<repo>/<file>.gguf\n`);
    return 0;
  }
  const rows = [['ID', 'NAME', 'KIND', 'SIZE', 'SOURCE'], ...models.map((model) => [model.id, model.name, model.kind, formatBytes(model.bytes), model.source ?? model.path])];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}\n`);
  return 0;
}

function remove(dataDir: string, id: string | undefined): number {
  if (!id) {
    process.stderr.write('outcrop models rm: name the model ID to remove (see outcrop models list)\n');
    return 2;
  }
  const models = readModelRegistry(dataDir);
  const model = models.find((candidate) => candidate.id === id);
  if (!model) {
    process.stderr.write(`outcrop models rm: no pulled model '${id}' in ${dataDir}\n`);
    return 1;
  }
  writeModelRegistry(
    dataDir,
    models.filter((candidate) => candidate !== model),
  );
  rmSync(model.path, { force: true });
  process.stdout.write(`Removed ${id} (${model.path})\n`);
  return 0;
}

async function pull(dataDir: string, spec: string | undefined, values: ReturnType<typeof parse>['values'], env: NodeJS.ProcessEnv): Promise<number> {
  const parts = spec?.split('/').filter(Boolean) ?? [];
  const [owner, repo, ...fileParts] = parts;
  const file = fileParts.join('/');
  if (!owner || !repo || !/\.gguf$/i.test(file)) {
    process.stderr.write('outcrop models pull: expected <owner>/<repo>/<file>.gguf, e.g. HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/smollm2-135m-instruct-q8_0.gguf\n');
    return 2;
  }
  const retries = values.retries === undefined ? 3 : Number(values.retries);
  if (!Number.isInteger(retries) || retries < 0) {
    process.stderr.write('outcrop models pull: --retries must be a whole number\n');
    return 2;
  }
  const endpoint = (env.OUTCROP_HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
  const encoded = (text: string) => text.split('/').map(encodeURIComponent).join('/');
  const url = `${endpoint}/${encoded(owner)}/${encoded(repo)}/resolve/${encodeURIComponent(values.revision ?? 'main')}/${encoded(file)}`;
  const destination = join(dataDir, 'models', owner, repo, ...fileParts);
  const source = `${owner}/${repo}/${file}`;
  const already = readModelRegistry(dataDir).find((model) => model.source === source && model.path === destination && existsSync(model.path));
  if (already && !values.sha256) {
    process.stdout.write(`${already.id} is already pulled (${already.path}); remove it first with outcrop models rm ${already.id} to pull it again\n`);
    return 0;
  }
  const progress = createProgressReporter(process.stderr, fileParts.at(-1) ?? file);
  let result: Awaited<ReturnType<typeof downloadModel>>;
  try {
    result = await downloadModel({
      url,
      destination,
      ...(values.sha256 ? { sha256: values.sha256 } : {}),
      ...(env.HF_TOKEN ? { headers: { authorization: `Bearer ${env.HF_TOKEN}` } } : {}),
      retries,
      onProgress: (received, total) => progress.update(received, total),
    });
  } catch (error) {
    progress.done();
    process.stderr.write(`outcrop models pull: ${(error as Error).message}\n`);
    return 1;
  }
  progress.done();
  let described: ReturnType<typeof describeGguf>;
  try {
    described = describeGguf(result.path);
  } catch (error) {
    rmSync(result.path, { force: true });
    process.stderr.write(`outcrop models pull: ${(error as Error).message} The file was deleted.\n`);
    return 1;
  }
  const model: LocalModel = {
    id: values.id ?? modelIdFromFile(file),
    path: result.path,
    name: described.name,
    kind: described.kind,
    bytes: result.bytes,
    source,
    url,
    sha256: result.sha256,
    pulledAt: new Date().toISOString(),
  };
  writeModelRegistry(dataDir, [...readModelRegistry(dataDir).filter((existing) => existing.id !== model.id), model]);
  if (result.verifiedAgainst === 'none') process.stderr.write('warning: the server sent no SHA-256 for this file and none was given with --sha256; it was not verified\n');
  process.stdout.write(`Pulled ${model.id} (${model.name}, ${formatBytes(result.bytes)}, sha256 ${result.sha256}) to ${result.path}\n`);
  return 0;
}
