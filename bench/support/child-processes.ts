import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A child process the benchmark started, and how to stop it. */
export interface BenchChild {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** `process.memoryUsage()` of the Outcrop process right after a full garbage collection, in bytes. */
export interface MemorySnapshot {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface OutcropChild extends BenchChild {
  /** runs a full GC in the Outcrop process (through `bench/support/memory-probe.mjs`) and reports its memory */
  measureMemoryAfterGc(): Promise<MemorySnapshot>;
}

/** Compiles `src/` to `dist/` so the benchmark measures the current code, as `outcrop serve` runs it. */
export function buildOutcrop(): void {
  try {
    execFileSync(process.execPath, [join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repositoryRoot, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
  } catch {
    throw new Error('compiling src/ failed (errors above); fix them, or set BENCH_SKIP_BUILD=1 to measure the dist/ already built');
  }
}

/** The commit being measured, marked when `src/` has uncommitted changes (e.g. `f54a142+dirty`). */
export function sourceRevision(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repositoryRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repositoryRoot, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit}+dirty` : commit;
  } catch {
    return 'unknown';
  }
}

/** Resident set size of a process in bytes, from `/proc/<pid>/status` (Linux only). */
export function readRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Starts `bench/fake-upstream.ts` in its own Node process. */
export async function startFakeUpstream(): Promise<BenchChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'bench', 'fake-upstream.ts')], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await waitForLine(child, (text) => text.startsWith('{"url"'), 'fake upstream');
  const { url } = JSON.parse(line) as { url: string };
  child.stdout?.resume();
  return { pid: child.pid as number, url, stop: () => stopChild(child) };
}

export interface OutcropChildOptions {
  upstreamUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** the model ID the benchmark calls */
  modelId: string;
  /** a root API key (`Authorization: Bearer`), for the OpenAI-compatible front door */
  apiKey?: string;
  /** write a V8 CPU profile of the Outcrop process into this folder when it exits */
  cpuProfileDir?: string;
}

/**
 * Starts the compiled server exactly as a user would (`node bin/outcrop.js serve --port 0`), with a
 * temporary configuration and data directory, and reads its URL from the ready line.
 */
export async function startOutcropChild(options: OutcropChildOptions): Promise<OutcropChild> {
  const workDir = mkdtempSync(join(tmpdir(), 'outcrop-bench-'));
  const configPath = join(workDir, 'outcrop.yaml');
  writeFileSync(
    configPath,
    [
      'server:',
      '  host: 127.0.0.1',
      '  logLevel: warn',
      'providers:',
      '  upstream:',
      '    type: openai-compatible',
      `    baseUrl: ${options.upstreamUrl}`,
      '    apiKey: sk-bench',
      'models:',
      `  - { id: ${options.modelId}, provider: upstream, upstreamModel: bench-model, providerName: Outcrop }`,
      '',
    ].join('\n'),
  );
  const nodeArguments = ['--expose-gc', '--import', pathToFileURL(join(repositoryRoot, 'bench', 'support', 'memory-probe.mjs')).href];
  if (options.cpuProfileDir) nodeArguments.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
  const child = spawn(
    process.execPath,
    [...nodeArguments, join(repositoryRoot, 'bin', 'outcrop.js'), 'serve', '--port', '0', '--config', configPath, '--data-dir', join(workDir, 'data')],
    {
      cwd: workDir,
      env: {
        ...process.env,
        OUTCROP_ROOT_ACCESS_KEY_ID: options.accessKeyId,
        OUTCROP_ROOT_SECRET_ACCESS_KEY: options.secretAccessKey,
        ...(options.apiKey ? { OUTCROP_ROOT_API_KEY: options.apiKey } : {}),
      },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const line = await waitForLine(child, (text) => text.startsWith('Outcrop is ready at '), 'outcrop serve');
  const url = line.slice('Outcrop is ready at '.length).trim();
  child.stdout?.resume();
  return {
    pid: child.pid as number,
    url,
    measureMemoryAfterGc: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the Outcrop process did not answer the memory probe')), 10_000);
        const onMessage = (message: { type?: string } & MemorySnapshot) => {
          if (message?.type !== 'memory') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve({ rss: message.rss, heapTotal: message.heapTotal, heapUsed: message.heapUsed, external: message.external, arrayBuffers: message.arrayBuffers });
        };
        child.on('message', onMessage);
        child.send({ type: 'measure-memory' });
      }),
    async stop() {
      await stopChild(child);
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts Portkey's open-source gateway (`@portkey-ai/gateway`, a devDependency) as its own Node
 * process, the way its README runs it (`npx @portkey-ai/gateway`), headless and with
 * `NODE_ENV=production`. Requests choose the upstream with `x-portkey-provider: openai` and
 * `x-portkey-custom-host: <base URL>`.
 */
export async function startPortkeyChild(): Promise<BenchChild> {
  const port = await freePort();
  const entry = join(repositoryRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, (text) => text.includes('Ready for connections'), 'portkey gateway');
  child.stdout?.resume();
  return { pid: child.pid as number, url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** A port nothing listens on right now (Portkey takes a fixed `--port`, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function waitForLine(child: ChildProcess, matches: (line: string) => boolean, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 30 s`)), 30_000);
    const onData = (data: Buffer) => {
      buffered += data.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const found = lines.find(matches);
      if (found === undefined) return;
      cleanup();
      resolve(found);
    };
    const onExit = (code: number | null) => fail(new Error(`${name} exited (code ${code}) before it was ready`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after 15 s; resolves when the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
