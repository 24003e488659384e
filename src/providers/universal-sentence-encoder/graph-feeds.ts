/**
 * The Universal Sentence Encoder lite graph reads its batch as a sparse matrix (`indices`: row and
 * column of each token, `values`: the token ids) and derives two index lists from it with `Where`, an
 * op whose output size depends on the data, which forces TensorFlow.js to run the whole graph through
 * `executeAsync` (an await per op). Both lists follow directly from the token lists, so they are
 * computed here and fed to the graph in place of the `Where` results, and the graph runs synchronously
 * with `execute`, op for op the same computation.
 */
export interface GraphFeeds {
  /** `[tokens, 2]`: row and column of each token */
  indices: Int32Array;
  /** `[tokens]`: the token ids */
  values: Int32Array;
  /** `ClipToMaxLength/Where`: positions (into `values`) of the tokens whose column is under the model's maximum length */
  kept: Int32Array;
  /** `StoreMask/Where`: `[kept, 2]` coordinates of the dense batch's real tokens, row after row */
  tokenCoordinates: Int32Array;
  /** the column of each of `tokenCoordinates` */
  tokenColumns: Int32Array;
}

/**
 * The graph's inputs for these tokenized rows. Rows keep at most `maxLength` tokens (the graph clips
 * longer ones itself); every token id is at least 0, so each kept token is a real position of the
 * dense batch (whose padding is -1).
 *
 * @example
 * graphFeeds([[5, 9], [7]], 128).tokenCoordinates // Int32Array [0, 0, 0, 1, 1, 0]
 */
export function graphFeeds(rows: readonly (readonly number[])[], maxLength: number): GraphFeeds {
  let total = 0;
  let clipped = 0;
  for (const tokens of rows) {
    total += tokens.length;
    clipped += Math.min(tokens.length, maxLength);
  }
  const indices = new Int32Array(total * 2);
  const values = new Int32Array(total);
  const kept = new Int32Array(clipped);
  const tokenCoordinates = new Int32Array(clipped * 2);
  const tokenColumns = new Int32Array(clipped);
  let position = 0;
  let keptCount = 0;
  rows.forEach((tokens, row) => {
    tokens.forEach((id, column) => {
      if (id < 0) throw new Error(`token id ${id} is negative`);
      indices[position * 2] = row;
      indices[position * 2 + 1] = column;
      values[position] = id;
      if (column < maxLength) {
        kept[keptCount] = position;
        tokenCoordinates[keptCount * 2] = row;
        tokenCoordinates[keptCount * 2 + 1] = column;
        tokenColumns[keptCount] = column;
        keptCount++;
      }
      position++;
    });
  });
  return { indices, values, kept, tokenCoordinates, tokenColumns };
}
