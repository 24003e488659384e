import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCodeInterpreter } from './code-interpreter.js';

// Each run starts a fresh Pyodide process (a cold start of several seconds on a busy machine).
describe('code interpreter (Pyodide sandbox)', { timeout: 240_000 }, () => {
  const interpreter = createCodeInterpreter({ timeoutMs: 20_000, memoryMb: 400, warmSandboxes: 1, maxConcurrentRuns: 1 });
  let server: Server;
  let port = 0;
  let hits = 0;

  before(async () => {
    server = createServer((_request, response) => {
      hits++;
      response.end('secret');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await interpreter.warm();
  });
  after(async () => {
    await interpreter.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('computes a result, reads input files and returns the files it writes', async () => {
    const result = await interpreter.run({
      code: [
        'import csv, statistics',
        "rows = list(csv.DictReader(open('data/prices.csv')))",
        "mean = statistics.mean(float(row['price']) for row in rows)",
        "print(f'mean={mean}')",
        "import os; os.makedirs('output', exist_ok=True)",
        "open('output/summary.json', 'w').write('{\"mean\": %s}' % mean)",
        'len(rows) * 10',
      ].join('\n'),
      files: [{ name: 'data/prices.csv', mediaType: 'text/csv', data: new TextEncoder().encode('item,price\na,2\nb,4\nc,9\n') }],
    });
    assert.equal(result.error, undefined);
    assert.equal(result.output, 'mean=5.0\n30\n');
    assert.equal(result.timedOut, false);
    assert.deepEqual(
      result.files.map((file) => ({ name: file.name, type: file.type, text: new TextDecoder().decode(file.bytes) })),
      [{ name: 'output/summary.json', type: 'application/json', text: '{"mean": 5.0}' }],
    );
  });

  it('cannot read host files, reach the network or use the host through JavaScript', async () => {
    const result = await interpreter.run({
      code: [
        'import os, socket, urllib.request',
        'found = []',
        "for path in ['/etc/passwd', '/etc/hostname', '/proc/self/environ']:",
        '    try: open(path).read(); found.append(path)',
        '    except Exception: pass',
        'try:',
        '    s = socket.socket(); s.settimeout(2); s.connect(("127.0.0.1", ' + port + ')); s.send(b"GET / HTTP/1.0\\r\\n\\r\\n"); found.append("socket:" + s.recv(100).decode())',
        'except Exception: pass',
        'try: found.append(urllib.request.urlopen("http://127.0.0.1:' + port + '/", timeout=2).read().decode())',
        'except Exception: pass',
        'try:',
        '    from pyodide.ffi import to_js',
        '    found.append(to_js([1]).constructor.constructor("return process.getBuiltinModule(\'fs\').readFileSync(\'/etc/passwd\', \'utf8\')")())',
        'except Exception: pass',
        'try:',
        '    import js; found.append(str(js.process))',
        'except Exception: pass',
        "print('found', found, sorted(os.listdir('/')))",
      ].join('\n'),
      files: [],
    });
    assert.equal(result.error, undefined, result.error);
    assert.match(result.output, /^found \[\] /);
    assert.equal(hits, 0);
  });

  it('stops an endless loop at the time limit and a memory hog at the memory limit', async () => {
    const quick = createCodeInterpreter({ timeoutMs: 1500, memoryMb: 400, warmSandboxes: 0 });
    try {
      const [loop, hog] = [await quick.run({ code: 'while True: pass', files: [] }), await quick.run({ code: 'x = []\nwhile True: x.append(bytearray(10**7))', files: [] })];
      assert.equal(loop.timedOut, true);
      assert.match(loop.error ?? '', /did not finish within 1500 ms/);
      assert.equal(hog.timedOut, false);
      assert.match(hog.error ?? '', /MemoryError/);
    } finally {
      await quick.close();
    }
  });

  it('reports a Python exception with its traceback', async () => {
    const result = await interpreter.run({ code: 'print("before")\n1 / 0', files: [] });
    assert.equal(result.output, 'before\n');
    assert.match(result.error ?? '', /ZeroDivisionError: division by zero/);
    assert.doesNotMatch(result.error ?? '', /_pyodide/);
  });
});
