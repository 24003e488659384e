const stopWords = new Set(
  'a an the and or but if then so of to in on at by for with from as is are was were be been being it its this that these those there here i you he she we they me him her us them my your his our their what which who whom whose when where why how not no do does did doing have has had having can could should would will shall may might must also just than too very into over under about after before between out up down off again further once all any both each few more most other some such only own same'.split(' '),
);

/** Lower-cased content words with a light suffix strip, so "prices" and "price" meet. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? [])
    .filter((word) => !stopWords.has(word))
    .map((word) => word.replace(/'s$/, '').replace(/(ies)$/, 'y').replace(/(?<=\w{3})(es|s|ed|ing)$/, ''));
}

/** Numbers as written (digits, decimals), which a grounded claim must not invent. */
export function numbersIn(text: string): string[] {
  return (text.match(/\d+(?:[.,]\d+)*/g) ?? []).map((value) => value.replace(/,/g, ''));
}

/**
 * Share of a claim's content words found in the reference, and whether the claim states a number the
 * reference does not contain.
 *
 * @example
 * lexicalSupport('The bridge opened in 1932', new Set(contentWords('The bridge opened in 1932.')), new Set(['1932'])) // { recall: 1, novelNumber: false }
 */
export function lexicalSupport(claim: string, referenceWords: ReadonlySet<string>, referenceNumbers: ReadonlySet<string>): { recall: number; novelNumber: boolean } {
  const words = contentWords(claim);
  const recall = words.length === 0 ? 1 : words.filter((word) => referenceWords.has(word)).length / words.length;
  const novelNumber = numbersIn(claim).some((number) => !referenceNumbers.has(number));
  return { recall, novelNumber };
}
