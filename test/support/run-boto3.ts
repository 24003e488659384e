import { spawn } from 'node:child_process';
import { testCredentials } from './test-server.js';

export interface ProcessOutput {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs python3 with boto3 signing as the test server's user: the parent's environment without any
 * `AWS_*` setting or profile file, plus the test credentials. It does not block the event loop (the
 * server under test shares it).
 *
 * @example
 * const { code, stdout, stderr } = await runBoto3([script, server.url], 60_000);
 */
export function runBoto3(args: string[], timeoutMs: number): Promise<ProcessOutput> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    PYTHONDONTWRITEBYTECODE: '1',
  });
  return runProcess('python3', args, env, timeoutMs);
}

/**
 * Runs a command to its end and collects its output, without blocking the event loop (the server
 * under test shares it); killed after `timeoutMs`.
 *
 * @example
 * const { code, stdout } = await runProcess('aws', ['--version'], process.env, 30_000);
 */
export function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProcessOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
