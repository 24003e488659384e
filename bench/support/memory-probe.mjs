// Loaded into the Outcrop process by the gateway benchmark (`node --expose-gc --import <this file>`),
// never by Outcrop itself: when the benchmark asks over the IPC channel, it runs a full garbage
// collection and answers with process.memoryUsage(), so RSS readings before and after a soak compare
// retained memory rather than wherever the collector's saw-tooth happened to be.
if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'measure-memory') return;
    // Twice: the first pass can leave finalizers and weak references for the second.
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ type: 'memory', ...process.memoryUsage() });
  });
  process.channel?.unref();
}
