/** A compiled list of words and phrases, matched whole-word and case-insensitively. */
export interface WordMatcher {
  /** The listed entries found in the text, each once, in list spelling. */
  find(text: string): string[];
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds one alternation for the whole list (longest entries first), with Unicode-aware word
 * boundaries on both sides, so `ass` matches "ass" and "Ass!" but not "class" or "assess", and runs of
 * whitespace inside a phrase match any whitespace. Entries that begin or end with a non-word
 * character (`f*ck`, `c++`) are bounded by what surrounds them rather than by a word boundary.
 *
 * @example
 * createWordMatcher(['project nightingale']).find('About PROJECT  Nightingale...') // ['project nightingale']
 */
export function createWordMatcher(entries: readonly string[]): WordMatcher {
  const canonical = new Map<string, string>();
  for (const entry of entries) {
    const trimmed = entry.trim();
    if (trimmed) canonical.set(normalize(trimmed), trimmed);
  }
  if (canonical.size === 0) return { find: () => [] };
  const alternatives = [...canonical.keys()]
    .sort((a, b) => b.length - a.length)
    .map((entry) => entry.split(' ').map(escapeRegExp).join('\\s+'));
  const expression = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  return {
    find(text: string): string[] {
      const found = new Set<string>();
      for (const match of text.matchAll(expression)) {
        const entry = canonical.get(normalize(match[0]));
        if (entry !== undefined) found.add(entry);
      }
      return [...found];
    },
  };
}

function normalize(value: string): string {
  return value.toLocaleLowerCase('en').replace(/\s+/g, ' ');
}
