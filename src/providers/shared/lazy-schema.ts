/**
 * Defers building a schema until its first use and keeps it, so importing a provider does no work
 * (STYLE: no schemas built at import time).
 *
 * @example
 * const rerankResponseSchema = lazySchema(() => z.object({ results: z.array(resultSchema) }));
 * rerankResponseSchema().safeParse(json);
 */
export function lazySchema<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => {
    schema ??= build();
    return schema;
  };
}
