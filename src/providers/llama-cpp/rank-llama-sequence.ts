import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/** What a sequence has evaluated: the tokens it holds, and how many of them start `prompt`. */
export interface SequenceState {
  held: number;
  shared: number;
}

/**
 * Scores a free context sequence for a prompt, as llama.cpp's server picks a slot: a sequence whose
 * cache the prompt continues (the prompt shares at least half of what it holds, or half of the
 * prompt is already in it: a conversation's next turn) scores highest, the longest shared start
 * first; then an empty sequence; then one holding another conversation, which the caller's tie rule
 * (least recently released) picks among, so the most recent conversations keep their cache.
 *
 * @example
 * queue.acquire(signal, (sequence) => rankLlamaSequence(sequenceState(sequence, tokens), tokens.length));
 */
export function rankLlamaSequence(state: SequenceState, promptLength: number): number {
  if (state.held === 0) return 1;
  const continues = state.shared > 0 && (state.shared * 2 >= state.held || state.shared * 2 >= promptLength);
  return continues ? 2 + state.shared : 0;
}

/** A sequence's state against a prompt's tokens. */
export function sequenceState(sequence: LlamaContextSequence, prompt: Token[]): SequenceState {
  return { held: sequence.nextTokenIndex, shared: sequence.compareContextTokens(prompt).firstDifferentIndex };
}
