/**
 * A policy split around the one encoder call of an evaluation: the fast stage has run and named the
 * texts it wants embedded; `finish` completes the policy with their vectors (in the same order). The
 * engine gathers every policy's texts into a single model call and does its other work meanwhile.
 */
export interface StagedPolicy<Result> {
  encoderTexts: string[];
  finish(vectors: readonly Float32Array[]): Promise<Result>;
}

/** A stage that needs no encoder. */
export function finished<Result>(result: Result): StagedPolicy<Result> {
  return { encoderTexts: [], finish: async () => result };
}
