import { extname } from 'node:path';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

/** A file for the code (from `sessionState.files` with `useCase: CODE_INTERPRETER`). */
export interface CodeInterpreterInputFile {
  name: string;
  mediaType: string;
  data: Uint8Array;
}

/** A file the code wrote or changed in its working folder. */
export interface CodeInterpreterOutputFile {
  name: string;
  /** media type guessed from the extension */
  type: string;
  bytes: Uint8Array;
}

export interface CodeInterpreterResult {
  /** what the code printed (stdout and stderr), then the value of its last expression */
  output: string;
  /** the Python exception, or why the run was stopped (time or memory) */
  error?: string;
  timedOut: boolean;
  files: CodeInterpreterOutputFile[];
}

export interface CodeInterpreterOptions {
  /** wall-clock limit of one run (default 30 s) */
  timeoutMs?: number;
  /** memory of one sandbox process, Pyodide included (default 512 MB; Pyodide alone takes about 160) */
  memoryMb?: number;
  /** output kept per run, in characters (default 256 Ki) */
  maxOutputChars?: number;
  /** sandboxes kept loaded and waiting, to hide Pyodide's cold start of a few seconds (default 1) */
  warmSandboxes?: number;
  /** runs at once; more wait their turn (default 2) */
  maxConcurrentRuns?: number;
}

/** `AMAZON.CodeInterpreter`: Python in a sandbox, files in and out. */
export interface CodeInterpreter {
  run(request: { code: string; files: CodeInterpreterInputFile[]; sessionId?: string }, signal?: AbortSignal): Promise<CodeInterpreterResult>;
  /** loads the warm sandboxes now instead of at the first run */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The code interpreter: each run gets a fresh sandbox process running Pyodide (CPython compiled to
 * WebAssembly, standard library only, from the `pyodide` npm package, nothing downloaded), so no
 * state leaks between runs or sessions. Input files are written into its in-memory working folder
 * (`/workspace`); files the code creates or changes there come back. A run that passes its time or
 * memory limit is killed and reported, never the server. Loading Pyodide takes 2–5 s, so
 * `warmSandboxes` processes are kept loaded and a new one starts as each is used; without a warm one
 * a run pays that cold start.
 *
 * @example
 * const interpreter = createCodeInterpreter({ timeoutMs: 10_000 });
 * const { output } = await interpreter.run({ code: 'print(sum(range(10)))', files: [] }); // '45\n'
 */
export function createCodeInterpreter(options: CodeInterpreterOptions = {}): CodeInterpreter {
  const limits = { timeoutMs: options.timeoutMs ?? 30_000, memoryMb: options.memoryMb ?? 512, maxOutputChars: options.maxOutputChars ?? 256 * 1024 };
  const warmCount = options.warmSandboxes ?? 1;
  const maxConcurrent = options.maxConcurrentRuns ?? 2;
  const spares: SandboxProcess[] = [];
  const running = new Set<SandboxProcess>();
  const waiting: (() => void)[] = [];
  let active = 0;
  let closed = false;

  const start = () => startSandboxProcess({ memoryMb: limits.memoryMb, maxOutputChars: limits.maxOutputChars });
  const refill = () => {
    while (!closed && spares.length < warmCount) spares.push(start());
  };

  async function slot(): Promise<void> {
    if (active < maxConcurrent) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  function release() {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }

  return {
    async run(request, signal) {
      if (closed) throw new Error('the code interpreter is closed');
      await slot();
      const sandbox = spares.shift() ?? start();
      running.add(sandbox);
      refill();
      try {
        const files = request.files.map((file) => ({ name: safeName(file.name), data: file.data }));
        const run = await sandbox.run(request.code, files, limits, signal);
        return {
          output: run.output,
          ...(run.error ? { error: run.error } : {}),
          timedOut: run.timedOut,
          files: run.files.map((file) => ({ name: file.name, type: mediaTypeOf(file.name), bytes: file.data })),
        };
      } catch (error) {
        return { output: '', error: (error as Error).message, timedOut: false, files: [] };
      } finally {
        sandbox.kill();
        running.delete(sandbox);
        release();
      }
    },
    async warm() {
      refill();
      await Promise.all(spares.map((sandbox) => sandbox.ready));
    },
    async close() {
      closed = true;
      for (const sandbox of [...spares, ...running]) sandbox.kill();
      spares.length = 0;
    },
  };
}

/** A file name kept inside the working folder: no absolute paths, no `..`. */
function safeName(name: string): string {
  const parts = name.split(/[\\/]+/).filter((part) => part !== '' && part !== '.' && part !== '..');
  return parts.join('/') || 'file';
}

const mediaTypes: Record<string, string> = {
  '.csv': 'text/csv',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.html': 'text/html',
  '.md': 'text/markdown',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
  '.py': 'text/x-python',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
};

function mediaTypeOf(name: string): string {
  return mediaTypes[extname(name).toLowerCase()] ?? 'application/octet-stream';
}
