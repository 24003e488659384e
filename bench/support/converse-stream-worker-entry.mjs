// The worker thread of bench/support/converse-stream-worker.ts: workers do not inherit tsx's loader, so it is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./converse-stream-worker.ts');
