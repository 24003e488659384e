/** What picking needs to know of a deployment. */
export interface Pickable {
  weight: number;
  priority: number;
}

/**
 * Picks among deployments that may take a call: the lowest priority tier present, then weighted
 * random within it. Returns undefined when the list is empty.
 *
 * @example
 * pickDeployment([{ weight: 3, priority: 0 }, { weight: 1, priority: 0 }], Math.random); // the first 3 times in 4
 */
export function pickDeployment<T extends Pickable>(candidates: readonly T[], random: () => number): T | undefined {
  let tier = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) tier = Math.min(tier, candidate.priority);
  const inTier = candidates.filter((candidate) => candidate.priority === tier);
  const total = inTier.reduce((sum, candidate) => sum + candidate.weight, 0);
  let point = random() * total;
  for (const candidate of inTier) {
    point -= candidate.weight;
    if (point < 0) return candidate;
  }
  return inTier[inTier.length - 1];
}
