/** The usual RRF constant (Cormack et al. 2009): damps the weight of the very top ranks. */
export const defaultRrfConstant = 60;

/** One fused item: its best-first position in the fused list comes from `score`. */
export interface FusedItem<T> {
  item: T;
  /** the raw RRF sum: `Σ 1 / (constant + rank)` over the lists holding the item (rank from 1) */
  fusedScore: number;
  /** `fusedScore` divided by the largest possible sum (rank 1 in every list), so in (0, 1] */
  score: number;
}

/**
 * Reciprocal rank fusion of best-first lists: each item scores `Σ 1 / (constant + rank)` over the
 * lists that hold it, identified by `key`. Ties keep the order of first appearance (earlier lists,
 * higher ranks first), so the fusion is deterministic.
 *
 * @example
 * fuseByReciprocalRank([['a', 'b'], ['b', 'c']], (id) => id).map((fused) => fused.item) // ['b', 'a', 'c']
 */
export function fuseByReciprocalRank<T>(lists: readonly (readonly T[])[], key: (item: T) => string, constant = defaultRrfConstant): FusedItem<T>[] {
  const fused = new Map<string, { item: T; fusedScore: number; order: number }>();
  let order = 0;
  for (const list of lists) {
    list.forEach((item, index) => {
      const id = key(item);
      const contribution = 1 / (constant + index + 1);
      const existing = fused.get(id);
      if (existing) existing.fusedScore += contribution;
      else fused.set(id, { item, fusedScore: contribution, order: order++ });
    });
  }
  const best = lists.length / (constant + 1);
  return [...fused.values()]
    .sort((left, right) => right.fusedScore - left.fusedScore || left.order - right.order)
    .map(({ item, fusedScore }) => ({ item, fusedScore, score: best > 0 ? fusedScore / best : 0 }));
}
