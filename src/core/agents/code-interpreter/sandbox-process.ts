import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { sandboxSource } from './sandbox-source.js';

/** A file going into or coming out of the sandbox (`name` relative to its working folder). */
export interface SandboxFile {
  name: string;
  data: Uint8Array;
}

export interface SandboxRun {
  output: string;
  /** Python's exception (last lines of the traceback), or why the run was stopped */
  error?: string;
  timedOut: boolean;
  /** the memory limit stopped it */
  outOfMemory: boolean;
  files: SandboxFile[];
}

export interface SandboxLimits {
  timeoutMs: number;
  /** resident memory of the sandbox process (Pyodide's WebAssembly heap included) */
  memoryMb: number;
  /** longest output kept, in characters */
  maxOutputChars: number;
}

/** One sandbox process: started, loaded, runs once, then ends. */
export interface SandboxProcess {
  /** resolves once Pyodide is loaded (the cold start, seconds) */
  ready: Promise<void>;
  run(code: string, files: SandboxFile[], limits: SandboxLimits, signal?: AbortSignal): Promise<SandboxRun>;
  kill(): void;
}

let pyodideDirectory: string | undefined;

function pyodideDir(): string {
  pyodideDirectory ??= dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
  return pyodideDirectory;
}

/** Node's permission-model flags: `--permission` from Node 22.13/23.5, `--experimental-permission` before. */
function permissionFlags(dir: string): string[] {
  const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  return [flag, `--allow-fs-read=${dir}/`];
}

/**
 * Starts a sandbox process: `node --eval` of {@link sandboxSource} under the permission model (read
 * access to Pyodide's folder only), with an empty environment, a JavaScript heap cap and a watchdog
 * on resident memory. Python runs in Pyodide's in-memory file system; the host's files, network,
 * processes and environment are out of its reach.
 *
 * @example
 * const sandbox = startSandboxProcess(); await sandbox.ready;
 * const run = await sandbox.run('print(6 * 7)', [], { timeoutMs: 10_000, memoryMb: 512, maxOutputChars: 65_536 });
 */
export function startSandboxProcess(options: { memoryMb: number; maxOutputChars: number }): SandboxProcess {
  const dir = pyodideDir();
  const child: ChildProcess = spawn(
    process.execPath,
    [...permissionFlags(dir), '--no-warnings', `--max-old-space-size=${Math.max(64, Math.floor(options.memoryMb / 2))}`, '--input-type=module', '--eval', sandboxSource],
    {
      env: { OUTCROP_PYODIDE_DIR: dir, OUTCROP_MAX_OUTPUT: String(options.maxOutputChars) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => {});
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }) => {
      if (message.ready) {
        child.off('message', onMessage);
        resolve();
      }
    };
    child.on('message', onMessage);
    void exited.then((code) => reject(new Error(`the code interpreter sandbox exited while loading (code ${code})${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`)));
  });
  ready.catch(() => {});
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();

  return {
    ready,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    async run(code, files, limits, signal) {
      await ready;
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
      return new Promise<SandboxRun>((resolve) => {
        let stop: 'time' | 'memory' | 'abort' | undefined;
        const finish = (run: SandboxRun) => {
          clearTimeout(timer);
          clearInterval(watchdog);
          signal?.removeEventListener('abort', onAbort);
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          resolve(run);
        };
        const halt = (why: 'time' | 'memory' | 'abort') => {
          stop ??= why;
          child.kill('SIGKILL');
        };
        const onAbort = () => halt('abort');
        signal?.addEventListener('abort', onAbort, { once: true });
        const timer = setTimeout(() => halt('time'), limits.timeoutMs);
        const watchdog = setInterval(() => {
          void residentMb(child.pid).then((mb) => {
            if (mb !== undefined && mb > limits.memoryMb) halt('memory');
          });
        }, 50);
        child.once('message', (message: { output: string; error?: string; files: SandboxFile[] }) => {
          finish({ output: message.output, ...(message.error ? { error: message.error } : {}), timedOut: false, outOfMemory: false, files: message.files.map((file) => ({ name: file.name, data: new Uint8Array(file.data) })) });
        });
        void exited.then((exitCode) => {
          const error =
            stop === 'time'
              ? `The code did not finish within ${limits.timeoutMs} ms and was stopped.`
              : stop === 'memory'
                ? `MemoryError: the code used more than ${limits.memoryMb} MB of memory and was stopped.`
                : stop === 'abort'
                  ? 'The run was cancelled.'
                  : `The sandbox stopped unexpectedly (exit code ${exitCode})${stderr ? `: ${stderr.trim().split('\n').slice(-2).join(' ')}` : ''}.`;
          finish({ output: '', error, timedOut: stop === 'time', outOfMemory: stop === 'memory', files: [] });
        });
        child.send({ code, files: files.map((file) => ({ name: file.name, data: file.data })) });
      });
    },
  };
}

/** A process's resident memory in MB from /proc (Linux); undefined elsewhere. */
async function residentMb(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
