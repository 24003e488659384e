import { readFile } from 'node:fs/promises';

/** `data/guardrails/` of the checkout or package: three levels above this file in `src/` and `dist/` alike. */
export const guardrailDataDirectory = new URL('../../../data/guardrails/', import.meta.url);

/** Reads and parses one JSON file from `data/guardrails/`. */
export async function readGuardrailData<T>(name: string): Promise<T> {
  return JSON.parse(await readFile(new URL(name, guardrailDataDirectory), 'utf8')) as T;
}

/**
 * Loads a value once, on first use, and keeps it; a failed load is forgotten so the next call retries.
 *
 * @example
 * const table = lazily(() => readGuardrailData<Table>('static-embeddings.json'));
 * await table();
 */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
