const separator = '\u2581';

/**
 * A unigram SentencePiece tokenizer (Viterbi over the pieces' log probabilities), as the built-in
 * sentence encoder splits text. Pieces never span a word boundary, so words are split one at a time
 * and remembered: the same word costs one lookup the next time.
 *
 * @example
 * const tokenizer = new SubwordTokenizer(['▁the', '▁cat', 's'], [-3, -9, -4]);
 * tokenizer.encode('the cats'); // [0, 1, 2]
 */
export class SubwordTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly maxPieceLength: number;
  private readonly cache = new Map<string, number[]>();

  constructor(
    pieces: readonly string[],
    private readonly logProbabilities: readonly number[],
    /** leading pieces that are control symbols, never produced from text */
    reserved = 6,
  ) {
    let longest = 1;
    pieces.forEach((piece, id) => {
      if (id < reserved) return;
      this.ids.set(piece, id);
      longest = Math.max(longest, piece.length);
    });
    this.maxPieceLength = longest;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const match of text.normalize('NFKC').matchAll(/\S+/g)) {
      const word = match[0];
      let ids = this.cache.get(word);
      if (!ids) {
        ids = this.encodeWord(separator + word);
        if (this.cache.size > 50_000) this.cache.clear();
        this.cache.set(word, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  private encodeWord(word: string): number[] {
    const length = word.length;
    const best = new Float64Array(length + 1).fill(Number.NEGATIVE_INFINITY);
    const from = new Int32Array(length + 1).fill(-1);
    const piece = new Int32Array(length + 1).fill(-1);
    best[0] = 0;
    for (let start = 0; start < length; start++) {
      if (best[start] === Number.NEGATIVE_INFINITY) continue;
      let matched = false;
      for (let size = 1; size <= this.maxPieceLength && start + size <= length; size++) {
        const id = this.ids.get(word.slice(start, start + size));
        if (id === undefined) continue;
        matched = true;
        const score = best[start]! + (this.logProbabilities[id] ?? -20);
        if (score > best[start + size]!) {
          best[start + size] = score;
          from[start + size] = start;
          piece[start + size] = id;
        }
      }
      // An unknown character becomes a skipped one-character step with a heavy penalty.
      if (!matched && best[start]! - 30 > best[start + 1]!) {
        best[start + 1] = best[start]! - 30;
        from[start + 1] = start;
        piece[start + 1] = -1;
      }
    }
    const ids: number[] = [];
    for (let end = length; end > 0 && from[end]! >= 0; end = from[end]!) {
      if (piece[end]! >= 0) ids.push(piece[end]!);
    }
    return ids.reverse();
  }
}
