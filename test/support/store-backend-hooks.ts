import { after, afterEach, before } from 'node:test';

/** A store on a fresh, empty database, and a way to open the same database again. */
export interface ReopenableStore<Store> {
  store: Store;
  /** closes the connection and opens the database again (migrations run again) */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

/** A storage backend a conformance suite runs against: started once, a fresh store opened per case. */
export interface StoreBackend<Opened extends { close(): Promise<void> }> {
  name: string;
  setUp?(): Promise<void>;
  tearDown?(): Promise<void>;
  open(): Promise<Opened>;
}

/**
 * Registers a store conformance suite's hooks; call it inside the suite's `describe`. The backend's
 * `setUp` runs before the first case and `tearDown` after the last; the store a case opened is
 * closed after it. `open` opens a fresh store; `opened` is the one the running case opened.
 *
 * @example
 * describe(`GuardrailStore conformance: ${backend.name}`, () => {
 *   const stores = storeBackendHooks(backend);
 *   it('starts empty', async () => assert.deepEqual(await (await stores.open()).store.list(), []));
 * });
 */
export function storeBackendHooks<Opened extends { close(): Promise<void> }>(backend: StoreBackend<Opened>): { open(): Promise<Opened>; opened(): Opened } {
  let current: Opened | undefined;
  before(async () => backend.setUp?.());
  after(async () => backend.tearDown?.());
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async open() {
      current = await backend.open();
      return current;
    },
    opened() {
      if (!current) throw new Error('no store is open in this case');
      return current;
    },
  };
}
