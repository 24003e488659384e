import type { LlamaContextSequence } from 'node-llama-cpp';
import { tapSequenceEvaluate } from './tap-sequence-evaluate.js';

/**
 * Where one generating sequence stands: evaluating its prompt (or other tokens given at once),
 * decoding its last generated token, handling the token it got, or waiting for the next step.
 */
type MemberState = 'prompting' | 'stepping' | 'handling' | 'waiting';

interface Member {
  state: MemberState;
  release: (() => void) | undefined;
}

/**
 * Keeps the sequences of one llama.cpp context that generate at the same time in step, so each decode
 * holds a token of every one of them. node-llama-cpp starts the next decode as soon as one sequence
 * has queued a token; the others are still handling the token they just got (detokenizing, stop
 * triggers, writing the stream), so without this, one of 4 streams misses each decode, queues its
 * token alone, and from then on every decode holds 3 tokens. A sequence asking for its next token
 * waits while another is still handling its own token (JavaScript work of a millisecond or two) or
 * decoding one (it will want the next step too, and the decode running now cannot take more work).
 * While any sequence evaluates a prompt no one waits: node-llama-cpp then starts each decode as soon
 * as the last one ends, and a token not queued by then would miss a whole prompt slice.
 *
 * @example
 * const step = barrier.watch(sequence);
 * try { await chat.generateResponse(history, options); } finally { step.dispose(); }
 */
export class LlamaStepBarrier {
  private readonly members = new Set<Member>();

  /** members of the current step (for tests) */
  get size(): number {
    return this.members.size;
  }

  /** Follows a sequence's generation for one request; `dispose` stops following it. */
  watch(sequence: LlamaContextSequence): { dispose: () => void } {
    return tapSequenceEvaluate(sequence, () => {
      const member = this.join();
      return {
        token: () => {
          member.state = 'handling';
        },
        next: () => this.arrive(member),
        end: () => this.leave(member),
      };
    });
  }

  /** Adds a member that is about to decode. */
  private join(): Member {
    const member: Member = { state: 'prompting', release: undefined };
    this.members.add(member);
    return member;
  }

  /** A member asks for its next decode: it goes on once no member is handling or decoding a generated token, or at once while a prompt is evaluated. */
  private arrive(member: Member): Promise<void> {
    member.state = 'waiting';
    return new Promise<void>((resolve) => {
      member.release = resolve;
      this.releaseIfReady();
    });
  }

  /** Removes a member (its generation ended), which may let the others go on. */
  private leave(member: Member): void {
    if (!this.members.delete(member)) return;
    member.release?.();
    member.release = undefined;
    this.releaseIfReady();
  }

  private releaseIfReady(): void {
    // while a prompt is evaluated, node-llama-cpp runs its slices back to back: a token queued late misses one
    const prompting = [...this.members].some((member) => member.state === 'prompting');
    if (!prompting) for (const member of this.members) if (member.state === 'handling' || member.state === 'stepping') return;
    for (const member of this.members) {
      if (member.state !== 'waiting') continue;
      member.state = 'stepping';
      const release = member.release;
      member.release = undefined;
      release?.();
    }
  }
}
