/** A filterable attribute value as chunks carry it and filters compare it. */
export type MetadataJson = string | number | boolean | string[];

/** Bedrock's `FilterAttribute`: an attribute key and a JSON value to compare with. */
export interface FilterAttribute {
  key: string;
  value: unknown;
}

/**
 * Bedrock's `RetrievalFilter`: exactly one member set. Semantics (as Bedrock documents them):
 * `equals`/`notEquals` compare scalars (a missing key never equals; `notEquals` matches a missing key,
 * as bedrock-agent-runtime's RetrievalFilter documents); `greaterThan`... compare numbers; `in`/`notIn` take a list;
 * `startsWith`/`stringContains` take a string (on a STRING_LIST attribute `stringContains` matches when
 * any member contains it); `listContains` takes a scalar and matches a STRING_LIST attribute holding it;
 * `andAll`/`orAll` take 2 to 5 filters. `validateRetrievalFilter` checks the grammar; `matchesFilter` is the
 * reference semantics the stores agree with.
 */
export type RetrievalFilter =
  | { equals: FilterAttribute }
  | { notEquals: FilterAttribute }
  | { greaterThan: FilterAttribute }
  | { greaterThanOrEquals: FilterAttribute }
  | { lessThan: FilterAttribute }
  | { lessThanOrEquals: FilterAttribute }
  | { in: FilterAttribute }
  | { notIn: FilterAttribute }
  | { startsWith: FilterAttribute }
  | { listContains: FilterAttribute }
  | { stringContains: FilterAttribute }
  | { andAll: RetrievalFilter[] }
  | { orAll: RetrievalFilter[] };
