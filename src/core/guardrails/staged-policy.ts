/**
 * A unit a policy's fast stage could not decide, offered for the evaluation's shared encoder slots;
 * `priority` orders one policy's candidates (higher: more likely flagged by the encoder).
 */
export interface EncoderCandidate {
  text: string;
  priority: number;
}

/**
 * A policy split around the one encoder call of an evaluation: the fast stage has run and named the
 * texts it needs embedded (`encoderTexts`, always embedded) and the units it would like refined
 * (`candidates`, embedded as far as the evaluation's encoder budget goes); `finish` completes the
 * policy with the vectors of `encoderTexts` (in the same order) and the vectors of the candidates that
 * were chosen, by text (a candidate left out keeps the fast stage's verdict). The engine gathers every
 * policy's texts into a single model call and does its other work meanwhile.
 */
export interface StagedPolicy<Result> {
  encoderTexts: string[];
  candidates?: EncoderCandidate[];
  finish(vectors: readonly Float32Array[], refined: ReadonlyMap<string, Float32Array>): Promise<Result>;
}

/** A stage that needs no encoder. */
export function finished<Result>(result: Result): StagedPolicy<Result> {
  return { encoderTexts: [], finish: async () => result };
}

/**
 * Chooses which candidates share the encoder budget: each policy's candidates in its own order
 * (highest priority first), taken in turns, one policy's best, then the next policy's best, and so
 * on, so that no policy's scale can starve another's; a text two policies offer takes one slot and
 * serves both, and texts `embeddedAnyway` (other policies' required texts) cost no slot and are
 * skipped. At most `budget` texts.
 *
 * @example
 * chooseCandidates([[{ text: 'a', priority: 0.2 }, { text: 'b', priority: 0.7 }], [{ text: 'b', priority: 0.4 }, { text: 'c', priority: 0.3 }]], 2, new Set()) // ['b', 'c']
 */
export function chooseCandidates(perPolicy: readonly (readonly EncoderCandidate[])[], budget: number, embeddedAnyway: ReadonlySet<string>): string[] {
  const queues = perPolicy.map((candidates) => candidates.filter((candidate) => !embeddedAnyway.has(candidate.text)).sort((a, b) => b.priority - a.priority));
  const chosen = new Set<string>();
  const cursors = queues.map(() => 0);
  let progressed = true;
  while (chosen.size < budget && progressed) {
    progressed = false;
    queues.forEach((queue, policy) => {
      while (cursors[policy]! < queue.length && chosen.has(queue[cursors[policy]!]!.text)) cursors[policy]!++;
      const next = queue[cursors[policy]!];
      if (!next || chosen.size >= budget) return;
      chosen.add(next.text);
      cursors[policy]!++;
      progressed = true;
    });
  }
  return [...chosen];
}
