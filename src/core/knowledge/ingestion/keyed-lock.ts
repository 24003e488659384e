/**
 * Runs work one at a time per key (a document), in arrival order, so an ingestion job and a direct
 * ingestion or deletion of the same document never interleave their index and record writes.
 *
 * @example
 * const locks = new KeyedLock();
 * await locks.run(`${knowledgeBaseId}/${dataSourceId}/${documentId}`, () => reindex());
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
